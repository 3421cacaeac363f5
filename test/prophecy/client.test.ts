// The client over real HTTP against the Prophecy stand-in: bodies as the API wants them, answers read
// and checked, retries only where repeating is safe, and a POST whose outcome is unknown said so and
// never repeated. Failures are messages naming the call and the URL, never holding the token.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pathOf, type ProphecyStandIn } from "../../src/demo/prophecyStandIn/index.js";
import * as api from "../../src/prophecy/api.js";
import { ProphecyClient, type ClientSettings } from "../../src/prophecy/client.js";
import { aliceToken, startTestStandIn } from "../helpers/prophecyStandIn.js";
import { configsOf } from "../plan/modelFixture.js";
import { gmail } from "../plan/configFixture.js";

let standIn: ProphecyStandIn;
let client: ProphecyClient;

const fast = { attempts: 4, budgetMs: 20_000, baseDelayMs: 20, maxDelayMs: 100 };
const connect = (extra: Partial<ClientSettings> = {}) => new ProphecyClient({ url: standIn.url, token: aliceToken, timeoutMs: 2_000, maxSockets: 4, retry: fast, ...extra });
const [fabric] = configsOf([{ name: "marketing-prod", team: "marketing", connections: [gmail()] }]);
const creatable = { ...fabric!, provider: "databricks" as const };
const fabricsPath = pathOf("createFabric");

beforeAll(async () => {
  standIn = await startTestStandIn();
});
beforeEach(() => {
  standIn.reset();
  client?.close();
  client = connect();
});
afterAll(async () => {
  client.close();
  await standIn.close();
});

async function createFabricId(): Promise<string> {
  const r = await client.call(api.createFabric(creatable));
  if (!r.ok) throw new Error(r.message);
  return r.value.id;
}

describe("calls", () => {
  it("creates a fabric, a secret and a connection with the API's bodies, and reads them back", async () => {
    const id = await createFabricId();
    const secret = await client.call(api.createSecret(id, "marketing-prod", "GMAIL_ALERTS_PASSWORD", "canary-value-1"), ["canary-value-1"]);
    expect(secret.ok).toBe(true);
    const secretId = secret.ok ? secret.value.id : "";
    const connection = fabric!.connections[0]!;
    expect((await client.call(api.createConnection(id, "marketing-prod", connection, secretId))).ok).toBe(true);
    const posted = standIn.requests().filter((r) => r.method === "POST").map((r) => r.body);
    expect(posted[0]).toEqual({ name: "marketing-prod", teamName: "marketing", provider: "databricks", description: "The marketing-prod fabric" });
    expect(posted[2]).toEqual({
      name: "gmail-alerts",
      kind: "smtp",
      isDefaultWarehouseConnection: false,
      properties: {
        smtpUrl: "smtp.gmail.com",
        smtpPort: 587,
        smtpUsername: "alerts@example.com",
        smtpPassword: { kind: "prophecy", subKind: "text", type: "secret", properties: { id: secretId, name: "GMAIL_ALERTS_PASSWORD" } },
      },
    });
    expect(standIn.secretValue(id, "GMAIL_ALERTS_PASSWORD")).toBe("canary-value-1");
    const listed = await client.call(api.listConnections(id, "marketing-prod"));
    expect(listed.ok && listed.value.map((c) => c.name)).toEqual(["gmail-alerts"]);
    const fabricRead = await client.call(api.getFabric(id, "marketing-prod"));
    expect(fabricRead).toEqual({ ok: true, value: { id, name: "marketing-prod", teamId: "31" } });
    const secrets = await client.call(api.listSecrets(id, "marketing-prod"));
    expect(secrets).toEqual({ ok: true, value: [{ id: secretId, name: "GMAIL_ALERTS_PASSWORD" }] });
  });

  it("says the token was refused, naming the URL, without the token", async () => {
    const wrong = connect({ token: "wrong-token-canary" });
    const r = await wrong.call(api.getFabric("10000", "marketing-prod"));
    wrong.close();
    expect(r).toMatchObject({ ok: false, status: 401, tokenRefused: true, unknown: false });
    expect(!r.ok && r.message).toBe(`read fabric marketing-prod (id 10000): Prophecy at ${standIn.url} refused the token (HTTP 401: "invalid or expired X-AUTH-TOKEN") (GET ${standIn.url}/api/orchestration/fabric/10000)`);
    expect(JSON.stringify(r)).not.toContain("wrong-token-canary");
  });

  it("gives the API's message for a refusal, such as a name already taken", async () => {
    await createFabricId();
    const r = await client.call(api.createFabric(creatable));
    expect(r).toMatchObject({ ok: false, status: 409, unknown: false });
    expect(!r.ok && r.message).toContain('create fabric marketing-prod: HTTP 409: "a fabric named \\"marketing-prod\\" already exists in team \\"marketing\\""');
  });
});

