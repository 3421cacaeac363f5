// The stand-in's record of requests: what a test can assert about what a client sent, and that the
// record never holds a token or a secret value.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pathOf, secretValueMarker, type ProphecyStandIn } from "../../../src/demo/prophecyStandIn/index.js";
import { aliceToken, call, fabricBody, idIn, route, secretBody, seedFabric, seedSecretValue, startTestStandIn } from "../../helpers/prophecyStandIn.js";

let standIn: ProphecyStandIn;

beforeAll(async () => {
  standIn = await startTestStandIn();
});

beforeEach(() => standIn.reset());

afterAll(() => standIn.close());

describe("the request log", () => {
  it("records each request in arrival order: method, path, headers, token state, parsed body, status", async () => {
    const fabricId = idIn(await route(standIn, "createFabric", {}, { body: fabricBody() }));
    await call(standIn, "GET", `${pathOf("getFabric", { fabricId })}?verbose=1`, { token: "wrong" });
    await route(standIn, "getFabric", { fabricId }, { token: null });
    const [created, wrongToken, noToken] = standIn.requests();
    expect(created).toMatchObject({
      seq: 1,
      method: "POST",
      path: "/api/orchestration/fabric",
      token: "valid",
      user: "alice@example.com",
      body: fabricBody(),
      bodyBytes: JSON.stringify(fabricBody()).length,
      status: 200,
    });
    expect(created!.headers["content-type"]).toBe("application/json");
    expect(created!.headers.host).toBe(`127.0.0.1:${standIn.port}`);
    expect(wrongToken).toMatchObject({ seq: 2, method: "GET", path: `/api/orchestration/fabric/${fabricId}?verbose=1`, token: "unknown", status: 401, bodyBytes: 0 });
    expect(wrongToken).not.toHaveProperty("user");
    expect(wrongToken).not.toHaveProperty("body");
    expect(noToken).toMatchObject({ seq: 3, token: "missing", status: 401 });
  });

  it("never holds the token", async () => {
    await route(standIn, "createFabric", {}, { body: fabricBody() });
    const record = standIn.requests()[0]!;
    expect(Object.keys(record.headers)).not.toContain("x-auth-token");
    expect(JSON.stringify(standIn.requests())).not.toContain(aliceToken);
  });

  it("marks secret values, wherever a body carries them, while the stand-in keeps them for secretValue()", async () => {
    const { fabricId, secretId } = await seedFabric(standIn);
    await route(standIn, "updateSecret", { fabricId, secretId }, { body: secretBody("gmail-alerts", "rotated-Zq9") });
    await route(standIn, "createFabric", {}, { body: { ...fabricBody("embedded"), secret: secretBody("pw", "embedded-Wx3") } });
    const log = standIn.requests();
    expect(log.find((r) => r.path.endsWith("/secret"))!.body).toEqual(secretBody("gmail-alerts", secretValueMarker));
    expect(log.find((r) => r.method === "PUT")!.body).toEqual(secretBody("gmail-alerts", secretValueMarker));
    expect(log.at(-1)!.body).toMatchObject({ secret: secretBody("pw", secretValueMarker) });
    const text = JSON.stringify(log);
    for (const value of [seedSecretValue, "rotated-Zq9", "embedded-Wx3"]) expect(text).not.toContain(value);
    expect(standIn.secretValue(fabricId, "gmail-alerts")).toBe("rotated-Zq9");
    expect(standIn.secretValue(standIn.data().fabrics[1]!.id, "pw")).toBe("embedded-Wx3");
  });

  it("records a body that is not JSON by its size only", async () => {
    await route(standIn, "createFabric", {}, { body: "{not json" });
    expect(standIn.requests()[0]).toMatchObject({ bodyBytes: 9, status: 400 });
    expect(standIn.requests()[0]).not.toHaveProperty("body");
  });

  it("records the fault that shaped an answer, and no status when there was no answer", async () => {
    standIn.inject({ fault: { kind: "status", status: 503 } });
    standIn.inject({ fault: { kind: "drop", applied: true } });
    await route(standIn, "createFabric", {}, { body: fabricBody("a") });
    await route(standIn, "createFabric", {}, { body: fabricBody("b") }).catch(() => undefined);
    expect(standIn.requests().map((r) => [r.seq, r.fault, r.status])).toEqual([
      [1, "status", 503],
      [2, "drop", undefined],
    ]);
  });

  it("gives copies, and starts over on reset", async () => {
    await route(standIn, "createFabric", {}, { body: fabricBody() });
    const copy = standIn.requests();
    (copy[0] as { status?: number }).status = 999;
    expect(standIn.requests()[0]!.status).toBe(200);
    standIn.reset();
    expect(standIn.requests()).toEqual([]);
    await route(standIn, "createFabric", {}, { body: fabricBody() });
    expect(standIn.requests()[0]!.seq).toBe(1);
  });
});
