// plan and apply with a prophecy block, through the built CLI, against the Prophecy stand-in on
// 127.0.0.1: create, a re-apply that writes nothing, update, replacement, delete, drift shown and put
// back, secrets created and rotated, and the trust rules for the token. Secret values and the token are
// canaries: they must appear in no output and no state.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pathOf, startProphecyStandIn, type ProphecyStandIn } from "../../src/demo/prophecyStandIn/index.js";
import type { State } from "../../src/state/stateStore.js";
import { runCli, tempDir, type CliResult } from "../helpers/cli.js";
import { heldPerStandIn, heldPerState, pushed, tokenVariable, valuesOf, writeProphecyConfig, writes, type PushedFabric } from "../helpers/prophecyConfig.js";
import { teams } from "../helpers/prophecyStandIn.js";

const token = "ci-token-canary-7Qz";
let standIn: ProphecyStandIn;
let dir: string;
let cleanup: () => void;
let config: string;
let statePath: string;

const marketing = (connections = [pushed("gmail-alerts"), pushed("sendgrid")], extra: Partial<PushedFabric> = {}): PushedFabric => ({ name: "marketing-prod", team: "marketing", description: "Marketing", connections, ...extra });
const finance = (): PushedFabric => ({ name: "finance-prod", team: "finance", connections: [pushed("ses")] });
const value = (variable: string) => `canary-${variable}-x9`;

function env(fabrics: readonly PushedFabric[], extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { [tokenVariable]: token, ...valuesOf(fabrics, value), ...extra };
}

function configure(fabrics: readonly PushedFabric[], url = standIn.url): void {
  writeProphecyConfig(config, url, fabrics);
}

const cli = (fabrics: readonly PushedFabric[], args: readonly string[], extra: Record<string, string | undefined> = {}) => runCli([...args, "--state", statePath], { cwd: dir, env: env(fabrics, extra) });
const plan = (fabrics: readonly PushedFabric[], ...args: string[]) => cli(fabrics, ["plan", config, ...args]);
const apply = (fabrics: readonly PushedFabric[], ...args: string[]) => cli(fabrics, ["apply", config, "--auto-approve", "--skip-verify", ...args]);
const readState = (): State => JSON.parse(readFileSync(statePath, "utf8")) as State;

/** Applies `fabrics` as the first push (which needs --trust-new-hosts) and checks it worked. */
async function firstPush(fabrics: readonly PushedFabric[]): Promise<CliResult> {
  configure(fabrics);
  const r = await apply(fabrics, "--trust-new-hosts");
  expect(r.code, r.stderr).toBe(0);
  return r;
}

/** Nothing of the token or a secret value in any of these texts. */
function expectNoCanary(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/canary-[A-Z_]+-x9/);
  }
}

beforeAll(async () => {
  standIn = await startProphecyStandIn({ teams, tokens: { [token]: { user: "ci@example.com", teams: ["marketing", "finance"] } } });
});
afterAll(() => standIn.close());
beforeEach((context) => {
  standIn.reset();
  ({ dir, cleanup } = tempDir());
  config = join(dir, "fabrics");
  statePath = join(dir, "state.json");
  context.onTestFinished(() => cleanup());
});

