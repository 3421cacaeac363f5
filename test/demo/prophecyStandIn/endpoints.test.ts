// Every endpoint of the Prophecy stand-in on its happy path, over real HTTP: the answers' envelopes and
// shapes exactly as the API contract spells them, ids, and secret values that never come back out.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProphecyStandIn } from "../../../src/demo/prophecyStandIn/index.js";
import {
  bobToken,
  connectionBody,
  fabricBody,
  idIn,
  route,
  secretBody,
  secretRef,
  seedFabric,
  seedSecretValue,
  startTestStandIn,
} from "../../helpers/prophecyStandIn.js";

let standIn: ProphecyStandIn;

beforeAll(async () => {
  standIn = await startTestStandIn();
});

beforeEach(() => standIn.reset());

afterAll(() => standIn.close());

describe("fabrics", () => {
  it("creates a fabric and answers data.id, a string of digits", async () => {
    const created = await route(standIn, "createFabric", {}, { body: fabricBody() });
    expect(created.status).toBe(200);
    expect(created.headers.get("content-type")).toBe("application/json");
    expect(created.json).toEqual({ success: true, data: { id: "10000" } });
  });

  it("answers GET with exactly {fabricID, name, teamID}, the team by id", async () => {
    const fabricId = idIn(await route(standIn, "createFabric", {}, { body: fabricBody() }));
    const got = await route(standIn, "getFabric", { fabricId });
    expect(got.status).toBe(200);
    expect(got.json).toEqual({ success: true, data: { fabricID: fabricId, name: "marketing-prod", teamID: "31" } });
  });

  it("changes name and description on PUT, and accepts team and provider restated unchanged", async () => {
    const fabricId = idIn(await route(standIn, "createFabric", {}, { body: fabricBody() }));
    const put = await route(standIn, "updateFabric", { fabricId }, { body: { name: "marketing-main", description: "renamed" } });
    expect(put.json).toEqual({ success: true, data: { id: fabricId } });
    const restated = await route(standIn, "updateFabric", { fabricId }, { body: { name: "marketing-main", description: "again", teamName: "marketing", provider: "databricks" } });
    expect(restated.status).toBe(200);
    expect((await route(standIn, "getFabric", { fabricId })).json).toMatchObject({ data: { name: "marketing-main" } });
    expect(standIn.data().fabrics[0]).toMatchObject({ name: "marketing-main", description: "again", teamName: "marketing", teamId: "31", provider: "databricks" });
  });

  it("frees a renamed fabric's old name for a new fabric", async () => {
    const fabricId = idIn(await route(standIn, "createFabric", {}, { body: fabricBody("old") }));
    await route(standIn, "updateFabric", { fabricId }, { body: { name: "new", description: "" } });
    expect((await route(standIn, "createFabric", {}, { body: fabricBody("old") })).status).toBe(200);
  });

  it("deletes a fabric with its connections and secrets, and answers data.id", async () => {
    const { fabricId } = await seedFabric(standIn);
    const deleted = await route(standIn, "deleteFabric", { fabricId });
    expect(deleted.json).toEqual({ success: true, data: { id: fabricId } });
    expect((await route(standIn, "getFabric", { fabricId })).status).toBe(404);
    expect(standIn.data().fabrics).toEqual([]);
    expect(standIn.secretValue(fabricId, "gmail-alerts")).toBeUndefined();
    // Its name is free again in its team.
    expect((await route(standIn, "createFabric", {}, { body: fabricBody() })).status).toBe(200);
  });

  it("lets the same fabric name exist in two teams", async () => {
    await route(standIn, "createFabric", {}, { body: fabricBody("shared") });
    const other = await route(standIn, "createFabric", {}, { body: fabricBody("shared", "finance"), token: bobToken });
    expect(other.status).toBe(200);
    expect(standIn.data().fabrics.map((f) => [f.name, f.teamName, f.teamId])).toEqual([
      ["shared", "marketing", "31"],
      ["shared", "finance", "32"],
    ]);
  });

  it("creates a fabric with an embedded secret and a connection that names it as {{SECRET}}", async () => {
    const body = {
      ...fabricBody(),
      secret: secretBody("gmail-alerts", "embedded-value"),
      connection: connectionBody("gmail-alerts", "{{SECRET}}"),
    };
    const fabricId = idIn(await route(standIn, "createFabric", {}, { body }));
    const [fabric] = standIn.data().fabrics;
    const secretId = fabric!.secrets["gmail-alerts"]!.id;
    expect(fabric!.connections["gmail-alerts"]!.properties.smtpPassword).toEqual(secretRef(secretId, "gmail-alerts"));
    expect(standIn.secretValue(fabricId, "gmail-alerts")).toBe("embedded-value");
  });

  it("creates a fabric with an embedded secret alone", async () => {
    const fabricId = idIn(await route(standIn, "createFabric", {}, { body: { ...fabricBody(), secret: secretBody("pw", "v") } }));
    expect(Object.keys(standIn.data().fabrics[0]!.secrets)).toEqual(["pw"]);
    expect(standIn.data().fabrics[0]!.connections).toEqual({});
    expect(standIn.secretValue(fabricId, "pw")).toBe("v");
  });
});

