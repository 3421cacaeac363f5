// What networks and gateways do to apply and plan, through the built CLI against the Prophecy
// stand-in's injected faults: 429 with Retry-After and 5xx are retried, a hang is bounded by
// --api-timeout, answers that cannot be read stop with the call's name, and a create whose answer is
// lost is recorded as pending, shown by the next plan and settled (by the refresh for a connection or a
// secret, by `fabricate import` for a fabric) without ever making a second one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pathOf, startProphecyStandIn, type ProphecyStandIn } from "../../src/demo/prophecyStandIn/index.js";
import type { State } from "../../src/state/stateStore.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { heldPerStandIn, heldPerState, pushed, tokenVariable, valuesOf, writeProphecyConfig, type PushedFabric } from "../helpers/prophecyConfig.js";
import { teams } from "../helpers/prophecyStandIn.js";

const token = "fault-token";
let standIn: ProphecyStandIn;
let dir: string;
let config: string;
let statePath: string;

const fabrics: PushedFabric[] = [{ name: "marketing-prod", team: "marketing", description: "Marketing", connections: [pushed("gmail-alerts"), pushed("sendgrid")] }];
const env = { [tokenVariable]: token, ...valuesOf(fabrics) };
const cli = (...args: string[]) => runCli([...args, "--state", statePath, "--api-timeout", "1s"], { cwd: dir, env });
const plan = (...args: string[]) => cli("plan", config, ...args);
const apply = (...args: string[]) => cli("apply", config, "--auto-approve", "--skip-verify", ...args);
const readState = (): State => JSON.parse(readFileSync(statePath, "utf8")) as State;
const posts = (path: string) => standIn.requests().filter((q) => q.method === "POST" && q.path === path);
const fabricId = () => readState().targets!.prophecy!.fabrics["marketing-prod"]!.id;

beforeAll(async () => {
  standIn = await startProphecyStandIn({ teams, tokens: { [token]: { user: "ci@example.com", teams: ["marketing", "finance"] } } });
});
afterAll(() => standIn.close());
beforeEach((context) => {
  standIn.reset();
  const temp = tempDir();
  dir = temp.dir;
  config = writeProphecyConfig(join(dir, "fabrics"), standIn.url, fabrics);
  statePath = join(dir, "state.json");
  context.onTestFinished(() => temp.cleanup());
});

describe("retried faults", () => {
  it("waits out a 429's Retry-After and goes on", async () => {
    standIn.inject({ method: "POST", path: pathOf("createFabric"), fault: { kind: "status", status: 429, retryAfterSeconds: 1 } });
    const started = Date.now();
    const r = await apply("--trust-new-hosts");
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(posts(pathOf("createFabric")).map((q) => q.status)).toEqual([429, 200]);
    expect(heldPerState(readState())).toEqual(heldPerStandIn(standIn.data()));
  });

  it("retries 502, 503 and 504 on reads and updates, and a read that hangs past --api-timeout", async () => {
    expect((await apply("--trust-new-hosts")).code).toBe(0);
    const id = fabricId();
    standIn.inject({ method: "GET", path: pathOf("listConnections", { fabricId: id }), fault: { kind: "hang" } });
    standIn.inject({ method: "GET", path: pathOf("getFabric", { fabricId: id }), fault: { kind: "status", status: 502 } });
    const started = Date.now();
    const p = await plan();
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toBe("No changes.\n");
    expect(Date.now() - started).toBeLessThan(20_000);
    writeProphecyConfig(config, standIn.url, [{ ...fabrics[0]!, connections: [pushed("gmail-alerts", { port: 465 }), pushed("sendgrid")] }]);
    const put = pathOf("updateConnection", { fabricId: id, connectionName: "gmail-alerts" });
    standIn.inject({ method: "PUT", path: put, fault: { kind: "status", status: 503 } });
    standIn.inject({ method: "PUT", path: put, fault: { kind: "status", status: 504, applied: true } });
    const a = await apply();
    expect(a.code, a.stderr).toBe(0);
    expect(standIn.requests().filter((q) => q.path === put).map((q) => q.status)).toEqual([503, 504, 200]);
    expect(heldPerState(readState())).toEqual(heldPerStandIn(standIn.data()));
  });
});

describe("answers that cannot be read", () => {
  it.each([
    [{ kind: "html", status: 200 } as const, "the answer is an HTML page (HTTP 200), not the API's JSON"],
    [{ kind: "truncatedJson" } as const, "is not valid JSON: it may have been cut short"],
    [{ kind: "unexpectedShape", data: { connections: [] } } as const, "does not hold data.Connections, a list of connections"],
  ])("stop the plan with the call's name: %o", async (fault, words) => {
    expect((await apply("--trust-new-hosts")).code).toBe(0);
    standIn.inject({ method: "GET", path: pathOf("listConnections", { fabricId: fabricId() }), fault });
    const r = await plan();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`fabricate: error: cannot read what Prophecy holds: list the connections of fabric marketing-prod (id ${fabricId()}): `);
    expect(r.stderr).toContain(words);
    expect(r.stdout).toBe("");
  });
});

