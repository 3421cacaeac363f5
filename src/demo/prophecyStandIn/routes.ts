// Every path of the API the stand-in serves, in one table, and the matcher that finds a request's route.
// The fabric GET/PUT/DELETE, connection list/get/delete and secret paths are known only from a public
// client's endpoint reference (the create-fabric and connection add/update pages were read directly):
// if the real API turns out to differ, this table is the one place to correct.

export type RouteName =
  | "createFabric"
  | "getFabric"
  | "updateFabric"
  | "deleteFabric"
  | "createConnection"
  | "listConnections"
  | "getConnection"
  | "updateConnection"
  | "deleteConnection"
  | "createSecret"
  | "listSecrets"
  | "getSecret"
  | "updateSecret"
  | "deleteSecret";

const fabrics = "/api/orchestration/fabric";
const fabric = `${fabrics}/{fabricId}`;
const connections = `${fabric}/connection`;
const connection = `${connections}/name/{connectionName}`;
const secrets = `${fabric}/secret`;
const secret = `${secrets}/id/{secretId}`;

/** Route name → method and path template; `{param}` stands for one path segment. */
export const routeTable: Readonly<Record<RouteName, { readonly method: string; readonly path: string }>> = {
  createFabric: { method: "POST", path: fabrics },
  getFabric: { method: "GET", path: fabric },
  updateFabric: { method: "PUT", path: fabric },
  deleteFabric: { method: "DELETE", path: fabric },
  createConnection: { method: "POST", path: connections },
  listConnections: { method: "GET", path: connections },
  getConnection: { method: "GET", path: connection },
  updateConnection: { method: "PUT", path: connection },
  deleteConnection: { method: "DELETE", path: connection },
  createSecret: { method: "POST", path: secrets },
  listSecrets: { method: "GET", path: secrets },
  getSecret: { method: "GET", path: secret },
  updateSecret: { method: "PUT", path: secret },
  deleteSecret: { method: "DELETE", path: secret },
};

export interface RouteParams {
  readonly fabricId?: string;
  readonly connectionName?: string;
  readonly secretId?: string;
}

export type RouteMatch =
  | { readonly kind: "route"; readonly route: RouteName; readonly params: RouteParams }
  /** The path exists, the method does not: the methods it has, for an Allow header. */
  | { readonly kind: "wrongMethod"; readonly allowed: readonly string[] }
  | { readonly kind: "noRoute" };

interface CompiledRoute {
  readonly route: RouteName;
  readonly method: string;
  /** A literal segment, or the name of the parameter it binds. */
  readonly segments: readonly ({ readonly literal: string } | { readonly param: keyof RouteParams })[];
}

const compiled: readonly CompiledRoute[] = (Object.keys(routeTable) as RouteName[]).map((route) => ({
  route,
  method: routeTable[route].method,
  segments: routeTable[route].path
    .slice(1)
    .split("/")
    .map((s) => (s.startsWith("{") ? { param: s.slice(1, -1) as keyof RouteParams } : { literal: s })),
}));

/**
 * The route for a method and a path (without its query string). Segments are percent-decoded, so a
 * connection named "a b" is addressed as `/connection/name/a%20b`; a segment that does not decode
 * matches nothing.
 */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const parts = pathname.slice(1).split("/");
  const allowed: string[] = [];
  for (const candidate of compiled) {
    const params = bind(candidate, parts);
    if (params === undefined) continue;
    if (candidate.method === method) return { kind: "route", route: candidate.route, params };
    allowed.push(candidate.method);
  }
  return allowed.length > 0 ? { kind: "wrongMethod", allowed } : { kind: "noRoute" };
}

function bind(candidate: CompiledRoute, parts: readonly string[]): RouteParams | undefined {
  if (candidate.segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = candidate.segments[i]!;
    const part = parts[i]!;
    if ("literal" in segment) {
      if (segment.literal !== part) return undefined;
      continue;
    }
    const decoded = decodeSegment(part);
    if (decoded === undefined || decoded === "") return undefined;
    params[segment.param] = decoded;
  }
  return params;
}

function decodeSegment(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/**
 * A concrete path for a route, its parameters percent-encoded: what tests use to address the stand-in
 * without spelling paths themselves. A parameter given as "*" stays "*", so that the result can serve as
 * a fault's path pattern.
 */
export function pathOf(route: RouteName, params: RouteParams = {}): string {
  return routeTable[route].path.replace(/\{(\w+)\}/g, (_, key: keyof RouteParams) => {
    const value = params[key];
    if (value === undefined) throw new Error(`pathOf(${route}): missing ${key}`);
    return value === "*" ? "*" : encodeURIComponent(value);
  });
}
