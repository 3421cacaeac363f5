// verify's library entry point (also what `apply` calls before it records anything): for each
// selected connection of the given fabric configs, decide whether its secret may go to its server
// (trust rules, before any socket), resolve the secret in memory, and walk a real SMTP login. One
// VerifyResult per connection, in fabric/connection order whatever order the servers answered in.
import { formatSecretRef } from "../model.js";
import { mapConcurrently } from "../concurrency.js";
import type { SecretResolverOptions } from "../secrets/resolveSecret.js";
import type { State } from "../state/stateStore.js";
import { secretRefOf, type ConnectionConfig, type FabricConfig } from "../synth/fabricConfig.js";
import { cachedCaReader, prepareSession, type CaReader } from "./prepareSession.js";
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

async function verifyOne(target: VerifyTarget, options: VerifyOptions, readCa: CaReader): Promise<VerifyResult> {
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
    ...(failure.serverReply !== undefined && { serverReply: failure.serverReply }),
    stages: report?.stages ?? [],
    durationMs: report?.durationMs ?? 0,
    ...(options.verbose && report && { transcript: report.transcript }),
  });

  const timeoutMs = options.timeoutMs ?? defaultVerifyTimeoutMs;
  // The secret's read and the CA files' are bounded by the same timeout as the session.
  const prepared = await prepareSession(fabric, c, { ...options, timeoutMs, secrets: { ...options.secrets, timeoutMs }, readCa });
  if ("failure" in prepared) return failed(prepared.failure);
  const report = await runSmtpSession(prepared.endpoint, prepared.credentials, { timeoutMs, redact: prepared.redact });
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
  const readCa = cachedCaReader();
  let done = 0;
  return mapConcurrently(targets, options.concurrency ?? defaultVerifyConcurrency, async (target) => {
    const result = await verifyOne(target, options, readCa);
    options.onResult?.(result, ++done, targets.length);
    return result;
  });
}