describe("creates whose outcome is unknown", () => {
  it("records a connection create dropped after it was carried out as pending; the next plan finds it and apply makes no second one", async () => {
    standIn.inject({ method: "POST", path: pathOf("createConnection", { fabricId: "*" }), fault: { kind: "drop", applied: true } });
    const first = await apply("--trust-new-hosts");
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/failed: create connection marketing-prod\/gmail-alerts: the connection was dropped after the request was sent, so whether it was carried out is unknown \(POST [^)]+\)\. It is recorded as pending: the next plan says what became of it\./);
    // The fabric's create recorded the creates made in it with its own.
    expect(readState().targets!.prophecy!.pending).toEqual({ "marketing-prod": { contents: expect.any(String) } });
    const p = await plan();
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/Create calls of an earlier apply whose outcome was unknown:\n {2}\? create connection marketing-prod\/gmail-alerts \([^)]+\): created after all\. created by the apply that created its fabric: recorded as Prophecy holds it/);
    // Adopted as Prophecy holds it: fabricate's own additions (the password's from) come back with the apply, which sends nothing.
    expect(p.stdout).toContain("~ password: prophecy:gmail-alerts-password -> prophecy:gmail-alerts-password from env:GMAIL_ALERTS_PASSWORD");
    const second = await apply();
    expect(second.code, second.stderr).toBe(0);
    expect(posts(pathOf("createConnection", { fabricId: fabricId() })).length).toBe(2);
    expect(readState().targets!.prophecy!.pending).toBeUndefined();
    expect(heldPerState(readState())).toEqual(heldPerStandIn(standIn.data()));
    expect((await plan()).stdout).toBe("No changes.\n");
  });

  it("settles a connection and a secret create in a fabric pushed before: one dropped after it was made, one whose answer never came", async () => {
    expect((await apply("--trust-new-hosts")).code).toBe(0);
    const more = [{ ...fabrics[0]!, connections: [...fabrics[0]!.connections, pushed("ses"), pushed("mailgun")] }];
    writeProphecyConfig(config, standIn.url, more);
    const id = fabricId();
    standIn.inject({ method: "POST", path: pathOf("createSecret", { fabricId: id }), fault: { kind: "hang" } });
    standIn.inject({ method: "POST", path: pathOf("createConnection", { fabricId: id }), fault: { kind: "drop", applied: true } });
    const moreEnv = { ...env, ...valuesOf(more) };
    const run = (...args: string[]) => runCli([...args, "--state", statePath, "--api-timeout", "1s", "--parallelism", "1"], { cwd: dir, env: moreEnv });
    const first = await run("apply", config, "--auto-approve", "--skip-verify", "--trust-new-hosts");
    expect(first.code).toBe(1);
    expect(first.stdout).toContain("no answer within 1s after the request was sent, so whether it was carried out is unknown");
    expect(first.stdout).toContain("the connection was dropped after the request was sent, so whether it was carried out is unknown");
    expect(Object.keys(readState().targets!.prophecy!.pending!["marketing-prod"]!).sort()).toEqual(["connections", "secrets"]);
    const p = await run("plan", config);
    expect(p.stdout).toMatch(/\? create connection marketing-prod\/ses \([^)]+\): created after all\. Prophecy holds it: it is recorded as it is there/);
    expect(p.stdout).toMatch(/\? create secret marketing-prod\/mailgun-password \([^)]+\): not created\. Prophecy does not hold it: apply creates it when a connection needs it/);
    const second = await run("apply", config, "--auto-approve", "--skip-verify", "--trust-new-hosts");
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(readState().targets!.prophecy!.pending).toBeUndefined();
    expect(heldPerState(readState())).toEqual(heldPerStandIn(standIn.data()));
  });

  it("leaves a fabric create whose answer was lost to the user: the plan says how, apply refuses a second one, import settles it", async () => {
    standIn.inject({ method: "POST", path: pathOf("createFabric"), fault: { kind: "drop", applied: true } });
    const first = await apply("--trust-new-hosts");
    expect(first.code).toBe(1);
    expect(first.stdout).toContain("skipped: create connection marketing-prod/gmail-alerts: the create of fabric marketing-prod failed");
    expect(standIn.data().fabrics).toHaveLength(1);
    const p = await plan();
    expect(p.stdout).toMatch(/\? create fabric marketing-prod \([^)]+\): outcome still unknown\. Prophecy cannot list fabrics, so only you can tell whether it holds fabric marketing-prod of team marketing\. If it does, find its id there and run `fabricate import --fabric-id ID`/);
    const again = await apply();
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("HTTP 409");
    expect(again.stdout).toContain("find its id in Prophecy and run `fabricate import --fabric-id ID`");
    expect(standIn.data().fabrics).toHaveLength(1);
    const id = standIn.data().fabrics[0]!.id;
    const imported = await cli("import", config, "--fabric-id", id);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`Imported fabric marketing-prod (id ${id}): 0 connection(s), 0 secret(s); already declared in the config: recorded only`);
    expect(readState().targets!.prophecy!.pending).toBeUndefined();
    const last = await apply("--trust-new-hosts");
    expect(last.code, last.stdout + last.stderr).toBe(0);
    expect(last.stdout).not.toContain("must be replaced");
    expect(standIn.data().fabrics.map((f) => f.id)).toEqual([id]);
    expect(heldPerState(readState())).toEqual(heldPerStandIn(standIn.data()));
    expect((await plan()).stdout).toBe("No changes.\n");
  });
});
