// Everything that must hold before a socket opens, shared by verify and send so that both refuse the
// same things in the same order: the private CA files are read first (bounded: a regular file under a
// cap, within the session's time), because the trust rules bind a CA by its content; then the trust
// rules decide on the whole delivery, before any secret is resolved (an exec provider runs a command, a
// Vault provider sends VAULT_TOKEN); then the cleartext guard; and last the secret itself, read with the
// provider settings the trust rules just compared with what is applied.
import { maxCaFileBytes } from "../config/limits.js";
import { caDigest, caFileProblem } from "../files/caFile.js";
import { readBoundedFile } from "../files/readBoundedFile.js";
import { redactor, type Redactor } from "../secrets/redact.js";
import { secretResolver, type SecretResolverOptions } from "../secrets/resolveSecret.js";
import type { State } from "../state/stateStore.js";
import { secretRefOf, type ConnectionConfig, type FabricConfig } from "../synth/fabricConfig.js";
import { checkDelivery, smtpDelivery } from "../trust/delivery.js";
import type { Credentials, Endpoint } from "./smtpSession.js";
import type { Failure } from "./verifyResult.js";

export interface PrepareOptions {
  readonly applied: State | undefined;
  readonly trustNewHosts?: boolean;
  /** A PEM file of a private CA trusted beside the connection's own caFile: the operator's, not the config's. */
  readonly caFile?: string;
  readonly secrets?: SecretResolverOptions;
  /** Bounds reading the CA files, as the session's timeout bounds the session. */
  readonly timeoutMs: number;
  /** Reads a CA file; verify passes a cached one so that 500 connections read it once. */
  readonly readCa?: CaReader;
}

export interface PreparedSession {
  readonly endpoint: Endpoint;
  readonly credentials: Credentials;
  readonly redact: Redactor;
}

export interface CaFile {
  readonly pem: string;
  readonly sha256: string;
}

export type CaReader = (path: string, timeoutMs: number) => Promise<CaFile | { error: string }>;

async function readCaFile(path: string, timeoutMs: number): Promise<CaFile | { error: string }> {
  const read = await readBoundedFile(path, { maxBytes: maxCaFileBytes, timeoutMs });
  if (!read.ok) return { error: `CA file ${path} ${read.reason}` };
  const problem = caFileProblem(read.bytes);
  if (problem) return { error: `CA file ${path} ${problem}` };
  return { pem: read.bytes.toString("utf8"), sha256: caDigest(read.bytes) };
}

/** A CA reader that reads each file once per run. */
export function cachedCaReader(): CaReader {
  const cache = new Map<string, Promise<CaFile | { error: string }>>();
  return (path, timeoutMs) => {
    if (!cache.has(path)) cache.set(path, readCaFile(path, timeoutMs));
    return cache.get(path)!;
  };
}

export async function prepareSession(fabric: FabricConfig, connection: ConnectionConfig, options: PrepareOptions): Promise<PreparedSession | { failure: Failure }> {
  const read = options.readCa ?? readCaFile;
  const own = connection.caFile === undefined ? undefined : await read(connection.caFile, options.timeoutMs);
  if (own && "error" in own) return { failure: { class: "tls", message: own.error } };
  const delivery = smtpDelivery(fabric, connection, { ...(options.secrets?.overrides && { overrides: options.secrets.overrides }), caSha256: own?.sha256 });
  const trust = checkDelivery(delivery, options.applied, { trustNewHosts: options.trustNewHosts ?? false, ...(options.secrets?.overrides && { overrides: options.secrets.overrides }) });
  if (!trust.allowed) return { failure: { class: "untrusted", message: trust.reason } };
  if (connection.tls === "none" && !connection.insecure) {
    return { failure: { class: "tls", message: "tls: none sends the password in clear text and needs insecure: true on the connection; nothing was sent" } };
  }
  const extra = options.caFile === undefined ? undefined : await read(options.caFile, options.timeoutMs);
  if (extra && "error" in extra) return { failure: { class: "tls", message: extra.error } };
  const ca = [own, extra].filter((c): c is CaFile => c !== undefined).map((c) => c.pem);
  const secret = await secretResolver(fabric.secretProviders, options.secrets)(secretRefOf(connection.properties.smtpPassword));
  if (!secret.ok) return { failure: { class: "secret", message: secret.reason } };
  const user = connection.properties.smtpUsername;
  return {
    endpoint: { host: connection.properties.smtpUrl, port: connection.properties.smtpPort, tls: connection.tls, insecure: connection.insecure, ca },
    credentials: { user, pass: secret.value },
    redact: redactor([secret.value], user),
  };
}
