// Faults a test injects so that a client's retries and its handling of an unknown outcome meet real
// sockets: status answers (429 with Retry-After, 5xx), a request never answered, a connection dropped
// before or after the change was applied, and answers a client cannot read (an HTML page, truncated
// JSON, an envelope of an unexpected shape). Rules are plain data matched in the order injected and
// consumed by count, so the same test sends the same requests the same faults: no randomness, no clock.
export type Fault =
  /** An error envelope with this status; `retryAfterSeconds` adds a Retry-After header (seconds). */
  | { readonly kind: "status"; readonly status: 429 | 500 | 502 | 503 | 504; readonly retryAfterSeconds?: number; readonly applied?: boolean }
  /** No answer at all; the connection is held open until the client gives up or the stand-in closes. */
  | { readonly kind: "hang"; readonly applied?: boolean }
  /** The connection is destroyed once the request body has been read, without an answer. */
  | { readonly kind: "drop"; readonly applied: boolean }
  /** A proxy's HTML error page with this status, where JSON was expected. */
  | { readonly kind: "html"; readonly status: 200 | 502; readonly applied?: boolean }
  /** The real answer (its status too), cut in the middle of its JSON; the change is always applied. */
  | { readonly kind: "truncatedJson" }
  /** `{"success": true, "data": <data>}` (default `{}`) with status 200; the change is always applied. */
  | { readonly kind: "unexpectedShape"; readonly data?: unknown };

export type FaultKind = Fault["kind"];

export interface FaultRule {
  /** The request method; any method when absent. */
  readonly method?: string;
  /**
   * The request path without its query string. A string matches exactly, except that a segment that is
   * just `*` matches any one segment (pathOf("createConnection", { fabricId: "*" }) makes one); a
   * RegExp is tested as it is. Any path when absent.
   */
  readonly path?: string | RegExp;
  /** How many matching requests get the fault; default 1, `Infinity` for all of them. */
  readonly times?: number;
  /** How many matching requests pass untouched before the fault starts; default 0. */
  readonly skip?: number;
  readonly fault: Fault;
}

interface ActiveRule {
  readonly method: string | undefined;
  readonly path: RegExp | undefined;
  readonly fault: Fault;
  skip: number;
  times: number;
}

export class FaultPlan {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const times = rule.times ?? 1;
    const skip = rule.skip ?? 0;
    if (!((Number.isInteger(times) || times === Infinity) && times >= 1 && Number.isInteger(skip) && skip >= 0)) {
      throw new Error(`a fault rule needs a whole times >= 1 (or Infinity) and a whole skip >= 0, not times ${times}, skip ${skip}`);
    }
    this.rules.push({ method: rule.method?.toUpperCase(), path: pathPattern(rule.path), fault: rule.fault, skip, times });
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * The fault for this request, if a rule fires. Rules are tried in the order they were added; a rule
   * still skipping counts the request and passes it on to the next rule; the first that fires wins and
   * is used up after `times` requests.
   */
  take(method: string, pathname: string): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.path !== undefined && !rule.path.test(pathname)) continue;
      if (rule.skip > 0) {
        rule.skip -= 1;
        continue;
      }
      rule.times -= 1;
      if (rule.times === 0) this.rules = this.rules.filter((r) => r !== rule);
      return rule.fault;
    }
    return undefined;
  }
}

function pathPattern(path: string | RegExp | undefined): RegExp | undefined {
  if (path === undefined || path instanceof RegExp) return path;
  const segments = path.split("/").map((s) => (s === "*" ? "[^/]+" : s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  return new RegExp(`^${segments.join("/")}$`);
}

/** Whether the stand-in carries the request out before the fault shapes what the client sees. */
export function faultApplies(fault: Fault): boolean {
  switch (fault.kind) {
    case "truncatedJson":
    case "unexpectedShape":
      return true;
    case "drop":
      return fault.applied;
    default:
      return fault.applied ?? false;
  }
}

/** What the stand-in would have answered; the corrupting faults start from it. */
export interface RealAnswer {
  readonly status: number;
  readonly json: string;
}

/** What the client gets instead of the real answer. */
export type FaultAnswer =
  | { readonly kind: "answer"; readonly status: number; readonly contentType: string; readonly text: string; readonly headers: Readonly<Record<string, string>> }
  /** Say nothing and hold the connection. */
  | { readonly kind: "silence" }
  /** Destroy the connection. */
  | { readonly kind: "drop" };

/** The fault's answer; `real` is present exactly when the fault applies (faultApplies). */
export function faultAnswer(fault: Fault, real: RealAnswer | undefined): FaultAnswer {
  switch (fault.kind) {
    case "status": {
      const message = fault.status === 429 ? "rate limit exceeded" : `injected fault: HTTP ${fault.status}`;
      const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) };
      return { kind: "answer", status: fault.status, contentType: "application/json", text: JSON.stringify({ success: false, message }), headers };
    }
    case "hang":
      return { kind: "silence" };
    case "drop":
      return { kind: "drop" };
    case "html": {
      const title = fault.status === 200 ? "Sign in" : "502 Bad Gateway";
      const text = `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`;
      return { kind: "answer", status: fault.status, contentType: "text/html; charset=utf-8", text, headers: {} };
    }
    case "truncatedJson":
      return { kind: "answer", status: real!.status, contentType: "application/json", text: real!.json.slice(0, Math.floor(real!.json.length / 2)), headers: {} };
    case "unexpectedShape":
      return { kind: "answer", status: 200, contentType: "application/json", text: JSON.stringify({ success: true, data: fault.data ?? {} }), headers: {} };
  }
}
