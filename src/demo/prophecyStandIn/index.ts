// A local stand-in for Prophecy's orchestration API, for tests and the demo; never used by product code.
// No live Prophecy is reachable from where fabricate is developed, so the apply client is tested against
// this: a real HTTP(S) server on 127.0.0.1 that is as strict as the real API is expected to be, records
// what it was sent, and fails on request in the ways networks and gateways fail.
//
// The API it stands in for, in short (routes.ts holds every path):
// - Every request carries a personal access token in X-AUTH-TOKEN; the token acts as one user, who may
//   act for the fabrics of the teams they belong to. Bodies are JSON (Content-Type: application/json).
//   Answers are enveloped: {"success": true, "data": …} or {"success": false, "message": …}.
// - Fabrics: POST /api/orchestration/fabric {name, teamName, provider, description?} → data.id; provider
//   is databricks, bigquery or ProphecyManaged. The create call may embed one secret and one connection,
//   the connection naming that secret by the string "{{SECRET}}" as its smtpPassword. GET …/fabric/{id}
//   → data {fabricID, name, teamID} (the team by id). PUT …/fabric/{id} {name, description} (team and
//   provider may be restated, never changed). DELETE → data.id. No call lists fabrics.
// - Connections, inside a fabric: POST …/fabric/{id}/connection {name, kind, isDefaultWarehouseConnection,
//   properties}; GET …/connection → data.Connections (capital C) [{id, name, kind, …, properties}];
//   GET/PUT/DELETE …/connection/name/{name} (PUT: all four fields, name and kind unchanged; DELETE →
//   data.id, the name). SMTP properties: smtpUrl, smtpPort (integer), smtpUsername, and smtpPassword, a
//   reference {kind: "prophecy", subKind: "text", type: "secret", properties: {id, name}} to a secret
//   that already exists in the same fabric.
// - Secrets, inside a fabric: POST …/fabric/{id}/secret {kind: "prophecy", subKind: "text", properties:
//   {name, value}} → data.id; GET …/secret → data.secrets [{kind, subKind, type: "secret", properties:
//   {id, name}}]; GET/PUT/DELETE …/secret/id/{secretId}. Values go in and never come back out.
// - Ids are strings of digits. The fabric GET/PUT/DELETE, connection list/get/delete and all secret calls
//   are known only from a secondary source (a public client's endpoint reference); they are implemented
//   as that source describes them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { ProphecyApi, type ApiAnswer, type RequestBody, type TokenGrant } from "./api.js";
import { FaultPlan, faultAnswer, faultApplies, type FaultRule } from "./faults.js";
import { RequestLog, type RecordedRequest } from "./requestLog.js";
import { ProphecyStore, type Snapshot, type Team } from "./store.js";

export type { Fault, FaultKind, FaultRule } from "./faults.js";
export { secretValueMarker, type RecordedRequest, type TokenState } from "./requestLog.js";
export { pathOf, routeTable, type RouteName, type RouteParams } from "./routes.js";
export type { ConnectionView, FabricSnapshot, SecretView, Snapshot, Team } from "./store.js";
export type { TokenGrant } from "./api.js";

export interface ProphecyStandInOptions {
  /** token → the user it acts as and the names of the teams that user belongs to. */
  readonly tokens: Readonly<Record<string, TokenGrant>>;
  /** The teams that exist; every team a token names must be among them. */
  readonly teams: readonly Team[];
  /** Serve HTTPS with this certificate and key (PEM), so that a client's CA settings meet a real chain. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Default 0: a free port. */
  readonly port?: number;
}

export interface ProphecyStandIn {
  /** "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT", without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request received since the start or the last reset, in arrival order (copies). */
  requests(): RecordedRequest[];
  /** Everything held, as a deep copy, without secret values. */
  data(): Snapshot;
  /** The value stored for a fabric's secret, so that a test can check what a client sent. */
  secretValue(fabricId: string, secretName: string): string | undefined;
  /** Adds a fault rule; rules are tried in the order added (see FaultRule). */
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /** Back to the state just after start: no data, no faults, an empty log, ids from the first again. */
  reset(): void;
  /** Stops listening and destroys every connection, a hanging one included. */
  close(): Promise<void>;
}

