// Who may receive a secret. verify, apply and plan's refresh run in CI on pull requests with real secrets,
// so nothing a pull request wrote may decide where a secret goes, or how, until it is reviewed and applied.
//
// A *delivery* is everything that decides that: the fabric whose config sends the secret, the reference
// whose value travels, the settings of the provider that reads it (a file directory, an exec command —
// which runs with CI's environment —, a Vault address, which receives VAULT_TOKEN), and the endpoint it
// goes to (an SMTP host, port, TLS mode, `insecure` and CA by content; or Prophecy's API URL and CA).
// The applied state binds a set of deliveries. A secret is resolved and sent only when its delivery is
// one of them, or when the fabric's `trustedHosts` as applied allow a new SMTP host for a reference the
// fabric already uses (every other part of the delivery unchanged, never in clear text, never with a new
// CA), or when the run says --trust-new-hosts (after review, on the main branch). Anything else is
// refused before a file is read, a process started, a socket opened or a request made.
//
// Pure: the decision is made from data. Callers compute a delivery from what they are about to use (the
// CA file's content as read, not its path) and ask before they use it.
import { describeSecretRef, type SecretProviderName, type SecretRef, type TlsMode } from "../model.js";
import { defaultSecretsDirectory } from "../secrets/fileProvider.js";
import type { State } from "../state/stateStore.js";
import { secretRefOf, type ConnectionConfig, type FabricConfig, type SecretProvidersConfig } from "../synth/fabricConfig.js";
import { formatHostPort, hostMatches, normalizeHost } from "./hostPatterns.js";

export type Endpoint =
  | { readonly kind: "smtp"; readonly host: string; readonly port: number; readonly tls: TlsMode; readonly insecure: boolean; readonly caSha256?: string }
  | { readonly kind: "prophecy"; readonly url: string; readonly caSha256?: string };

/** How a value is read; runtime-only providers are read by the platform, not by fabricate. */
export type Resolver =
  | { readonly provider: "env" }
  | { readonly provider: "file"; readonly directory: string }
  | { readonly provider: "exec"; readonly command: readonly string[] }
  | { readonly provider: "vault"; readonly address: string; readonly mount: string }
  | { readonly provider: "databricks" | "prophecy" }
  /** A provider the settings do not configure: reading fails, but the delivery still differs from any other. */
  | { readonly provider: "unconfigured"; readonly wanted: SecretProviderName };

export interface Delivery {
  /** The fabric whose config sends the secret; "" for Prophecy's token, which belongs to no fabric. */
  readonly fabric: string;
  /** The reference whose value travels (a prophecy reference with its `from`). */
  readonly source: SecretRef;
  readonly resolver: Resolver;
  readonly endpoint: Endpoint;
}

export type TrustDecision =
  | { readonly allowed: true; readonly because: "applied" | "trusted-host" | "trust-new-hosts" }
  | { readonly allowed: false; readonly reason: string };

/** Providers mapped to another for this run (`--secret-provider prophecy=env`): operator input, not config. */
export type ProviderOverrides = Readonly<Partial<Record<SecretProviderName, SecretProviderName>>>;

export interface TrustOptions {
  readonly trustNewHosts: boolean;
  readonly overrides?: ProviderOverrides;
}

export function resolverFor(provider: SecretProviderName, settings: SecretProvidersConfig): Resolver | { error: string } {
  switch (provider) {
    case "env":
      return { provider };
    case "file":
      return { provider, directory: settings.file?.directory ?? defaultSecretsDirectory };
    case "exec":
      return settings.exec ? { provider, command: settings.exec.command } : { error: "the fabric configures no secrets.exec.command" };
    case "vault":
      return settings.vault ? { provider, address: settings.vault.address, mount: settings.vault.mount } : { error: "the fabric configures no secrets.vault.address" };
    case "databricks":
    case "prophecy":
      return { provider };
  }
}

/** The provider that reads `ref`'s value in this run: an override, else a prophecy reference's `from`, else its own. */
function readingProvider(ref: SecretRef, overrides: ProviderOverrides | undefined): SecretProviderName {
  return overrides?.[ref.provider] ?? ref.from?.provider ?? ref.provider;
}

function readingResolver(ref: SecretRef, settings: SecretProvidersConfig, overrides: ProviderOverrides | undefined): Resolver {
  const provider = readingProvider(ref, overrides);
  const resolver = resolverFor(provider, settings);
  return "error" in resolver ? { provider: "unconfigured", wanted: provider } : resolver;
}

function smtpEndpoint(c: ConnectionConfig, caSha256: string | undefined): Endpoint {
  const p = c.properties;
  return { kind: "smtp", host: normalizeHost(p.smtpUrl), port: p.smtpPort, tls: c.tls, insecure: c.insecure, ...(caSha256 !== undefined && { caSha256 }) };
}