describe("the first push", () => {
  it("plans without a token and without a request while nothing is applied, marking the new destination", async () => {
    configure([marketing()]);
    const r = await cli([marketing()], ["plan", config], { [tokenVariable]: undefined });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`! new destination: env:PROPHECY_TOKEN, env:GMAIL_ALERTS_PASSWORD, env:SENDGRID_PASSWORD would be sent to ${standIn.url} (until now: nothing applied to Prophecy yet)`);
    expect(r.stdout).toContain("Plan: 2 to add, 0 to change, 0 to destroy.");
    expect(standIn.requests()).toEqual([]);
  });

  it("is refused without --trust-new-hosts, before any request", async () => {
    configure([marketing()]);
    const r = await apply([marketing()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`fabricate: error: refusing to send env:PROPHECY_TOKEN to Prophecy at ${standIn.url}: nothing is applied yet`);
    expect(r.stderr).toContain("nothing was sent to Prophecy");
    expect(standIn.requests()).toEqual([]);
  });

  it("creates the fabric, its secrets from their values and its connections, and records every id", async () => {
    const r = await firstPush([marketing(), finance()]);
    expect(r.stdout).toContain(`Prophecy at ${standIn.url}: 2 fabric(s) created, 3 connection(s) created.`);
    const state = readState();
    expect(heldPerState(state)).toEqual(heldPerStandIn(standIn.data()));
    const fabricId = state.targets!.prophecy!.fabrics["marketing-prod"]!.id;
    expect(standIn.secretValue(fabricId, "gmail-alerts-password")).toBe(value("GMAIL_ALERTS_PASSWORD"));
    expect(state.targets!.prophecy).toMatchObject({ url: standIn.url, token: { kind: "env", properties: { name: "PROPHECY_TOKEN" } }, tokenSecrets: { default: "env" } });
    expect(state.targets!.prophecy!.pending).toBeUndefined();
    // A fabric before its secrets, a secret before the connection that names it.
    const order = standIn.requests().filter((q) => q.method === "POST" && q.path.includes(`/${fabricId}`) || q.path === pathOf("createFabric")).map((q) => q.path.replace(/\/\d+/, "/ID"));
    expect(order.indexOf("/api/orchestration/fabric/ID/secret")).toBeLessThan(order.indexOf("/api/orchestration/fabric/ID/connection"));
    expectNoCanary(r.stdout, r.stderr, readFileSync(statePath, "utf8"));
  });

  it("stops at plan time on a secret Prophecy does not hold and nothing can create, and on a password Prophecy cannot hold", async () => {
    const noSource = marketing([pushed("gmail-alerts", { from: undefined })]);
    configure([noSource]);
    const r = await plan([noSource]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/marketing-prod\.yaml:\d+:\d+: error: connection marketing-prod\/gmail-alerts: Prophecy holds no secret gmail-alerts-password in fabric marketing-prod, and the reference has no from to create it with/);
    const noProvider = marketing(undefined, { provider: null });
    configure([noProvider]);
    expect((await plan([noProvider])).stderr).toContain("error: fabric marketing-prod has no provider, which Prophecy needs to create it");
  });
});

