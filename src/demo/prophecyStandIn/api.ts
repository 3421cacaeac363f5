// One request, read in full, answered as the API would: who is asking (X-AUTH-TOKEN), which call it
// is, whether the caller may act on the fabric, whether the body is acceptable, then the store's outcome
// in the API's envelope. No sockets here, so the same answer serves whether or not a fault then hides
// or corrupts it.
//
// Checks run in this order, each answering with the first failure: 401 token, 404/405 path, 404 fabric,
// 403 team, 415 content type, 400 body (JSON, then schema), then the store's rules (400, 404, 409).
// Creating a fabric names its team in the body, so there the 403 comes after the body is read.
import type { ValidateFunction } from "ajv";
import { fail, type Outcome } from "./outcome.js";
import { matchRoute, type RouteName, type RouteParams } from "./routes.js";
import { describeErrors, validateConnection, validateCreateFabric, validateSecret, validateUpdateFabric } from "./schemas.js";
import type { ProphecyStore } from "./store.js";

/** What a token may do: act as this user for these teams (by name). */
export interface TokenGrant {
  readonly user: string;
  readonly teams: readonly string[];
}

export type Caller =
  | { readonly token: "missing" }
  | { readonly token: "unknown" }
  | { readonly token: "valid"; readonly user: string; readonly teams: ReadonlySet<string> };

export type RequestBody = { readonly kind: "none" } | { readonly kind: "json"; readonly value: unknown } | { readonly kind: "invalid" };

export interface ApiRequest {
  readonly method: string;
  /** Without the query string, which no call uses. */
  readonly pathname: string;
  readonly contentType: string | undefined;
  readonly caller: Caller;
  readonly body: RequestBody;
}

export interface ApiAnswer {
  readonly status: number;
  /** The envelope, serialised: `{"success":true,"data":…}` or `{"success":false,"message":…}`. */
  readonly json: string;
  readonly headers: Readonly<Record<string, string>>;
}

export class ProphecyApi {
  private readonly grants: ReadonlyMap<string, Caller>;

  constructor(
    tokens: Readonly<Record<string, TokenGrant>>,
    private readonly store: ProphecyStore,
  ) {
    this.grants = new Map(Object.entries(tokens).map(([token, g]) => [token, { token: "valid", user: g.user, teams: new Set(g.teams) }]));
  }

  /** The caller a X-AUTH-TOKEN header value stands for. */
  caller(token: string | undefined): Caller {
    if (token === undefined || token === "") return { token: "missing" };
    return this.grants.get(token) ?? { token: "unknown" };
  }

  handle(request: ApiRequest): ApiAnswer {
    const { caller } = request;
    if (caller.token === "missing") return failure(401, "missing X-AUTH-TOKEN header");
    if (caller.token === "unknown") return failure(401, "invalid or expired X-AUTH-TOKEN");
    const match = matchRoute(request.method, request.pathname);
    if (match.kind === "noRoute") return failure(404, `no such endpoint: ${request.method} ${request.pathname}`);
    if (match.kind === "wrongMethod") {
      return failure(405, `${request.method} is not allowed on ${request.pathname}`, { allow: match.allowed.join(", ") });
    }
    const outcome = this.call(match.route, match.params, request, caller);
    return outcome.ok ? answer(200, { success: true, data: outcome.value }) : failure(outcome.status, outcome.message);
  }

  // The route table guarantees the parameters each route binds, hence the `!`s.
  private call(route: RouteName, params: RouteParams, request: ApiRequest, caller: Caller & { token: "valid" }): Outcome<unknown> {
    const { store } = this;
    const { fabricId } = params;
    if (fabricId !== undefined) {
      const team = store.teamOf(fabricId);
      if (!team.ok) return team;
      if (!caller.teams.has(team.value)) return forbidden(caller.user, team.value);
    }
    switch (route) {
      case "createFabric":
        return withBody(request, validateCreateFabric, (b) => (caller.teams.has(b.teamName) ? store.createFabric(b) : forbidden(caller.user, b.teamName)));
      case "getFabric":
        return store.getFabric(fabricId!);
      case "updateFabric":
        return withBody(request, validateUpdateFabric, (b) => store.updateFabric(fabricId!, b));
      case "deleteFabric":
        return store.deleteFabric(fabricId!);
      case "createConnection":
        return withBody(request, validateConnection, (b) => store.createConnection(fabricId!, b));
      case "listConnections":
        return store.listConnections(fabricId!);
      case "getConnection":
        return store.getConnection(fabricId!, params.connectionName!);
      case "updateConnection":
        return withBody(request, validateConnection, (b) => store.updateConnection(fabricId!, params.connectionName!, b));
      case "deleteConnection":
        return store.deleteConnection(fabricId!, params.connectionName!);
      case "createSecret":
        return withBody(request, validateSecret, (b) => store.createSecret(fabricId!, b));
      case "listSecrets":
        return store.listSecrets(fabricId!);
      case "getSecret":
        return store.getSecret(fabricId!, params.secretId!);
      case "updateSecret":
        return withBody(request, validateSecret, (b) => store.updateSecret(fabricId!, params.secretId!, b));
      case "deleteSecret":
        return store.deleteSecret(fabricId!, params.secretId!);
    }
  }
}

function withBody<T>(request: ApiRequest, validate: ValidateFunction<T>, then: (body: T) => Outcome<unknown>): Outcome<unknown> {
  if (!isJsonMediaType(request.contentType)) return fail(415, `Content-Type must be application/json, not ${request.contentType ?? "absent"}`);
  const { body } = request;
  if (body.kind === "none") return fail(400, "a JSON body is required");
  if (body.kind === "invalid") return fail(400, "the body is not valid JSON");
  const value = body.value;
  if (!validate(value)) return fail(400, `invalid body: ${describeErrors(validate.errors)}`);
  return then(value);
}

/** application/json, with or without parameters such as charset. */
function isJsonMediaType(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(";")[0]!.trim().toLowerCase() === "application/json";
}

function forbidden(user: string, team: string): Outcome<never> {
  return fail(403, `user "${user}" is not a member of team "${team}"`);
}

function answer(status: number, envelope: unknown, headers: Readonly<Record<string, string>> = {}): ApiAnswer {
  return { status, json: JSON.stringify(envelope), headers };
}

function failure(status: number, message: string, headers: Readonly<Record<string, string>> = {}): ApiAnswer {
  return answer(status, { success: false, message }, headers);
}