/**
 * The delivery of a connection's password. `caSha256` is the digest of the CA content the session will
 * trust, as read just now; without it, the one the config recorded.
 */
export function smtpDelivery(fabric: FabricConfig, connection: ConnectionConfig, options: { overrides?: ProviderOverrides; caSha256?: string } = {}): Delivery {
  const source = secretRefOf(connection.properties.smtpPassword);
  return {
    fabric: fabric.name,
    source,
    resolver: readingResolver(source, fabric.secretProviders, options.overrides),
    endpoint: smtpEndpoint(connection, "caSha256" in options ? options.caSha256 : connection.caSha256),
  };
}

export function prophecyTokenDelivery(settings: { url: string; caSha256?: string; token: SecretRef; secrets: SecretProvidersConfig }): Delivery {
  return {
    fabric: "",
    source: settings.token,
    resolver: readingResolver(settings.token, settings.secrets, undefined),
    endpoint: { kind: "prophecy", url: settings.url, ...(settings.caSha256 !== undefined && { caSha256: settings.caSha256 }) },
  };
}

/** The delivery of a prophecy reference's value (read where its `from` says) uploaded to Prophecy. */
export function secretUploadDelivery(fabric: FabricConfig, ref: SecretRef, endpoint: { url: string; caSha256?: string }): Delivery {
  return {
    fabric: fabric.name,
    source: ref,
    resolver: readingResolver(ref, fabric.secretProviders, undefined),
    endpoint: { kind: "prophecy", url: endpoint.url, ...(endpoint.caSha256 !== undefined && { caSha256: endpoint.caSha256 }) },
  };
}

function resolverKey(r: Resolver): string {
  switch (r.provider) {
    case "file":
      return `file ${JSON.stringify(r.directory)}`;
    case "exec":
      return `exec ${JSON.stringify(r.command)}`;
    case "vault":
      return `vault ${JSON.stringify([r.address, r.mount])}`;
    case "unconfigured":
      return `unconfigured ${r.wanted}`;
    default:
      return r.provider;
  }
}

function endpointKey(e: Endpoint): string {
  return e.kind === "smtp" ? `smtp ${JSON.stringify([e.host, e.port, e.tls, e.insecure, e.caSha256 ?? null])}` : `prophecy ${JSON.stringify([e.url, e.caSha256 ?? null])}`;
}

/** Equal exactly when the deliveries are. */
export function deliveryKey(d: Delivery): string {
  return `${d.fabric}\u0000${describeSecretRef(d.source)}\u0000${resolverKey(d.resolver)}\u0000${endpointKey(d.endpoint)}`;
}

/** `smtp.gmail.com:587`, with what differs from the usual way said after it: for plans and messages. */
export function describeEndpoint(e: Endpoint): string {
  const ca = e.caSha256 ? ` (private CA ${e.caSha256.slice(0, 15)})` : "";
  if (e.kind === "prophecy") return `Prophecy at ${e.url}${ca}`;
  const how = e.tls === "none" ? ` in clear text${e.insecure ? " (insecure)" : ""}` : e.tls === "implicit" ? " over implicit TLS" : "";
  return `${formatHostPort(e)}${how}${ca}`;
}

function describeResolver(r: Resolver): string {
  switch (r.provider) {
    case "file":
      return `read from ${r.directory}`;
    case "exec":
      return `read by running ${JSON.stringify(r.command)}`;
    case "vault":
      return `read from Vault at ${r.address} (mount ${r.mount})`;
    case "unconfigured":
      return `read by ${r.wanted}, which is not configured`;
    default:
      return "";
  }
}

/** The delivery in words: where the value goes and, when it is not the environment, how it is read. */
export function describeDelivery(d: Delivery): string {
  const read = describeResolver(d.resolver);
  return `${describeEndpoint(d.endpoint)}${read ? `, ${read}` : ""}`;
}

/** Every delivery the applied state binds, by key; computed once per state object. */
export interface AppliedDeliveries {
  readonly keys: ReadonlySet<string>;
  /** Reference (described) → the deliveries that send it. */
  readonly bySource: ReadonlyMap<string, readonly Delivery[]>;
}

const cache = new WeakMap<State, Map<string, AppliedDeliveries>>();

