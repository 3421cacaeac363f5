// fabricate import against the Prophecy stand-in: fabrics made outside fabricate, adopted by id into
// YAML and state, so that the next plan says No changes.; and the refusals that keep an import from
// writing or recording half of it.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProphecyStandIn } from "../../src/demo/prophecyStandIn/index.js";
import type { State } from "../../src/state/stateStore.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { heldPerStandIn, heldPerState, tokenVariable, writeProphecyConfig } from "../helpers/prophecyConfig.js";
import { aliceToken, connectionBody, fabricBody, idIn, route, secretBody, secretRef, seedFabric, startTestStandIn } from "../helpers/prophecyStandIn.js";

let standIn: ProphecyStandIn;
let dir: string;
let config: string;
let statePath: string;

const cli = (...args: string[]) => runCli([...args, "--state", statePath], { cwd: dir, env: { [tokenVariable]: aliceToken } });
const readState = (): State => JSON.parse(readFileSync(statePath, "utf8")) as State;

beforeAll(async () => {
  standIn = await startTestStandIn();
});
afterAll(() => standIn.close());
beforeEach((context) => {
  standIn.reset();
  const temp = tempDir();
  dir = temp.dir;
  // A config with the prophecy block and the teams, and no fabric yet.
  config = writeProphecyConfig(join(dir, "fabrics"), standIn.url, []);
  statePath = join(dir, "state.json");
  context.onTestFinished(() => temp.cleanup());
});

describe("fabricate import", () => {
  it("writes each fabric's YAML and records it, so that the next plan says No changes.", async () => {
    const { fabricId } = await seedFabric(standIn, "marketing-prod");
    // A second fabric with a connection on port 465 (implicit TLS) and an unused secret.
    const other = idIn(await route(standIn, "createFabric", {}, { body: fabricBody("marketing-staging") }));
    const secret = idIn(await route(standIn, "createSecret", { fabricId: other }, { body: secretBody("ses", "canary-SES-x9") }));
    idIn(await route(standIn, "createSecret", { fabricId: other }, { body: secretBody("unused", "canary-UNUSED-x9") }));
    idIn(await route(standIn, "createConnection", { fabricId: other }, { body: { ...connectionBody("ses", secretRef(secret, "ses"), 465), properties: { ...connectionBody("ses", secretRef(secret, "ses"), 465).properties, smtpUrl: "email-smtp.eu-west-1.amazonaws.com" } } }));
    const before = standIn.requests().length;

    const refused = await cli("import", config, "--fabric-id", fabricId, other);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`refusing to send env:PROPHECY_TOKEN to Prophecy at ${standIn.url}: nothing is applied yet`);
    expect(standIn.requests().length).toBe(before);

    const r = await cli("import", config, "--fabric-id", fabricId, other, "--trust-new-hosts");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Imported fabric marketing-prod (id ${fabricId}): 1 connection(s), 1 secret(s); wrote ${join(config, "marketing-prod.yaml")}`);
    expect(r.stdout).toContain(`Imported fabric marketing-staging (id ${other}): 1 connection(s), 2 secret(s); wrote ${join(config, "marketing-staging.yaml")}`);
    expect(standIn.requests().slice(before).every((q) => q.method === "GET")).toBe(true);
    const yaml = readFileSync(join(config, "marketing-staging.yaml"), "utf8");
    expect(yaml).toContain(`# Imported from Prophecy at ${standIn.url} (fabric id ${other}) by \`fabricate import\`.`);
    expect(yaml).toContain(["      - name: ses", "        type: smtp", "        url: email-smtp.eu-west-1.amazonaws.com", "        port: 465", "        username: alerts@example.com", "        password:", "          provider: prophecy", "          secret: ses"].join("\n"));
    expect(heldPerState(readState())).toEqual(heldPerStandIn(standIn.data()));
    expect((await runCli(["validate", config], { cwd: dir })).code).toBe(0);
    const plan = await cli("plan", config);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toBe("No changes.\n");
    expect(`${r.stdout}${r.stderr}${readFileSync(statePath, "utf8")}${yaml}`).not.toMatch(/canary/);
  });

  it("names the team id it cannot name, and takes --team for it", async () => {
    const { fabricId } = await seedFabric(standIn);
    writeProphecyConfig(config, standIn.url, []);
    const teamsFile = join(config, "teams.yaml");
    writeFileSync(teamsFile, readFileSync(teamsFile, "utf8").replace('    "31": marketing\n', ""));
    const unknown = await cli("import", config, "--fabric-id", fabricId, "--trust-new-hosts");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`fabricate: error: fabric ${fabricId} ("marketing-prod") belongs to Prophecy team 31, whose name here is unknown: add --team 31=NAME (or prophecy.teams in the config)`);
    expect(readdirSync(config).sort()).toEqual(["teams.yaml"]);
    expect(existsSync(statePath)).toBe(false);
    const named = await cli("import", config, "--fabric-id", fabricId, "--team", "31=marketing", "--trust-new-hosts");
    expect(named.code, named.stderr).toBe(0);
    expect((await cli("plan", config)).stdout).toBe("No changes.\n");
  });

  it("refuses an id Prophecy does not hold, a file that exists, and a path given as an id", async () => {
    const missing = await cli("import", config, "--fabric-id", "99999", "--trust-new-hosts");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`Prophecy at ${standIn.url} holds no fabric 99999 that this token may read`);
    const { fabricId } = await seedFabric(standIn);
    writeFileSync(join(config, "marketing-prod.yaml"), "version: 1 # mine\n");
    const taken = await cli("import", config, "--fabric-id", fabricId, "--trust-new-hosts");
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("marketing-prod.yaml exists already: import writes new files only");
    expect(readFileSync(join(config, "marketing-prod.yaml"), "utf8")).toBe("version: 1 # mine\n");
    const path = await runCli(["import", "--fabric-id", fabricId, "fabrics", "--state", statePath], { cwd: dir, env: { [tokenVariable]: aliceToken } });
    expect(path.code).toBe(1);
    expect(path.stderr).toContain("--fabric-id fabrics: that is a path; put config paths before --fabric-id");
  });
});
