// Opening a connection to Prophecy, with the trust rules first: nothing resolves the token, reads a CA
// or opens a socket before the token may go where the settings say. Two ways in:
// - for a refresh (plan), the settings the state records as applied: a pull request that changes the
//   prophecy block cannot redirect the token, because refresh never uses the block's URL, CA or token
//   settings, only the reviewed and applied ones (the CA from the state itself);
// - for apply and import, the config's settings, which the trust rules allow when they equal the
//   applied ones or the run says --trust-new-hosts.
import { parseHttpsEndpoint } from "../config/httpsEndpoint.js";
import { maxCaFileBytes } from "../config/limits.js";
import { caDigest } from "../files/caFile.js";
import { readBoundedFile } from "../files/readBoundedFile.js";
import type { ProphecySettings, SecretRef } from "../model.js";
import type { TargetSettings } from "../plan/targetDestination.js";
import { secretResolver } from "../secrets/resolveSecret.js";
import type { State } from "../state/stateStore.js";
import { secretProvidersConfig, secretRefConfig, secretRefOf, type FabricConfig } from "../synth/fabricConfig.js";
import type { RefreshedState } from "../apply/applyTarget.js";
import { ProphecyClient } from "./client.js";
import { refreshProphecy } from "./refresh.js";
import { checkTokenDelivery, checkUploadDelivery } from "./deliveryCheck.js";
import { ProphecyTarget, type UploadGate } from "./target.js";
import { appliedSettings, type EndpointSettings } from "./targetState.js";

export interface ConnectOptions {
  /** Per API call. */
  readonly timeoutMs: number;
  /** Calls in flight at once. */
  readonly parallelism: number;
}

/** The config's prophecy block as plans and the state record it. */
export function targetSettingsOf(p: ProphecySettings): TargetSettings {
  return {
    url: p.url,
    ...(p.caSha256 !== undefined && { caSha256: p.caSha256 }),
    token: secretRefConfig(p.token),
    tokenSecrets: secretProvidersConfig(p.secrets),
  };
}

async function readToken(settings: TargetSettings): Promise<{ token: string } | { error: string }> {
  const read = await secretResolver(settings.tokenSecrets)(secretRefOf(settings.token));
  if (!read.ok) return { error: `cannot read the Prophecy token: ${read.reason}` };
  if (read.value === "") return { error: "the Prophecy token is empty" };
  return { token: read.value };
}

function client(endpoint: EndpointSettings, token: string, options: ConnectOptions): ProphecyClient {
  return new ProphecyClient({
    url: endpoint.url,
    token,
    ...(endpoint.caPem !== undefined && { caPem: endpoint.caPem }),
    timeoutMs: options.timeoutMs,
    maxSockets: options.parallelism,
  });
}

/**
 * A client that reads Prophecy with the settings `applied` records (its targets.prophecy), for a
 * refresh; undefined when nothing was applied to Prophecy (a refresh then needs no call at all).
 */
export async function connectApplied(applied: State | undefined, options: ConnectOptions): Promise<ProphecyClient | undefined | { error: string }> {
  const target = applied?.targets?.prophecy;
  if (!target) return undefined;
  const endpoint = appliedSettings(target);
  // The state passes its schema, not the config's rules: one pushed by hand is held to them here.
  const url = parseHttpsEndpoint(endpoint.url);
  if ("error" in url) return { error: `the Prophecy URL the state records as applied ${url.error}` };
  // Bound by definition; asked all the same, so that every request that carries the token passes the trust rules.
  const trust = checkTokenDelivery(endpoint, applied, { trustNewHosts: false });
  if (!trust.allowed) return { error: trust.reason };
  const token = await readToken(endpoint);
  return "error" in token ? token : client(endpoint, token.token, options);
}

/** The config's CA, read again as untrusted input, and only if its content is the one the config was checked with. */
async function configuredCa(p: ProphecySettings): Promise<{ caPem?: string } | { error: string }> {
  if (p.caFile === undefined) return {};
  const read = await readBoundedFile(p.caFile, { maxBytes: maxCaFileBytes, timeoutMs: 5_000 });
  if (!read.ok) return { error: `prophecy.caFile ${p.caFile} ${read.reason}` };
  if (caDigest(read.bytes) !== p.caSha256) return { error: `prophecy.caFile ${p.caFile} changed while fabricate ran; run again` };
  return { caPem: read.bytes.toString("utf8") };
}

export interface OpenOptions extends ConnectOptions {
  readonly trustNewHosts: boolean;
}

/** A client for the config's prophecy block, once the trust rules let the token go there (apply, import). */
export async function connectConfigured(p: ProphecySettings, applied: State | undefined, options: OpenOptions): Promise<{ client: ProphecyClient; endpoint: EndpointSettings } | { error: string }> {
  const settings = targetSettingsOf(p);
  const trust = checkTokenDelivery(settings, applied, { trustNewHosts: options.trustNewHosts });
  if (!trust.allowed) return { error: trust.reason };
  const ca = await configuredCa(p);
  if ("error" in ca) return ca;
  const token = await readToken(settings);
  if ("error" in token) return token;
  const endpoint: EndpointSettings = { ...settings, ...ca };
  return { client: client(endpoint, token.token, options), endpoint };
}

/**
 * The apply target for the config's prophecy block; the same trust rules guard every value it uploads
 * (`applied` is the state as read before this run, never what a refresh found).
 */
export async function openProphecyTarget(p: ProphecySettings, applied: State | undefined, options: OpenOptions): Promise<ProphecyTarget | { error: string }> {
  const connected = await connectConfigured(p, applied, options);
  if ("error" in connected) return connected;
  const { client, endpoint } = connected;
  const uploads: UploadGate = async (fabric: FabricConfig, ref: SecretRef) => {
    const allowed = checkUploadDelivery(fabric, ref, endpoint, applied, { trustNewHosts: options.trustNewHosts });
    if (!allowed.allowed) return { error: allowed.reason };
    const read = await secretResolver(fabric.secretProviders)(ref);
    return read.ok ? { value: read.value } : { error: read.reason };
  };
  return new ProphecyTarget({ client, settings: endpoint, parallelism: options.parallelism, uploads });
}

/** What Prophecy holds for what `applied` records, read with the applied settings (plan's refresh). */
export async function refreshApplied(applied: State | undefined, options: ConnectOptions): Promise<RefreshedState | { error: string }> {
  const client = await connectApplied(applied, options);
  if (client && "error" in client) return { error: client.error };
  try {
    return await refreshProphecy(applied, client, options.parallelism);
  } finally {
    client?.close();
  }
}
