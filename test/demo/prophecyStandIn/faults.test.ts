// Injected faults over real sockets: what a client sees for each kind, whether the change was applied
// behind it, and how rules match, count and run out.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pathOf, type ProphecyStandIn } from "../../../src/demo/prophecyStandIn/index.js";
import { call, connectionBody, fabricBody, idIn, route, secretBody, secretRef, startTestStandIn } from "../../helpers/prophecyStandIn.js";

let standIn: ProphecyStandIn;
let fabricId: string;
let secretId: string;

const connectionsPattern = pathOf("createConnection", { fabricId: "*" });
const createConnection = (name: string, signal?: AbortSignal) =>
  route(standIn, "createConnection", { fabricId }, { body: connectionBody(name, secretRef(secretId, "gmail-alerts")), ...(signal && { signal }) });
const connectionNames = () => Object.keys(standIn.data().fabrics[0]!.connections);

beforeAll(async () => {
  standIn = await startTestStandIn();
});

beforeEach(async () => {
  standIn.reset();
  fabricId = idIn(await route(standIn, "createFabric", {}, { body: fabricBody() }));
  secretId = idIn(await route(standIn, "createSecret", { fabricId }, { body: secretBody("gmail-alerts", "v") }));
});

afterAll(() => standIn.close());

describe("status faults", () => {
  it("answers 429 with Retry-After in seconds, applies nothing, then lets the next request through", async () => {
    standIn.inject({ method: "POST", path: connectionsPattern, fault: { kind: "status", status: 429, retryAfterSeconds: 7 } });
    const limited = await createConnection("a");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.json).toEqual({ success: false, message: "rate limit exceeded" });
    expect(connectionNames()).toEqual([]);
    expect((await createConnection("a")).status).toBe(200);
  });

  it.each([500, 502, 503, 504] as const)("answers %i with an error envelope and applies nothing", async (status) => {
    standIn.inject({ path: connectionsPattern, fault: { kind: "status", status } });
    const answer = await createConnection("a");
    expect(answer.status).toBe(status);
    expect(answer.json).toEqual({ success: false, message: `injected fault: HTTP ${status}` });
    expect(answer.headers.get("retry-after")).toBeNull();
    expect(connectionNames()).toEqual([]);
  });

  it("answers 504 after applying when told so (a gateway that gave up on a backend that finished)", async () => {
    standIn.inject({ path: connectionsPattern, fault: { kind: "status", status: 504, applied: true } });
    expect((await createConnection("a")).status).toBe(504);
    expect(connectionNames()).toEqual(["a"]);
  });
});

