// Talking to the Prophecy stand-in in tests: two teams, a token for each, bodies shaped as the API
// wants them, and a call() over Node's fetch that returns status, headers and the parsed envelope.
import { pathOf, routeTable, startProphecyStandIn, type ProphecyStandIn, type ProphecyStandInOptions, type RouteName, type RouteParams } from "../../src/demo/prophecyStandIn/index.js";

export const teams = [
  { id: "31", name: "marketing" },
  { id: "32", name: "finance" },
] as const;

export const aliceToken = "alice-token";
export const bobToken = "bob-token";

export const standInOptions: ProphecyStandInOptions = {
  teams,
  tokens: {
    [aliceToken]: { user: "alice@example.com", teams: ["marketing"] },
    [bobToken]: { user: "bob@example.com", teams: ["finance"] },
  },
};

export const startTestStandIn = (extra: Partial<ProphecyStandInOptions> = {}): Promise<ProphecyStandIn> => startProphecyStandIn({ ...standInOptions, ...extra });

export interface CallOptions {
  /** Sent as JSON unless a string, which is sent as it is. */
  readonly body?: unknown;
  /** Default alice's; null sends no X-AUTH-TOKEN. */
  readonly token?: string | null;
  /** Default application/json when there is a body; null sends none. */
  readonly contentType?: string | null;
  readonly signal?: AbortSignal;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined if it is not JSON. */
  readonly json: unknown;
}

/** data.id of a successful answer; throws with the answer otherwise. */
export function idIn(result: CallResult): string {
  const id = (result.json as { data?: { id?: unknown } } | undefined)?.data?.id;
  if (result.status !== 200 || typeof id !== "string") throw new Error(`expected data.id in a 200 answer, got ${result.status} ${result.text}`);
  return id;
}

export async function call(standIn: ProphecyStandIn, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? aliceToken : options.token;
  if (token !== null) headers["X-AUTH-TOKEN"] = token;
  const hasBody = options.body !== undefined;
  const contentType = options.contentType === undefined ? (hasBody ? "application/json" : null) : options.contentType;
  if (contentType !== null) headers["Content-Type"] = contentType;
  const res = await fetch(`${standIn.url}${path}`, {
    method,
    headers,
    ...(hasBody && { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
    ...(options.signal && { signal: options.signal }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** call() for a named route: `route(s, "getFabric", { fabricId })`. */
export function route(standIn: ProphecyStandIn, name: RouteName, params: RouteParams = {}, options: CallOptions = {}): Promise<CallResult> {
  return call(standIn, routeTable[name].method, pathOf(name, params), options);
}

export const fabricBody = (name = "marketing-prod", teamName = "marketing") => ({ name, teamName, provider: "databricks", description: "Marketing's production fabric" });

export const secretBody = (name: string, value: string) => ({ kind: "prophecy", subKind: "text", properties: { name, value } });

export const secretRef = (id: string, name: string) => ({ kind: "prophecy", subKind: "text", type: "secret", properties: { id, name } });

export const connectionBody = (name: string, password: unknown, port: unknown = 587) => ({
  name,
  kind: "smtp",
  isDefaultWarehouseConnection: false,
  properties: { smtpUrl: "smtp.gmail.com", smtpPort: port, smtpUsername: "alerts@example.com", smtpPassword: password },
});

export const seedSecretValue = "canary-Qx7-secret";

/** A fabric of alice's team with one secret and one connection using it; returns their ids. */
export async function seedFabric(standIn: ProphecyStandIn, name = "marketing-prod"): Promise<{ fabricId: string; secretId: string }> {
  const fabricId = idIn(await route(standIn, "createFabric", {}, { body: fabricBody(name) }));
  const secretId = idIn(await route(standIn, "createSecret", { fabricId }, { body: secretBody("gmail-alerts", seedSecretValue) }));
  idIn(await route(standIn, "createConnection", { fabricId }, { body: connectionBody("gmail-alerts", secretRef(secretId, "gmail-alerts")) }));
  return { fabricId, secretId };
}
