// Who may receive a password (DESIGN.md). verify and apply run in CI on pull requests with real
// secrets, so a pull request that points an existing secret reference at a new server must not make CI
// send the password there. A secret may go only to (a) a host and port that the applied state already
// binds to that same reference, (b) a host on the fabric's `trustedHosts` allow-list, or (c) anywhere
// when the run says --trust-new-hosts (after review, on the main branch). Pure: the decision is made
// from data before any socket is opened, and it is the same for verify, apply and send.
import { formatSecretRef, type SecretRef } from "../model.js";
import { secretRefOf, type ConnectionConfig, type FabricConfig } from "../synth/fabricConfig.js";
import type { State } from "../state/stateStore.js";
import { compareCodePoints } from "../json/canonical.js";

export interface Destination {
  readonly host: string;
  readonly port: number;
}

export type TrustDecision =
  | { readonly allowed: true; readonly because: "applied" | "trusted-host" | "trust-new-hosts" }
  | { readonly allowed: false; readonly reason: string };

export interface TrustQuestion {
  readonly fabric: FabricConfig;
  readonly connection: ConnectionConfig;
  /** What is applied, or undefined when nothing is (or no state store is used). */
  readonly applied: State | undefined;
  readonly trustNewHosts: boolean;
}

function sameHost(a: string, b: string): boolean {
  return a.replace(/\.$/, "").toLowerCase() === b.replace(/\.$/, "").toLowerCase();
}

/** `smtp.gmail.com` matches itself; `*.amazonaws.com` matches any host below amazonaws.com (not itself). */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith("*.")) {
    const domain = pattern.slice(2).replace(/\.$/, "").toLowerCase();
    const h = host.replace(/\.$/, "").toLowerCase();
    return h.endsWith(`.${domain}`) && h.length > domain.length + 1;
  }
  return sameHost(pattern, host);
}

export function formatDestination(d: Destination): string {
  return d.host.includes(":") ? `[${d.host}]:${d.port}` : `${d.host}:${d.port}`;
}

function destinationOf(c: ConnectionConfig): Destination {
  return { host: c.properties.smtpUrl, port: c.properties.smtpPort };
}

/** Every destination the applied state sends this reference to, sorted and without repeats. */
export function appliedDestinations(applied: State | undefined, ref: SecretRef): Destination[] {
  const named = formatSecretRef(ref);
  const found = new Map<string, Destination>();
  for (const fabric of applied?.fabrics ?? []) {
    for (const c of fabric.connections) {
      if (formatSecretRef(secretRefOf(c.properties.smtpPassword)) !== named) continue;
      const d = destinationOf(c);
      found.set(`${d.host.toLowerCase()}:${d.port}`, d);
    }
  }
  return [...found.entries()].sort(([a], [b]) => compareCodePoints(a, b)).map(([, d]) => d);
}

/**
 * The allow-list that counts: the fabric's trustedHosts as applied, since those were reviewed and
 * merged. A pull request's own config cannot widen it, or adding a host to trustedHosts beside a new url
 * would send the password there before anyone reviewed either. Before anything is applied, there is no
 * reviewed list, and the config's stands.
 */
function trustedHostsFor(q: TrustQuestion): readonly string[] {
  if (!q.applied) return q.fabric.trustedHosts;
  return q.applied.fabrics.find((f) => f.name === q.fabric.name)?.trustedHosts ?? [];
}

export function checkDestination(q: TrustQuestion): TrustDecision {
  const ref = secretRefOf(q.connection.properties.smtpPassword);
  const to = destinationOf(q.connection);
  const bound = appliedDestinations(q.applied, ref);
  if (bound.some((d) => sameHost(d.host, to.host) && d.port === to.port)) return { allowed: true, because: "applied" };
  if (trustedHostsFor(q).some((p) => hostMatches(p, to.host))) return { allowed: true, because: "trusted-host" };
  if (q.trustNewHosts) return { allowed: true, because: "trust-new-hosts" };
  const named = formatSecretRef(ref);
  const before =
    bound.length > 0
      ? `the applied state sends ${named} only to ${bound.map(formatDestination).join(", ")}`
      : q.applied
        ? `the applied state sends ${named} nowhere yet`
        : `nothing is applied yet, so ${named} is bound to no destination`;
  return {
    allowed: false,
    reason:
      `refusing to send ${named} to ${formatDestination(to)}: ${before}, and ${to.host} is not on fabric ${q.fabric.name}'s trustedHosts${q.applied ? " as applied" : ""}. ` +
      `Add it to trustedHosts, or run with --trust-new-hosts once the change is reviewed`,
  };
}
