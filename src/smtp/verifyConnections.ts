// verify's library entry point (also what `apply` calls before it records anything): for each
// selected connection of the given fabric configs, decide whether its secret may go to its server
// (trust rules, before any socket), resolve the secret in memory, and walk a real SMTP login. One
// VerifyResult per connection, in fabric/connection order whatever order the servers answered in.
import { readFile } from "node:fs/promises";
import { formatSecretRef } from "../model.js";
import { mapConcurrently } from "../concurrency.js";
import { redactor } from "../secrets/redact.js";
import { secretResolver, type SecretResolverOptions } from "../secrets/resolveSecret.js";
import type { State } from "../state/stateStore.js";
import { secretRefOf, type ConnectionConfig, type FabricConfig } from "../synth/fabricConfig.js";
import { checkDestination } from "../trust/trustRules.js";
import { runSmtpSession, type SessionReport } from "./smtpSession.js";
import type { Failure, VerifyResult } from "./verifyResult.js";

export const defaultVerifyTimeoutMs = 10_000;
export const defaultVerifyConcurrency = 8;

export interface VerifyOptions {
  /** Bounds each connection's whole session, from DNS to QUIT. Default 10s. */
  readonly timeoutMs?: number;
  /** Connections checked at once. Default 8. */
  readonly concurrency?: number;
  /** A PEM file of a private CA trusted for every connection (beside each connection's own caFile). */
  readonly caFile?: string;
  /** The applied state, for the trust rules; undefined when nothing is applied. */
  readonly applied: State | undefined;
  readonly trustNewHosts?: boolean;
  readonly secrets?: SecretResolverOptions;
  /** Keep each session's redacted transcript in its result. */
  readonly verbose?: boolean;
  /** Which connections to check; all when absent. */
  readonly include?: (fabric: FabricConfig, connection: ConnectionConfig) => boolean;
  /** Called as each connection finishes, for a progress display. */
  readonly onResult?: (result: VerifyResult, done: number, total: number) => void;
}

export interface VerifyTarget {
  readonly fabric: FabricConfig;
  readonly connection: ConnectionConfig;
}

export function verifyTargets(fabrics: readonly FabricConfig[], include?: VerifyOptions["include"]): VerifyTarget[] {
  return fabrics.flatMap((fabric) => fabric.connections.filter((c) => !include || include(fabric, c)).map((connection) => ({ fabric, connection })));
}

/** Reads CA files once per run, however many connections name them. */
function caReader(): (path: string) => Promise<string | { error: string }> {
  const cache = new Map<string, Promise<string | { error: string }>>();
  return (path) => {
    if (!cache.has(path)) {
      cache.set(
        path,
        readFile(path, "utf8").then(
          (pem) => (pem.includes("-----BEGIN CERTIFICATE-----") ? pem : { error: `CA file ${path} holds no PEM certificate` }),
          (e: NodeJS.ErrnoException) => ({ error: `CA file ${path} cannot be read (${e.code ?? e.message})` }),
        ),
      );
    }
    return cache.get(path)!;
  };
}

async function verifyOne(target: VerifyTarget, options: VerifyOptions, readCa: ReturnType<typeof caReader>): Promise<VerifyResult> {
  const { fabric, connection: c } = target;
  const ref = secretRefOf(c.properties.smtpPassword);
  const base = {
    fabric: fabric.name,
    connection: c.name,
    host: c.properties.smtpUrl,
    port: c.properties.smtpPort,
    tls: c.tls,
    username: c.properties.smtpUsername,
    secret: formatSecretRef(ref),
  };
  const failed = (failure: Failure, report?: SessionReport<unknown>): VerifyResult => ({
    ...base,
    result: failure.class,
    message: failure.message,
    ...(failure.stage !== undefined && { stage: failure.stage }),
    ...(failure.serverText !== undefined && { serverText: failure.serverText }),
    stages: report?.stages ?? [],
    durationMs: report?.durationMs ?? 0,
    ...(options.verbose && report && { transcript: report.transcript }),
  });

  const trust = checkDestination({ fabric, connection: c, applied: options.applied, trustNewHosts: options.trustNewHosts ?? false });
  if (!trust.allowed) return failed({ class: "untrusted", message: trust.reason });
  if (c.tls === "none" && !c.insecure) {
    return failed({ class: "tls", message: "tls: none sends the password in clear text and needs insecure: true on the connection; nothing was sent" });
  }
  const ca: string[] = [];
  for (const path of [c.caFile, options.caFile]) {
    if (path === undefined) continue;
    const pem = await readCa(path);
    if (typeof pem !== "string") return failed({ class: "tls", message: pem.error });
    ca.push(pem);
  }
  const secret = await secretResolver(fabric.secretProviders, options.secrets)(ref);
  if (!secret.ok) return failed({ class: "secret", message: secret.reason });

  const report = await runSmtpSession(
    { host: base.host, port: base.port, tls: c.tls, insecure: c.insecure, ca },
    { user: base.username, pass: secret.value },
    { timeoutMs: options.timeoutMs ?? defaultVerifyTimeoutMs, redact: redactor([secret.value], base.username) },
  );
  if (!report.outcome.ok) return failed(report.outcome.failure, report);
  const over = c.tls === "none" ? "in clear text (insecure: true)" : c.tls === "implicit" ? "over implicit TLS" : "over STARTTLS";
  return {
    ...base,
    result: "ok",
    message: `the server accepted the credentials (AUTH ${report.outcome.mechanism}) ${over}`,
    stages: report.stages,
    durationMs: report.durationMs,
    ...(options.verbose && { transcript: report.transcript }),
  };
}

export async function verifyConnections(fabrics: readonly FabricConfig[], options: VerifyOptions): Promise<VerifyResult[]> {
  const targets = verifyTargets(fabrics, options.include);
  const readCa = caReader();
  let done = 0;
  return mapConcurrently(targets, options.concurrency ?? defaultVerifyConcurrency, async (target) => {
    const result = await verifyOne(target, options, readCa);
    options.onResult?.(result, ++done, targets.length);
    return result;
  });
}
