// What verify tells about one connection: plain data that renderers print and apply reads. No
// nodemailer here, so renderers and callers stay light.
import type { TlsMode } from "../model.js";

/**
 * The steps of an SMTP login, in order. `connect+tls` is the TCP connection and the TLS handshake of
 * implicit TLS, which happen in one call; `ehlo` appears twice around STARTTLS.
 */
export type Stage = "dns" | "connect" | "connect+tls" | "greeting" | "ehlo" | "starttls" | "auth" | "send" | "quit";

export interface StageTiming {
  readonly stage: Stage;
  readonly ms: number;
}

/** One class per failure, so that CI reports and people can act on it without reading a transcript. */
export type FailureClass =
  | "dns"
  | "refused"
  | "timeout"
  | "tls"
  | "starttls-unavailable"
  | "auth-unsupported"
  | "auth-failed"
  | "rejected"
  | "secret"
  | "untrusted"
  | "protocol";

export const failureClasses: readonly FailureClass[] = [
  "dns",
  "refused",
  "timeout",
  "tls",
  "starttls-unavailable",
  "auth-unsupported",
  "auth-failed",
  "rejected",
  "secret",
  "untrusted",
  "protocol",
];

export interface Failure {
  readonly class: FailureClass;
  /** Where it went wrong; absent when no connection was attempted (secret, untrusted). */
  readonly stage?: Stage;
  /** Our explanation, naming what to do where we can. */
  readonly message: string;
  /** The server's own words, when it said something before AUTH (serverReply.ts says why only then). */
  readonly serverText?: string;
  /** From AUTH on: the server's reply code and a fixed description of it, never its text. */
  readonly serverReply?: string;
}

export interface VerifyResult {
  readonly fabric: string;
  readonly connection: string;
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMode;
  readonly username: string;
  /** The reference, as in `env:GMAIL_ALERTS_PASSWORD`; never the value. */
  readonly secret: string;
  readonly result: "ok" | FailureClass;
  readonly message: string;
  readonly stage?: Stage;
  readonly serverText?: string;
  readonly serverReply?: string;
  readonly stages: readonly StageTiming[];
  readonly durationMs: number;
  /** The SMTP dialogue, the server's replies from AUTH on as codes only; only when asked for (--verbose). */
  readonly transcript?: readonly string[];
}

export function isOk(r: VerifyResult): boolean {
  return r.result === "ok";
}

/** `ehlo 2ms, starttls 9ms, …`: the time each stage took. */
export function formatStages(r: VerifyResult): string {
  return r.stages.map((s) => `${s.stage} ${s.ms}ms`).join(", ");
}

export function countResults(results: readonly VerifyResult[]): { ok: number; failed: number } {
  const ok = results.filter(isOk).length;
  return { ok, failed: results.length - ok };
}