export function appliedDeliveries(state: State | undefined, overrides?: ProviderOverrides): AppliedDeliveries {
  if (!state) return { keys: new Set(), bySource: new Map() };
  const overridesKey = JSON.stringify(overrides ?? {});
  const byOverrides = cache.get(state) ?? new Map<string, AppliedDeliveries>();
  cache.set(state, byOverrides);
  const known = byOverrides.get(overridesKey);
  if (known) return known;
  const all: Delivery[] = [];
  const prophecy = state.targets?.prophecy;
  if (prophecy) {
    all.push(prophecyTokenDelivery({ url: prophecy.url, ...(prophecy.caSha256 !== undefined && { caSha256: prophecy.caSha256 }), token: secretRefOf(prophecy.token), secrets: prophecy.tokenSecrets }));
  }
  for (const fabric of state.fabrics) {
    for (const connection of fabric.connections) {
      all.push(smtpDelivery(fabric, connection, overrides ? { overrides } : {}));
      const ref = secretRefOf(connection.properties.smtpPassword);
      if (prophecy && ref.provider === "prophecy" && ref.from) all.push(secretUploadDelivery(fabric, ref, prophecy));
    }
  }
  const bySource = new Map<string, Delivery[]>();
  for (const d of all) {
    const named = describeSecretRef(d.source);
    bySource.set(named, [...(bySource.get(named) ?? []), d]);
  }
  const found = { keys: new Set(all.map(deliveryKey)), bySource };
  byOverrides.set(overridesKey, found);
  return found;
}

/**
 * A new SMTP host allowed by the fabric's trustedHosts as applied: only the host and port may be new.
 * The reference must be one the fabric already sends, or one nothing applied sends yet; it is read as
 * the applied fabric reads it, never sent in clear text, and never with a CA the fabric has not applied,
 * so that a pull request cannot pair an allowed name with its own way of reading a secret, a secret of
 * another fabric, or its own certificate.
 */
function trustedHostAllows(d: Delivery, applied: State, bound: readonly Delivery[], overrides: ProviderOverrides | undefined): boolean {
  const e = d.endpoint;
  if (e.kind !== "smtp" || e.tls === "none" || e.insecure) return false;
  const fabric = applied.fabrics.find((f) => f.name === d.fabric);
  if (!fabric || !fabric.trustedHosts.some((p) => hostMatches(p, e.host, e.port))) return false;
  const readAsApplied =
    bound.length === 0
      ? resolverKey(readingResolver(d.source, fabric.secretProviders, overrides)) === resolverKey(d.resolver)
      : bound.some((b) => b.fabric === d.fabric && resolverKey(b.resolver) === resolverKey(d.resolver));
  if (!readAsApplied) return false;
  return e.caSha256 === undefined || fabric.connections.some((c) => c.caSha256 === e.caSha256);
}

/** What differs between a refused delivery and the nearest one the applied state binds, in words. */
function difference(d: Delivery, bound: readonly Delivery[]): string {
  const named = describeSecretRef(d.source);
  const inFabric = bound.filter((b) => b.fabric === d.fabric);
  if (bound.length === 0) return `the applied state sends ${named} nowhere yet`;
  if (inFabric.length === 0) {
    const fabrics = [...new Set(bound.map((b) => b.fabric || "the Prophecy token"))].sort();
    return `${named} is applied only in ${fabrics.map((f) => `fabric ${f}`).join(", ")}, not in fabric ${d.fabric}`;
  }
  const near = inFabric.find((b) => endpointKey(b.endpoint) === endpointKey(d.endpoint)) ?? inFabric[0]!;
  if (resolverKey(near.resolver) !== resolverKey(d.resolver)) {
    return `the applied state reads ${named} ${describeResolver(near.resolver) || "from the environment"}, and this run would read it ${describeResolver(d.resolver) || "from the environment"}`;
  }
  return `the applied state sends ${named} only to ${[...new Set(inFabric.map((b) => describeEndpoint(b.endpoint)))].join(", ")}`;
}

export function checkDelivery(delivery: Delivery, applied: State | undefined, options: TrustOptions): TrustDecision {
  if (options.trustNewHosts) return { allowed: true, because: "trust-new-hosts" };
  const named = describeSecretRef(delivery.source);
  const to = describeDelivery(delivery);
  const advice = "run with --trust-new-hosts once the change is reviewed";
  if (!applied) {
    return { allowed: false, reason: `refusing to send ${named} to ${to}: nothing is applied yet, so no delivery of it has been reviewed; ${advice}` };
  }
  const deliveries = appliedDeliveries(applied, options.overrides);
  if (deliveries.keys.has(deliveryKey(delivery))) return { allowed: true, because: "applied" };
  const bound = deliveries.bySource.get(named) ?? [];
  if (trustedHostAllows(delivery, applied, bound, options.overrides)) return { allowed: true, because: "trusted-host" };
  const hostNote =
    delivery.endpoint.kind === "smtp" && delivery.fabric !== ""
      ? ` Add ${formatHostPort(delivery.endpoint)} to fabric ${delivery.fabric}'s trustedHosts and apply that, or ${advice}`
      : ` ${advice.charAt(0).toUpperCase()}${advice.slice(1)}`;
  return { allowed: false, reason: `refusing to send ${named} to ${to}: ${difference(delivery, bound)}.${hostNote}` };
}