describe("connection faults", () => {
  it("never answers a hanging request, so only the client's AbortSignal ends it", async () => {
    standIn.inject({ path: connectionsPattern, fault: { kind: "hang" } });
    const started = Date.now();
    await expect(createConnection("a", AbortSignal.timeout(300))).rejects.toMatchObject({ name: "TimeoutError" });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(connectionNames()).toEqual([]);
    expect(standIn.requests().at(-1)).toMatchObject({ method: "POST", fault: "hang" });
    expect(standIn.requests().at(-1)).not.toHaveProperty("status");
  });

  it("holds a hanging request until close(), which still returns promptly", async () => {
    const own = await startTestStandIn();
    own.inject({ fault: { kind: "hang", applied: true } });
    const pending = fetch(`${own.url}${pathOf("createFabric")}`, {
      method: "POST",
      headers: { "X-AUTH-TOKEN": "alice-token", "Content-Type": "application/json" },
      body: JSON.stringify(fabricBody()),
    });
    const settled = pending.then(
      () => "answered",
      () => "failed",
    );
    // Wait until the stand-in has the request (and, applied: true, has carried it out).
    while (own.data().fabrics.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(await Promise.race([settled, new Promise((r) => setTimeout(() => r("still pending"), 200))])).toBe("still pending");
    await own.close();
    expect(await settled).toBe("failed");
  });

  it("drops the connection after applying: the client sees no answer, the connection exists", async () => {
    standIn.inject({ method: "POST", path: connectionsPattern, fault: { kind: "drop", applied: true } });
    await expect(createConnection("a")).rejects.toThrow(TypeError);
    expect(connectionNames()).toEqual(["a"]);
    // Retrying the same POST meets the name the dropped request created.
    expect((await createConnection("a")).status).toBe(409);
  });

  it("drops the connection before applying: the client sees no answer, nothing exists", async () => {
    standIn.inject({ method: "POST", path: connectionsPattern, fault: { kind: "drop", applied: false } });
    await expect(createConnection("a")).rejects.toThrow(TypeError);
    expect(connectionNames()).toEqual([]);
    expect((await createConnection("a")).status).toBe(200);
  });
});

describe("unreadable answers", () => {
  it.each([200, 502] as const)("answers an HTML page with %i and applies nothing", async (status) => {
    standIn.inject({ path: connectionsPattern, fault: { kind: "html", status } });
    const answer = await createConnection("a");
    expect(answer.status).toBe(status);
    expect(answer.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(answer.text).toMatch(/^<!DOCTYPE html>/);
    expect(answer.json).toBeUndefined();
    expect(connectionNames()).toEqual([]);
  });

  it("cuts the real answer's JSON in half, keeping its status, after applying", async () => {
    standIn.inject({ path: connectionsPattern, fault: { kind: "truncatedJson" } });
    const answer = await createConnection("a");
    expect(answer.status).toBe(200);
    expect(answer.json).toBeUndefined();
    expect('{"success":true,"data":{"id":"10002"}}'.startsWith(answer.text)).toBe(true);
    expect(answer.text.length).toBeGreaterThan(0);
    expect(connectionNames()).toEqual(["a"]);
  });

  it("answers a valid envelope of an unexpected shape after applying: {} by default, or the data given", async () => {
    standIn.inject({ path: connectionsPattern, fault: { kind: "unexpectedShape" } });
    standIn.inject({ path: connectionsPattern, fault: { kind: "unexpectedShape", data: { id: 10740 } } });
    expect((await createConnection("a")).json).toEqual({ success: true, data: {} });
    expect((await createConnection("b")).json).toEqual({ success: true, data: { id: 10740 } });
    expect(connectionNames()).toEqual(["a", "b"]);
  });
});

describe("fault rules", () => {
  it("match method and path, with * standing for one segment", async () => {
    standIn.inject({ method: "GET", path: connectionsPattern, fault: { kind: "status", status: 503 } });
    expect((await createConnection("a")).status).toBe(200);
    expect((await route(standIn, "listSecrets", { fabricId })).status).toBe(200);
    expect((await route(standIn, "getConnection", { fabricId, connectionName: "a" })).status).toBe(200);
    expect((await route(standIn, "listConnections", { fabricId })).status).toBe(503);
  });

  it("match a RegExp against the path without its query string", async () => {
    standIn.inject({ path: /\/secret$/, times: Infinity, fault: { kind: "status", status: 500 } });
    expect((await call(standIn, "GET", `${pathOf("listSecrets", { fabricId })}?page=2`)).status).toBe(500);
    expect((await route(standIn, "listSecrets", { fabricId })).status).toBe(500);
    expect((await route(standIn, "getFabric", { fabricId })).status).toBe(200);
  });

  it("let `skip` requests through, then fault the next `times`, then stop", async () => {
    standIn.inject({ method: "POST", path: connectionsPattern, skip: 1, times: 2, fault: { kind: "status", status: 503 } });
    const statuses = [];
    for (const name of ["a", "b", "c", "d"]) statuses.push((await createConnection(name)).status);
    expect(statuses).toEqual([200, 503, 503, 200]);
    expect(connectionNames()).toEqual(["a", "d"]);
  });

  it("are tried in the order injected, a skipping rule passing the request on", async () => {
    standIn.inject({ path: connectionsPattern, skip: 1, fault: { kind: "status", status: 500 } });
    standIn.inject({ path: connectionsPattern, fault: { kind: "status", status: 502 } });
    const statuses = [];
    for (const name of ["a", "b", "c"]) statuses.push((await createConnection(name)).status);
    expect(statuses).toEqual([502, 500, 200]);
  });

  it("are faulted regardless of the token: a gateway answers before the API looks", async () => {
    standIn.inject({ fault: { kind: "status", status: 503 } });
    expect((await route(standIn, "getFabric", { fabricId }, { token: null })).status).toBe(503);
  });

  it("are all removed by clearFaults", async () => {
    standIn.inject({ times: Infinity, fault: { kind: "status", status: 500 } });
    standIn.clearFaults();
    expect((await createConnection("a")).status).toBe(200);
  });

  it.each([{ times: 0 }, { times: 1.5 }, { skip: -1 }, { skip: 0.5 }])("refuse %j: times is a whole number from 1, or Infinity; skip a whole number from 0", (counts) => {
    expect(() => standIn.inject({ ...counts, fault: { kind: "hang" } })).toThrow(/a fault rule needs a whole times >= 1/);
  });

  it("leave keep-alive clients working after a dropped connection", async () => {
    standIn.inject({ fault: { kind: "drop", applied: false } });
    await expect(route(standIn, "getFabric", { fabricId })).rejects.toThrow(TypeError);
    const answers = await Promise.all(["a", "b", "c"].map((n) => createConnection(n)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
  });
});
