// The transport to Prophecy's API: one keep-alive agent per run (node:http or node:https; a private CA
// is the only one trusted when the config gives one, and certificates are always verified), the token
// in X-AUTH-TOKEN, a timeout on each call from connect to the answer's last byte, and retries that are
// bounded in count and in total time.
//
// What is retried depends on whether repeating the call is safe. GET, PUT and DELETE are (a PUT says
// the whole state of its object; a DELETE of what is gone is then a 404 the caller reads as done):
// they are retried on 429 (after Retry-After when the server gives one), 502, 503, 504, timeouts and
// dropped connections, with exponential backoff and jitter. A POST creates something, so it is retried
// only when it surely did nothing: a 429, or a failure before the request was sent. Any other failure of
// a POST after it was sent (no answer in time, a dropped connection, a 5xx, an answer that cannot be
// read) leaves its outcome unknown: the caller records the call as pending instead of repeating it.
//
// Every failure is a value whose message names the call and the URL, in words; the token and any value
// uploaded are removed from it (a server may echo what it was sent), and so is anything past 300
// characters of the server's own message.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { redactor, type Redactor } from "../secrets/redact.js";
import { formatDuration } from "../duration.js";
import type { ApiCall } from "./api.js";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** No retry starts after this long since the first attempt. */
  readonly budgetMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

const defaultRetryPolicy: RetryPolicy = { attempts: 6, budgetMs: 120_000, baseDelayMs: 250, maxDelayMs: 10_000 };

export interface ClientSettings {
  /** The API's base URL, without a trailing slash. */
  readonly url: string;
  readonly token: string;
  /** A private CA (PEM), trusted instead of the system's roots. */
  readonly caPem?: string;
  /** Per call, connect to the answer's last byte. */
  readonly timeoutMs: number;
  /** Requests in flight at once (sockets kept open). */
  readonly maxSockets: number;
  readonly retry?: RetryPolicy;
}

export type CallOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly message: string;
      /** The HTTP status, when the failure was an answer. */
      readonly status?: number;
      /** A POST that may have been carried out: not repeated, to be recorded as pending. */
      readonly unknown: boolean;
      /** 401 or 403: the token was refused. */
      readonly tokenRefused: boolean;
    };

/** Larger answers are refused: the API's are a few kilobytes. */
const maxAnswerBytes = 32 * 1024 * 1024;

/** What one attempt came to. */
type Attempt =
  | { readonly kind: "answer"; readonly status: number; readonly contentType: string; readonly text: string; readonly retryAfter?: string }
  /** No answer; `sent` says whether the whole request had gone out, `lasting` that trying again cannot help. */
  | { readonly kind: "transport"; readonly sent: boolean; readonly reason: string; readonly lasting?: boolean };

export class ProphecyClient {
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly https: boolean;
  private readonly redact: Redactor;
  private readonly retry: RetryPolicy;

  constructor(private readonly settings: ClientSettings) {
    this.https = settings.url.startsWith("https:");
    const agentOptions = { keepAlive: true, maxSockets: settings.maxSockets };
    this.agent = this.https ? new HttpsAgent({ ...agentOptions, ...(settings.caPem !== undefined && { ca: settings.caPem }) }) : new HttpAgent(agentOptions);
    this.redact = redactor([settings.token]);
    this.retry = settings.retry ?? defaultRetryPolicy;
  }

  get url(): string {
    return this.settings.url;
  }