describe("unreadable answers are failures that name the call", () => {
  it.each([
    [{ kind: "html", status: 200 } as const, "the answer is an HTML page (HTTP 200)"],
    [{ kind: "truncatedJson" } as const, "is not valid JSON: it may have been cut short"],
    [{ kind: "unexpectedShape", data: { fabric: "x" } } as const, "does not hold data.fabricID, data.name and data.teamID"],
  ])("%o on a GET", async (fault, words) => {
    const id = await createFabricId();
    standIn.inject({ method: "GET", fault });
    const r = await client.call(api.getFabric(id, "marketing-prod"));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(`read fabric marketing-prod (id ${id}): `);
    expect(!r.ok && r.message).toContain(words);
    expect(!r.ok && r.unknown).toBe(false);
  });

  it("a POST whose answer cannot be read has an unknown outcome (it may have been carried out)", async () => {
    standIn.inject({ method: "POST", path: fabricsPath, fault: { kind: "truncatedJson" } });
    const r = await client.call(api.createFabric(creatable));
    expect(r).toMatchObject({ ok: false, unknown: true });
    expect(standIn.data().fabrics).toHaveLength(1);
  });
});

describe("retries", () => {
  it("waits as long as Retry-After says after a 429, then succeeds", async () => {
    standIn.inject({ method: "POST", path: fabricsPath, fault: { kind: "status", status: 429, retryAfterSeconds: 1 } });
    const started = Date.now();
    expect((await client.call(api.createFabric(creatable))).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(standIn.requests().map((r) => r.status)).toEqual([429, 200]);
  });

  it("retries a GET on 502, 503 and 504, and a hanging one after the per-call timeout", async () => {
    const id = await createFabricId();
    for (const status of [502, 503, 504] as const) standIn.inject({ method: "GET", fault: { kind: "status", status } });
    standIn.inject({ method: "GET", fault: { kind: "hang" } });
    const hurried = connect({ timeoutMs: 300, retry: { ...fast, attempts: 6 } });
    const r = await hurried.call(api.getFabric(id, "marketing-prod"));
    hurried.close();
    expect(r.ok).toBe(true);
    expect(standIn.requests().filter((q) => q.method === "GET").map((q) => q.status ?? "none")).toEqual([502, 503, 504, "none", 200]);
  });

  it("gives up after its attempts, saying how often it tried", async () => {
    const id = await createFabricId();
    standIn.inject({ method: "GET", times: Infinity, fault: { kind: "status", status: 503 } });
    const r = await client.call(api.getFabric(id, "marketing-prod"));
    expect(!r.ok && r.message).toMatch(/HTTP 503: "injected fault: HTTP 503"; gave up after 4 attempts in \d+ms/);
  });

  it.each([
    ["a 502", { kind: "status", status: 502, applied: true } as const],
    ["a hang", { kind: "hang", applied: true } as const],
    ["a connection dropped after the body", { kind: "drop", applied: true } as const],
  ])("never repeats a POST after %s: its outcome is unknown", async (_name, fault) => {
    standIn.inject({ method: "POST", path: fabricsPath, fault });
    const hurried = connect({ timeoutMs: 300 });
    const r = await hurried.call(api.createFabric(creatable));
    hurried.close();
    expect(r).toMatchObject({ ok: false, unknown: true });
    expect(!r.ok && r.message).toContain("so whether it was carried out is unknown");
    expect(standIn.requests().filter((q) => q.method === "POST")).toHaveLength(1);
  });

  it("repeats a POST that could not even connect", async () => {
    const closed = connect({ url: "http://127.0.0.1:1" });
    const r = await closed.call(api.createFabric(creatable));
    closed.close();
    expect(r).toMatchObject({ ok: false, unknown: false });
    expect(!r.ok && r.message).toMatch(/the connection was refused; gave up after 4 attempts/);
  });
});
