// The record of every request the stand-in received, in arrival order, for tests that assert what a
// client sent. It never holds a credential: the token is recorded as missing, unknown or valid (and
// whose), and every `value` field of a body (where secret values travel) is replaced by a marker, so
// that a test can see a value was sent while the log itself stays safe to print.
import type { FaultKind } from "./faults.js";

/** Stands in the log for a secret value a client sent. */
export const secretValueMarker = "[secret value]";

export type TokenState = "missing" | "unknown" | "valid";

export interface RecordedRequest {
  /** 1 for the first request since the start or the last reset, then 2, 3, …: arrival order. */
  readonly seq: number;
  readonly method: string;
  /** As sent, query string included. */
  readonly path: string;
  /** Lower-cased names; X-AUTH-TOKEN, Authorization and Cookie left out. */
  readonly headers: Readonly<Record<string, string>>;
  readonly token: TokenState;
  /** The token's user, when the token was valid. */
  readonly user?: string;
  /** The body parsed as JSON, secret values replaced by secretValueMarker; absent if empty or not JSON. */
  readonly body?: unknown;
  readonly bodyBytes: number;
  /** The status answered; absent when nothing was (a hang, a dropped connection). */
  readonly status?: number;
  /** The injected fault that shaped the answer, if one did. */
  readonly fault?: FaultKind;
}

type Draft = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

const credentialHeaders = new Set(["x-auth-token", "authorization", "cookie"]);

export class RequestLog {
  private records: Draft[] = [];

  /** Records a request as it arrives; the returned draft gets its status and fault once answered. */
  add(entry: Omit<RecordedRequest, "seq" | "headers" | "body" | "status" | "fault"> & {
    readonly rawHeaders: NodeJS.Dict<string | string[]>;
    readonly json: unknown;
  }): Draft {
    const { rawHeaders, json, ...rest } = entry;
    const record: Draft = { seq: this.records.length + 1, ...rest, headers: keptHeaders(rawHeaders) };
    if (json !== undefined) record.body = redactSecretValues(json);
    this.records.push(record);
    return record;
  }

  /** Copies, so that a test holding them sees the log as it was. */
  all(): RecordedRequest[] {
    return structuredClone(this.records);
  }

  clear(): void {
    this.records = [];
  }
}

function keptHeaders(raw: NodeJS.Dict<string | string[]>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || credentialHeaders.has(name)) continue;
    kept[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return kept;
}

/** A deep copy of a JSON value with every `value` field replaced by the marker. */
function redactSecretValues(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(redactSecretValues);
  if (json === null || typeof json !== "object") return json;
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, k === "value" ? secretValueMarker : redactSecretValues(v)]));
}