describe("after the first push", () => {
  it("plans No changes. and applies nothing when nothing changed: zero write calls", async () => {
    await firstPush([marketing(), finance()]);
    const before = standIn.requests().length;
    const p = await plan([marketing(), finance()]);
    expect(p.stdout).toBe("No changes.\n");
    const a = await apply([marketing(), finance()]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain("No changes.");
    const since = standIn.requests().slice(before);
    expect(since.length).toBeGreaterThan(0);
    expect(since.filter((q) => q.method !== "GET")).toEqual([]);
  });

  it("updates in place: a connection's port with one PUT, a description with one PUT, members with no call", async () => {
    await firstPush([marketing()]);
    const changed = [marketing([pushed("gmail-alerts", { port: 465 }), pushed("sendgrid")], { description: "Marketing, production" })];
    configure(changed);
    const before = standIn.requests().length;
    const r = await apply(changed);
    expect(r.code, r.stderr).toBe(0);
    expect(standIn.requests().slice(before).filter((q) => q.method !== "GET").map((q) => `${q.method} ${q.path.replace(/\/\d+/, "/ID")}`).sort()).toEqual([
      "PUT /api/orchestration/fabric/ID",
      "PUT /api/orchestration/fabric/ID/connection/name/gmail-alerts",
    ]);
    expect(heldPerState(readState())).toEqual(heldPerStandIn(standIn.data()));
    expect(standIn.data().fabrics[0]!.description).toBe("Marketing, production");
    // A team member is fabricate's own: recorded in the state, nothing to send.
    const teamsFile = join(config, "teams.yaml");
    writeFileSync(teamsFile, readFileSync(teamsFile, "utf8").replace("members: [alice@example.com]", "members: [alice@example.com, carol@example.com]"));
    const members = standIn.requests().length;
    const m = await apply(changed);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toContain('~ members: [alice@example.com] -> [alice@example.com, carol@example.com]');
    expect(standIn.requests().slice(members).filter((q) => q.method !== "GET")).toEqual([]);
    expect(readState().fabrics[0]!.team.members).toEqual(["alice@example.com", "carol@example.com"]);
  });

  it("deletes a connection, then a fabric (its connections with it)", async () => {
    await firstPush([marketing(), finance()]);
    const fewer = [marketing([pushed("gmail-alerts")]), finance()];
    configure(fewer);
    expect((await apply(fewer)).code).toBe(0);
    expect(Object.keys(standIn.data().fabrics.find((f) => f.name === "marketing-prod")!.connections)).toEqual(["gmail-alerts"]);
    configure([finance()]);
    const r = await apply([finance()]);
    expect(r.code, r.stderr).toBe(0);
    expect(standIn.data().fabrics.map((f) => f.name)).toEqual(["finance-prod"]);
    expect(heldPerState(readState())).toEqual(heldPerStandIn(standIn.data()));
    expect(readState().targets!.prophecy!.fabrics["marketing-prod"]).toBeUndefined();
  });

  it("replaces a fabric whose team changes: deleted, created again in the new team with its secrets and connections", async () => {
    await firstPush([marketing()]);
    const oldId = readState().targets!.prophecy!.fabrics["marketing-prod"]!.id;
    const moved = [marketing(undefined, { team: "finance" })];
    configure(moved);
    const r = await apply(moved);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("fabric marketing-prod (team finance)");
    const [held] = standIn.data().fabrics;
    expect(held).toMatchObject({ name: "marketing-prod", teamName: "finance" });
    expect(held!.id).not.toBe(oldId);
    expect(Object.keys(held!.secrets).sort()).toEqual(["gmail-alerts-password", "sendgrid-password"]);
    expect(heldPerState(readState())).toEqual(heldPerStandIn(standIn.data()));
  });

  it("shows changes made outside fabricate before the plan, in every format, and puts them back", async () => {
    await firstPush([marketing(), finance()]);
    const fabrics = readState().targets!.prophecy!.fabrics;
    const id = fabrics["marketing-prod"]!.id;
    const secretId = fabrics["marketing-prod"]!.secrets!["gmail-alerts-password"]!;
    const put = (path: string, body: unknown) => fetch(`${standIn.url}${path}`, { method: "PUT", headers: { "X-AUTH-TOKEN": token, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    await put(pathOf("updateConnection", { fabricId: id, connectionName: "gmail-alerts" }), {
      name: "gmail-alerts",
      kind: "smtp",
      isDefaultWarehouseConnection: false,
      properties: { smtpUrl: "smtp.elsewhere.example", smtpPort: 2525, smtpUsername: "gmail-alerts@example.com", smtpPassword: { kind: "prophecy", subKind: "text", type: "secret", properties: { id: secretId, name: "gmail-alerts-password" } } },
    });
    await put(pathOf("updateFabric", { fabricId: id }), { name: "mkt", description: "Marketing" });
    await fetch(`${standIn.url}${pathOf("deleteFabric", { fabricId: fabrics["finance-prod"]!.id })}`, { method: "DELETE", headers: { "X-AUTH-TOKEN": token } });

    const text = await plan([marketing(), finance()]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      [
        "Changes made outside fabricate (Prophecy holds them; this plan puts them back):",
        "  - fabric finance-prod: deleted in Prophecy (id 10000 is not found)".replace("10000", fabrics["finance-prod"]!.id),
        '  ~ fabric marketing-prod: renamed to "mkt" in Prophecy',
        '      ~ name: marketing-prod -> mkt',
        "  ~ connection marketing-prod/gmail-alerts: changed in Prophecy",
        "      ~ url: smtp.gmail.com -> smtp.elsewhere.example",
        "      ~ port: 587 -> 2525",
      ].join("\n"),
    );
    expect(text.stdout).not.toContain("new destination");
    expect(text.stdout).toContain("Fabrics: 1 to add, 1 to change, 0 to destroy.");
    const markdown = await plan([marketing(), finance()], "--format", "markdown");
    expect(markdown.stdout).toContain("**Changes made outside fabricate (Prophecy holds them; this plan puts them back):**");
    const json = JSON.parse((await plan([marketing(), finance()], "--format", "json")).stdout) as { target: { drift: { fabric: string; connection?: string; action: string }[] } };
    expect(json.target.drift.map((d) => [d.fabric, d.connection ?? "", d.action])).toEqual([
      ["finance-prod", "", "delete"],
      ["marketing-prod", "", "update"],
      ["marketing-prod", "gmail-alerts", "update"],
    ]);
    // Text and json are the same bytes each time for the same holdings.
    expect((await plan([marketing(), finance()])).stdout).toBe(text.stdout);

    const repaired = await apply([marketing(), finance()]);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect((await plan([marketing(), finance()])).stdout).toBe("No changes.\n");
    expect(heldPerState(readState())).toEqual(heldPerStandIn(standIn.data()));
    expect(standIn.data().fabrics.find((f) => f.id === id)!.name).toBe("marketing-prod");
  });

  it("applies a saved plan after refreshing again, and refuses it when what Prophecy holds changed since", async () => {
    await firstPush([marketing()]);
    const changed = [marketing([pushed("gmail-alerts", { port: 465 }), pushed("sendgrid")])];
    configure(changed);
    const planFile = join(dir, "plan.json");
    const saved = await plan(changed, "--out", planFile);
    expect(saved.code, saved.stderr).toBe(0);
    expect((JSON.parse(readFileSync(planFile, "utf8")) as { target: { refreshed: boolean } }).target.refreshed).toBe(true);
    // Someone changes the other connection in Prophecy after the plan was reviewed.
    const fabric = readState().targets!.prophecy!.fabrics["marketing-prod"]!;
    await fetch(`${standIn.url}${pathOf("updateConnection", { fabricId: fabric.id, connectionName: "sendgrid" })}`, {
      method: "PUT",
      headers: { "X-AUTH-TOKEN": token, "Content-Type": "application/json" },
      body: JSON.stringify({
        name: "sendgrid",
        kind: "smtp",
        isDefaultWarehouseConnection: false,
        properties: { smtpUrl: "smtp.gmail.com", smtpPort: 2525, smtpUsername: "sendgrid@example.com", smtpPassword: { kind: "prophecy", subKind: "text", type: "secret", properties: { id: fabric.secrets!["sendgrid-password"]!, name: "sendgrid-password" } } },
      }),
    });
    const before = standIn.requests().length;
    const refused = await cli(changed, ["apply", planFile, "--skip-verify"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("what Prophecy holds has changed since the plan was made: run `fabricate plan` again and review the new plan");
    expect(standIn.requests().slice(before).filter((q) => q.method !== "GET")).toEqual([]);
    // A new plan, reviewed and applied as saved.
    const again = await plan(changed, "--out", planFile);
    expect(again.stdout).toContain("~ connection marketing-prod/sendgrid: changed in Prophecy");
    const applied = await cli(changed, ["apply", planFile, "--skip-verify"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(heldPerState(readState())).toEqual(heldPerStandIn(standIn.data()));
    expect((await plan(changed)).stdout).toBe("No changes.\n");
  });

  it("--refresh=false plans against the state as recorded, reading nothing", async () => {
    await firstPush([marketing()]);
    const before = standIn.requests().length;
    const r = await plan([marketing()], "--refresh=false");
    expect(r.stdout).toBe(`Prophecy at ${standIn.url} was not read (--refresh=false): the plan compares the config with the state as recorded.\n\nNo changes.\n`);
    expect(standIn.requests().length).toBe(before);
  });

  it("uploads the named secrets' values again with --rotate-secrets, and nothing else", async () => {
    await firstPush([marketing()]);
    const id = readState().targets!.prophecy!.fabrics["marketing-prod"]!.id;
    const before = standIn.requests().length;
    const r = await cli([marketing()], ["apply", config, "--auto-approve", "--skip-verify", "--rotate-secrets", "gmail-alerts-password"], { GMAIL_ALERTS_PASSWORD: "canary-ROTATED-x9" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Secrets uploaded again (--rotate-secrets):\n  done: marketing-prod/gmail-alerts-password\n");
    expect(standIn.secretValue(id, "gmail-alerts-password")).toBe("canary-ROTATED-x9");
    expect(standIn.secretValue(id, "sendgrid-password")).toBe(value("SENDGRID_PASSWORD"));
    expect(standIn.requests().slice(before).filter((q) => q.method !== "GET").map((q) => q.method)).toEqual(["PUT"]);
    expectNoCanary(r.stdout, r.stderr, readFileSync(statePath, "utf8"));
    const all = await cli([marketing()], ["apply", config, "--auto-approve", "--skip-verify", "--rotate-secrets"]);
    expect(all.stdout).toContain("  done: marketing-prod/gmail-alerts-password\n  done: marketing-prod/sendgrid-password\n");
    const unknown = await cli([marketing()], ["apply", config, "--auto-approve", "--skip-verify", "--rotate-secrets", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("--rotate-secrets: nope is not the name of a prophecy secret with from in the config");
  });
});

describe("the trust rules for the token", () => {
  it("refreshes a pull request's plan with the applied URL, marks a changed one, and apply refuses it without --trust-new-hosts", async () => {
    await firstPush([marketing()]);
    const elsewhere = await startProphecyStandIn({ teams, tokens: { [token]: { user: "x", teams: ["marketing"] } } });
    try {
      configure([marketing()], elsewhere.url);
      const p = await plan([marketing()]);
      expect(p.code, p.stderr).toBe(0);
      expect(p.stdout).toContain(`! new destination: env:PROPHECY_TOKEN, env:GMAIL_ALERTS_PASSWORD, env:SENDGRID_PASSWORD would be sent to ${elsewhere.url} (until now: ${standIn.url}; changed: url)`);
      const a = await apply([marketing()]);
      expect(a.code).toBe(1);
      expect(a.stderr).toContain(`refusing to send env:PROPHECY_TOKEN to Prophecy at ${elsewhere.url}: the applied state sends env:PROPHECY_TOKEN only to Prophecy at ${standIn.url}`);
      expect(elsewhere.requests()).toEqual([]);
      // After review, a new address is recorded as applied even by an apply that has nothing else to do
      // (with no fabric declared, and a second stand-in that holds none: its refresh finds them gone).
      writeProphecyConfig(config, elsewhere.url, []);
      const moved = await cli([], ["apply", config, "--auto-approve", "--skip-verify", "--trust-new-hosts"]);
      expect(moved.code, moved.stderr).toBe(0);
      expect(readState().targets!.prophecy!.url).toBe(elsewhere.url);
      expect((await cli([], ["plan", config])).stdout).toBe("No changes.\n");
      writeProphecyConfig(config, standIn.url, []);
      expect((await cli([], ["apply", config, "--auto-approve", "--skip-verify", "--trust-new-hosts"])).code).toBe(0);
      configure([marketing()]);
      // A changed token reference is a new destination too: the refresh still reads the applied one.
      writeProphecyConfig(config, standIn.url, [marketing()]);
      const swapped = readFileSync(join(config, "teams.yaml"), "utf8").replace("secret: PROPHECY_TOKEN", "secret: SOME_OTHER_SECRET");
      writeFileSync(join(config, "teams.yaml"), swapped);
      const q = await cli([marketing()], ["plan", config], { SOME_OTHER_SECRET: "canary-OTHER-x9" });
      expect(q.code, q.stderr).toBe(0);
      expect(q.stdout).toContain("changed: token)");
      expectNoCanary(p.stdout, p.stderr, a.stdout, a.stderr, q.stdout, q.stderr);
    } finally {
      await elsewhere.close();
    }
  });

  it("reads and uploads a value only where the applied state sends it: a new secret's needs --trust-new-hosts", async () => {
    await firstPush([marketing()]);
    const more = [marketing([pushed("gmail-alerts"), pushed("sendgrid"), pushed("ses")])];
    configure(more);
    const before = standIn.requests().length;
    const refused = await apply(more);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `failed: create connection marketing-prod/ses: secret ses-password cannot be created from env:SES_PASSWORD: refusing to send prophecy:ses-password from env:SES_PASSWORD to Prophecy at ${standIn.url}`,
    );
    expect(standIn.requests().slice(before).filter((q) => q.method !== "GET")).toEqual([]);
    expectNoCanary(refused.stdout, refused.stderr);
    const trusted = await apply(more, "--trust-new-hosts");
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(heldPerState(readState())).toEqual(heldPerStandIn(standIn.data()));
  });

  it("says the token was refused, naming the URL, and never prints it, in every format", async () => {
    await firstPush([marketing()]);
    for (const format of ["text", "markdown", "json"]) {
      const r = await cli([marketing()], ["plan", config, "--format", format], { [tokenVariable]: "canary-WRONG_TOKEN-x9" });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`fabricate: error: cannot read what Prophecy holds: read fabric marketing-prod (id `);
      expect(r.stderr).toContain(`Prophecy at ${standIn.url} refused the token (HTTP 401: "invalid or expired X-AUTH-TOKEN")`);
      expect(r.stdout).toBe("");
      expectNoCanary(r.stdout, r.stderr);
    }
  });

  it("is an error, not No changes., when the API cannot be reached", async () => {
    await firstPush([marketing()]);
    const state = readState();
    writeFileSync(statePath, JSON.stringify({ ...state, targets: { prophecy: { ...state.targets!.prophecy!, url: "http://127.0.0.1:1" } } }));
    const r = await cli([marketing()], ["plan", config, "--api-timeout", "2s"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot read what Prophecy holds: read fabric marketing-prod");
    expect(r.stderr).toContain("the connection was refused");
    expect(r.stdout).toBe("");
  });

  it("holds a state's applied URL to the config's rules before the token goes anywhere: no plain http off loopback", async () => {
    await firstPush([marketing()]);
    const state = readState();
    for (const url of ["http://prophecy.invalid:8080", "https://ci:canary-URL_PASSWORD-x9@prophecy.invalid"]) {
      writeFileSync(statePath, JSON.stringify({ ...state, targets: { prophecy: { ...state.targets!.prophecy!, url } } }));
      const r = await cli([marketing()], ["plan", config]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("fabricate: error: cannot read what Prophecy holds: the Prophecy URL the state records as applied must ");
      expect(r.stdout).toBe("");
      expectNoCanary(r.stdout, r.stderr);
    }
  });
});