describe("secrets", () => {
  it("creates a secret and lists it under data.secrets, with type secret and without its value", async () => {
    const fabricId = idIn(await route(standIn, "createFabric", {}, { body: fabricBody() }));
    const secretId = idIn(await route(standIn, "createSecret", { fabricId }, { body: secretBody("gmail-alerts", "v1") }));
    const list = await route(standIn, "listSecrets", { fabricId });
    expect(list.json).toEqual({ success: true, data: { secrets: [secretRef(secretId, "gmail-alerts")] } });
    const one = await route(standIn, "getSecret", { fabricId, secretId });
    expect(one.json).toEqual({ success: true, data: secretRef(secretId, "gmail-alerts") });
  });

  it("rotates a secret's value on PUT", async () => {
    const { fabricId, secretId } = await seedFabric(standIn);
    const put = await route(standIn, "updateSecret", { fabricId, secretId }, { body: secretBody("gmail-alerts", "rotated") });
    expect(put.json).toEqual({ success: true, data: { id: secretId } });
    expect(standIn.secretValue(fabricId, "gmail-alerts")).toBe("rotated");
  });

  it("deletes an unused secret and answers data.id", async () => {
    const fabricId = idIn(await route(standIn, "createFabric", {}, { body: fabricBody() }));
    const secretId = idIn(await route(standIn, "createSecret", { fabricId }, { body: secretBody("old", "v") }));
    expect((await route(standIn, "deleteSecret", { fabricId, secretId })).json).toEqual({ success: true, data: { id: secretId } });
    expect((await route(standIn, "getSecret", { fabricId, secretId })).status).toBe(404);
    expect(standIn.secretValue(fabricId, "old")).toBeUndefined();
  });

  it("deletes a secret once the connection using it is gone", async () => {
    const { fabricId, secretId } = await seedFabric(standIn);
    await route(standIn, "deleteConnection", { fabricId, connectionName: "gmail-alerts" });
    expect((await route(standIn, "deleteSecret", { fabricId, secretId })).status).toBe(200);
  });

  it("never returns a secret value from any GET", async () => {
    const { fabricId, secretId } = await seedFabric(standIn);
    const answers = await Promise.all([
      route(standIn, "getFabric", { fabricId }),
      route(standIn, "listConnections", { fabricId }),
      route(standIn, "getConnection", { fabricId, connectionName: "gmail-alerts" }),
      route(standIn, "listSecrets", { fabricId }),
      route(standIn, "getSecret", { fabricId, secretId }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(seedSecretValue);
      expect(answer.text).not.toContain('"value"');
    }
    expect(JSON.stringify(standIn.data())).not.toContain(seedSecretValue);
    expect(standIn.secretValue(fabricId, "gmail-alerts")).toBe(seedSecretValue);
  });
});

describe("connections", () => {
  it("lists connections under data.Connections (capital C) with id, name, kind, isDefaultWarehouseConnection and properties", async () => {
    const { fabricId, secretId } = await seedFabric(standIn);
    const list = await route(standIn, "listConnections", { fabricId });
    expect(list.json).toEqual({
      success: true,
      data: { Connections: [{ id: expect.stringMatching(/^\d+$/), ...connectionBody("gmail-alerts", secretRef(secretId, "gmail-alerts")) }] },
    });
  });

  it("answers one connection by name", async () => {
    const { fabricId, secretId } = await seedFabric(standIn);
    const got = await route(standIn, "getConnection", { fabricId, connectionName: "gmail-alerts" });
    expect(got.json).toEqual({ success: true, data: { id: expect.stringMatching(/^\d+$/), ...connectionBody("gmail-alerts", secretRef(secretId, "gmail-alerts")) } });
  });

  it("creates a connection and answers data.id", async () => {
    const { fabricId, secretId } = await seedFabric(standIn);
    const created = await route(standIn, "createConnection", { fabricId }, { body: connectionBody("second", secretRef(secretId, "gmail-alerts")) });
    expect(created.json).toEqual({ success: true, data: { id: expect.stringMatching(/^\d+$/) } });
    expect(Object.keys(standIn.data().fabrics[0]!.connections)).toEqual(["gmail-alerts", "second"]);
  });

  it("replaces a connection's properties on PUT, its password included, and keeps its id", async () => {
    const { fabricId } = await seedFabric(standIn);
    const before = standIn.data().fabrics[0]!.connections["gmail-alerts"]!;
    const newSecretId = idIn(await route(standIn, "createSecret", { fabricId }, { body: secretBody("rotated", "v2") }));
    const body = connectionBody("gmail-alerts", secretRef(newSecretId, "rotated"), 465);
    const put = await route(standIn, "updateConnection", { fabricId, connectionName: "gmail-alerts" }, { body });
    expect(put.status).toBe(200);
    expect(standIn.data().fabrics[0]!.connections["gmail-alerts"]).toEqual({ id: before.id, ...body });
  });

  it("deletes a connection and answers data.id with its name", async () => {
    const { fabricId } = await seedFabric(standIn);
    const deleted = await route(standIn, "deleteConnection", { fabricId, connectionName: "gmail-alerts" });
    expect(deleted.json).toEqual({ success: true, data: { id: "gmail-alerts" } });
    expect((await route(standIn, "getConnection", { fabricId, connectionName: "gmail-alerts" })).status).toBe(404);
  });

  it("addresses a connection whose name needs percent-encoding", async () => {
    const { fabricId, secretId } = await seedFabric(standIn);
    await route(standIn, "createConnection", { fabricId }, { body: connectionBody("alerts / eu", secretRef(secretId, "gmail-alerts")) });
    const got = await route(standIn, "getConnection", { fabricId, connectionName: "alerts / eu" });
    expect(got.json).toMatchObject({ success: true, data: { name: "alerts / eu" } });
  });
});

describe("ids and data()", () => {
  it("hands out the same ids for the same requests, never one twice, and starts over on reset", async () => {
    const first = await seedFabric(standIn);
    await route(standIn, "deleteFabric", { fabricId: first.fabricId });
    const second = await seedFabric(standIn);
    expect([first, second]).toEqual([
      { fabricId: "10000", secretId: "10001" },
      { fabricId: "10003", secretId: "10004" },
    ]);
    standIn.reset();
    expect(await seedFabric(standIn)).toEqual(first);
  });

  it("gives a deep copy that a test cannot change the stand-in through", async () => {
    await seedFabric(standIn);
    const copy = standIn.data();
    (copy.fabrics[0]!.connections["gmail-alerts"]!.properties as { smtpPort: number }).smtpPort = 1;
    (copy.fabrics as unknown[]).length = 0;
    expect(standIn.data().fabrics[0]!.connections["gmail-alerts"]!.properties.smtpPort).toBe(587);
  });
});
