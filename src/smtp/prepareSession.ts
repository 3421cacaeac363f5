// Everything that must hold before a socket opens, shared by verify and send so that both refuse the
// same things in the same order: the trust rules first (no secret is even resolved for a destination
// it may not go to), then the cleartext guard, the private CA files, and last the secret itself.
import { readFile } from "node:fs/promises";
import { redactor, type Redactor } from "../secrets/redact.js";
import { secretResolver, type SecretResolverOptions } from "../secrets/resolveSecret.js";
import type { State } from "../state/stateStore.js";
import { secretRefOf, type ConnectionConfig, type FabricConfig } from "../synth/fabricConfig.js";
import { checkDestination } from "../trust/trustRules.js";
import type { Credentials, Endpoint } from "./smtpSession.js";
import type { Failure } from "./verifyResult.js";

export interface PrepareOptions {
  readonly applied: State | undefined;
  readonly trustNewHosts?: boolean;
  /** A PEM file of a private CA trusted beside the connection's own caFile. */
  readonly caFile?: string;
  readonly secrets?: SecretResolverOptions;
  /** Reads a CA file; verify passes a cached one so that 500 connections read it once. */
  readonly readCa?: CaReader;
}

export interface PreparedSession {
  readonly endpoint: Endpoint;
  readonly credentials: Credentials;
  readonly redact: Redactor;
}

export type CaReader = (path: string) => Promise<string | { error: string }>;

async function readCaFile(path: string): Promise<string | { error: string }> {
  try {
    const pem = await readFile(path, "utf8");
    return pem.includes("-----BEGIN CERTIFICATE-----") ? pem : { error: `CA file ${path} holds no PEM certificate` };
  } catch (e) {
    return { error: `CA file ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
}

/** A CA reader that reads each file once per run. */
export function cachedCaReader(): CaReader {
  const cache = new Map<string, Promise<string | { error: string }>>();
  return (path) => {
    if (!cache.has(path)) cache.set(path, readCaFile(path));
    return cache.get(path)!;
  };
}

export async function prepareSession(fabric: FabricConfig, connection: ConnectionConfig, options: PrepareOptions): Promise<PreparedSession | { failure: Failure }> {
  const trust = checkDestination({ fabric, connection, applied: options.applied, trustNewHosts: options.trustNewHosts ?? false });
  if (!trust.allowed) return { failure: { class: "untrusted", message: trust.reason } };
  if (connection.tls === "none" && !connection.insecure) {
    return { failure: { class: "tls", message: "tls: none sends the password in clear text and needs insecure: true on the connection; nothing was sent" } };
  }
  const ca: string[] = [];
  for (const path of [connection.caFile, options.caFile]) {
    if (path === undefined) continue;
    const pem = await (options.readCa ?? readCaFile)(path);
    if (typeof pem !== "string") return { failure: { class: "tls", message: pem.error } };
    ca.push(pem);
  }
  const secret = await secretResolver(fabric.secretProviders, options.secrets)(secretRefOf(connection.properties.smtpPassword));
  if (!secret.ok) return { failure: { class: "secret", message: secret.reason } };
  const user = connection.properties.smtpUsername;
  return {
    endpoint: { host: connection.properties.smtpUrl, port: connection.properties.smtpPort, tls: connection.tls, insecure: connection.insecure, ca },
    credentials: { user, pass: secret.value },
    redact: redactor([secret.value], user),
  };
}