/** Bodies above this are refused with 413: the API's bodies are a few hundred bytes. */
const maxBodyBytes = 1024 * 1024;

export async function startProphecyStandIn(options: ProphecyStandInOptions): Promise<ProphecyStandIn> {
  checkOptions(options);
  const store = new ProphecyStore(options.teams);
  const api = new ProphecyApi(options.tokens, store);
  const faults = new FaultPlan();
  const log = new RequestLog();

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxBodyBytes) chunks.push(chunk);
    });
    // A client that goes away mid-body gets nothing, and nothing is recorded: the request never arrived.
    req.on("error", () => undefined);
    req.on("end", () => respond(req, res, bytes > maxBodyBytes ? undefined : Buffer.concat(chunks).toString("utf8"), bytes));
  };

  const respond = (req: IncomingMessage, res: ServerResponse, text: string | undefined, bytes: number): void => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const query = path.indexOf("?");
    const pathname = query < 0 ? path : path.slice(0, query);
    const tokenHeader = req.headers["x-auth-token"];
    const caller = api.caller(Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader);
    const body = parseBody(text);
    const record = log.add({
      method,
      path,
      rawHeaders: req.headers,
      token: caller.token,
      ...(caller.token === "valid" && { user: caller.user }),
      json: body.kind === "json" ? body.value : undefined,
      bodyBytes: bytes,
    });
    if (text === undefined) {
      record.status = 413;
      return write(res, 413, "application/json", JSON.stringify({ success: false, message: `the body is larger than ${maxBodyBytes} bytes` }));
    }
    const handle = (): ApiAnswer => api.handle({ method, pathname, contentType: req.headers["content-type"], caller, body });
    const fault = faults.take(method, pathname);
    if (fault === undefined) {
      const answer = handle();
      record.status = answer.status;
      return write(res, answer.status, "application/json", answer.json, answer.headers);
    }
    record.fault = fault.kind;
    const shown = faultAnswer(fault, faultApplies(fault) ? handle() : undefined);
    switch (shown.kind) {
      case "answer":
        record.status = shown.status;
        return write(res, shown.status, shown.contentType, shown.text, shown.headers);
      case "drop":
        res.socket?.destroy();
        return;
      case "silence":
        // The connection stays open, unanswered, until the client aborts or close() destroys it.
        return;
    }
  };

  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest) : createServer(onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    requests: () => log.all(),
    data: () => store.snapshot(),
    secretValue: (fabricId, secretName) => store.secretValue(fabricId, secretName),
    inject: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    reset: () => {
      store.clear();
      faults.clear();
      log.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseBody(text: string | undefined): RequestBody {
  if (text === undefined || text === "") return { kind: "none" };
  try {
    return { kind: "json", value: JSON.parse(text) as unknown };
  } catch {
    return { kind: "invalid" };
  }
}

function write(res: ServerResponse, status: number, contentType: string, text: string, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { ...headers, "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** A test's own mistakes in setting the stand-in up are bugs: thrown, not answered. */
function checkOptions(options: ProphecyStandInOptions): void {
  const teamNames = new Set<string>();
  const teamIds = new Set<string>();
  for (const team of options.teams) {
    if (teamNames.has(team.name) || teamIds.has(team.id)) throw new Error(`prophecy stand-in: team ${team.id}=${team.name} is declared twice`);
    teamNames.add(team.name);
    teamIds.add(team.id);
  }
  for (const [token, grant] of Object.entries(options.tokens)) {
    if (token === "") throw new Error("prophecy stand-in: a token cannot be empty");
    const unknown = grant.teams.find((t) => !teamNames.has(t));
    if (unknown !== undefined) throw new Error(`prophecy stand-in: the token for user "${grant.user}" names team "${unknown}", which is not among the teams`);
  }
}