  async call<T>(call: ApiCall<T>, sensitive: readonly string[] = []): Promise<CallOutcome<T>> {
    const started = Date.now();
    const redact = sensitive.length > 0 ? ((r: Redactor) => (t: string) => r(this.redact(t)))(redactor(sensitive)) : this.redact;
    const where = `${call.method} ${this.settings.url}${call.path}`;
    const fail = (reason: string, extra: { status?: number; unknown?: boolean } = {}): CallOutcome<T> => ({
      ok: false,
      message: redact(`${call.what}: ${reason} (${where})`),
      ...(extra.status !== undefined && { status: extra.status }),
      unknown: extra.unknown ?? false,
      tokenRefused: extra.status === 401 || extra.status === 403,
    });
    const idempotent = call.method !== "POST";
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(call);
      let retryable: string | undefined;
      let retryAfter: string | undefined;
      if (result.kind === "transport") {
        if (result.lasting) return fail(result.reason);
        if (!idempotent && result.sent) return fail(`${result.reason} after the request was sent, so whether it was carried out is unknown`, { unknown: true });
        retryable = result.reason;
      } else {
        const { status } = result;
        if (status === 429) {
          retryable = "HTTP 429 (rate limited)";
          retryAfter = result.retryAfter;
        } else if (status >= 500) {
          if (!idempotent) return fail(`HTTP ${status}${serverMessage(envelopeMessage(result.text))}, so whether it was carried out is unknown`, { status, unknown: true });
          if (status === 502 || status === 503 || status === 504) retryable = `HTTP ${status}${serverMessage(envelopeMessage(result.text))}`;
          else return fail(`HTTP ${status}${serverMessage(envelopeMessage(result.text))}`, { status });
        } else {
          return this.read(call, result, fail, idempotent);
        }
      }
      const elapsed = Date.now() - started;
      const delay = retryAfter !== undefined ? retryAfterMs(retryAfter) ?? this.backoff(attempt) : this.backoff(attempt);
      if (attempt >= this.retry.attempts || elapsed + delay > this.retry.budgetMs) {
        return fail(`${retryable}; gave up after ${attempt} attempt${attempt > 1 ? "s" : ""} in ${formatDuration(elapsed)}`, result.kind === "answer" ? { status: result.status } : {});
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  close(): void {
    this.agent.destroy();
  }

  /** Exponential with full jitter between half and all of it, so that parallel retries spread out. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  private read<T>(call: ApiCall<T>, answer: Extract<Attempt, { kind: "answer" }>, fail: (reason: string, extra?: { status?: number; unknown?: boolean }) => CallOutcome<T>, idempotent: boolean): CallOutcome<T> {
    const { status } = answer;
    // A 2xx we cannot read may still have created what a POST asked for.
    const unknown = !idempotent && status >= 200 && status < 300;
    const unreadable = (why: string) => fail(`${why}${unknown ? ", so whether it was carried out is unknown" : ""}`, { status, unknown });
    if (status >= 300 && status < 400) return fail(`HTTP ${status}: the API answered with a redirect, which fabricate does not follow (the token would go along): is the URL that of the API?`, { status });
    if (status === 401 || status === 403) {
      return fail(`Prophecy at ${this.settings.url} refused the token (HTTP ${status}${serverMessage(envelopeMessage(answer.text))})`, { status });
    }
    if (/^text\/html/i.test(answer.contentType)) return unreadable(`the answer is an HTML page (HTTP ${status}), not the API's JSON: is the URL that of the API, and no proxy or sign-in page in between?`);
    let envelope: unknown;
    try {
      envelope = JSON.parse(answer.text);
    } catch {
      return unreadable(`the answer (HTTP ${status}) is not valid JSON: it may have been cut short`);
    }
    const e = envelope !== null && typeof envelope === "object" ? (envelope as { success?: unknown; data?: unknown; message?: unknown }) : undefined;
    if (status >= 400 || e?.success === false) return fail(`HTTP ${status}${serverMessage(e?.message)}`, { status });
    if (e?.success !== true) return unreadable(`the answer (HTTP ${status}) is not the API's envelope {"success": true, "data": …}`);
    const value = call.read(e.data);
    if (value === undefined) return unreadable(`the answer (HTTP ${status}) does not hold ${call.expected}`);
    return { ok: true, value };
  }

  private attempt(call: ApiCall<unknown>): Promise<Attempt> {
    const body = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body), "utf8");
    const headers: Record<string, string | number> = { "X-AUTH-TOKEN": this.settings.token, Accept: "application/json" };
    if (body) {
      headers["Content-Type"] = "application/json";
      headers["Content-Length"] = body.length;
    }
    const send = this.https ? httpsRequest : httpRequest;
    return new Promise<Attempt>((resolve) => {
      let sent = false;
      let settled = false;
      const settle = (attempt: Attempt) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(attempt);
      };
      const req = send(`${this.settings.url}${call.path}`, { method: call.method, headers, agent: this.agent });
      const timer = setTimeout(() => {
        settle({ kind: "transport", sent, reason: `no answer within ${formatDuration(this.settings.timeoutMs)}` });
        req.destroy();
      }, this.settings.timeoutMs);
      req.on("finish", () => (sent = true));
      req.on("error", (e: NodeJS.ErrnoException) => settle({ kind: "transport", sent, ...describeTransportError(e) }));
      req.on("response", (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > maxAnswerBytes) {
            settle({ kind: "transport", sent: true, reason: `the answer is larger than ${maxAnswerBytes} bytes` });
            req.destroy();
          } else chunks.push(chunk);
        });
        res.on("error", (e: NodeJS.ErrnoException) => settle({ kind: "transport", sent: true, reason: `the answer broke off (${describeTransportError(e).reason})` }));
        res.on("aborted", () => settle({ kind: "transport", sent: true, reason: "the answer broke off" }));
        res.on("end", () => {
          const retryAfter = res.headers["retry-after"];
          settle({
            kind: "answer",
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"] ?? "",
            text: Buffer.concat(chunks).toString("utf8"),
            ...(typeof retryAfter === "string" && { retryAfter }),
          });
        });
      });
      req.end(body);
    });
  }
}

/** The `message` of an error envelope, if the text is one. */
function envelopeMessage(text: string): unknown {
  try {
    return (JSON.parse(text) as { message?: unknown } | null)?.message;
  } catch {
    return undefined;
  }
}

/** The server's own message, quoted, bounded, and without control characters. */
function serverMessage(message: unknown): string {
  if (typeof message !== "string") return "";
  const clean = message.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  if (clean === "") return "";
  return `: ${JSON.stringify(clean.length > 300 ? `${clean.slice(0, 300)}…` : clean)}`;
}

/** A transport failure in words; `lasting` for those that trying again cannot mend (a certificate, an unknown name). */
function describeTransportError(e: NodeJS.ErrnoException): { reason: string; lasting?: true } {
  switch (e.code) {
    case "ECONNREFUSED":
      return { reason: "the connection was refused" };
    case "ECONNRESET":
    case "EPIPE":
      return { reason: "the connection was dropped" };
    case "ENOTFOUND":
      return { reason: "the host name does not resolve", lasting: true };
    case "EAI_AGAIN":
      return { reason: "the host name could not be resolved just now" };
    case "ETIMEDOUT":
      return { reason: "the connection timed out" };
    default:
      if (e.code?.startsWith("ERR_TLS") || /certificate|self.signed|CERT_|SSL/i.test(`${e.code ?? ""} ${e.message}`)) {
        return { reason: `TLS failed: ${e.code ?? e.message} (a self-hosted instance with a private CA needs prophecy.caFile)`, lasting: true };
      }
      return { reason: e.message === "socket hang up" ? "the connection was dropped" : `${e.code ?? "error"}: ${e.message}` };
  }
}

/** Retry-After in seconds or as an HTTP date, as milliseconds from now; undefined when unreadable. */
function retryAfterMs(value: string): number | undefined {
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
