// fabricate apply through the built CLI: saved plans that went stale are refused, two applies at once
// leave one winner and a valid state, a writer killed mid-write leaves the old state, and a held lock
// is waited for or force-unlocked.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliPath, runCli, startCli, tempDir, until } from "../helpers/cli.js";
import { gmail, sendgrid, writeConfig, type FabricSpec } from "../plan/configFixture.js";

let dir: string;
let cleanup: () => void;
let config: string;
let stateDir: string;
let state: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  config = join(dir, "fabrics");
  stateDir = join(dir, "state");
  state = join(stateDir, "state.json");
});
afterEach(() => cleanup());

const marketing = (connections: FabricSpec["connections"]): FabricSpec => ({ name: "marketing-prod", team: "marketing", connections });

// These tests are about recording state; their connections point at servers that do not exist.
const apply = (...args: string[]) => runCli(["apply", "--state", state, "--skip-verify", ...args], { cwd: dir });
const plan = (...args: string[]) => runCli(["plan", "--state", state, ...args], { cwd: dir });

interface StateFile {
  serial: number;
  lineage: string;
  fabrics: { name: string; connections: { name: string; properties: { smtpPort: number } }[] }[];
}
const readState = () => JSON.parse(readFileSync(state, "utf8")) as StateFile;

/** Starts the CLI in the test's directory without waiting for it. */
const start = (args: readonly string[], env: Record<string, string> = {}) => startCli(args, { cwd: dir, env });

describe("fabricate apply", () => {
  it("plans and applies with --auto-approve, records serial 1 with a new lineage, and says what it did", async () => {
    writeConfig(config, [marketing([gmail(), sendgrid()])]);
    const r = await apply(config, "--auto-approve");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Plan: 2 to add, 0 to change, 0 to destroy.\n");
    expect(r.stdout).toContain(`Apply complete! Connections: 2 added, 0 changed, 0 destroyed. State ${state}: serial 1.\n`);
    const s = readState();
    expect(s.serial).toBe(1);
    expect(s.lineage).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.fabrics[0]!.connections.map((c) => c.name)).toEqual(["gmail-alerts", "sendgrid-campaigns"]);
    expect(existsSync(`${state}.lock`)).toBe(false);
  });

  it("refuses to apply without --auto-approve when it cannot ask (exit 1, as every error), and writes nothing", async () => {
    writeConfig(config, [marketing([gmail()])]);
    const r = await apply(config);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("fabricate: error: apply needs --auto-approve when it cannot ask for confirmation (not on a terminal)\n");
    expect(existsSync(stateDir)).toBe(false);
  });

  it.each([
    ["yes", 0, true],
    ["no", 1, false],
  ])("on a terminal, asks before applying and applies only on yes (answer %s)", (answer, code, written) => {
    writeConfig(config, [marketing([gmail()])]);
    // `script` gives the CLI a pseudo-terminal, as a person at a shell would.
    const command = [process.execPath, cliPath, "apply", config, "--state", state, "--skip-verify"].map((a) => `'${a}'`).join(" ");
    const r = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: dir, input: `${answer}\n`, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.stdout).toContain("Do you want to apply these changes? Only 'yes' will be accepted:");
    expect(r.status).toBe(code);
    expect(existsSync(state)).toBe(written);
    if (!written) expect(r.stdout).toContain("apply cancelled; nothing was changed");
  });

  it("applies a saved plan, and refuses it once the state has moved on", async () => {
    writeConfig(config, [marketing([gmail()])]);
    await apply(config, "--auto-approve");
    writeConfig(config, [marketing([gmail({ port: 2525 })])]);
    await plan(config, "--out", "a.plan");
    await plan(config, "--out", "b.plan");

    const first = await apply("a.plan");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Connections: 0 added, 1 changed, 0 destroyed");
    expect(readState().serial).toBe(2);
    const before = readFileSync(state, "utf8");

    const stale = await apply("b.plan");
    expect(stale.code).toBe(1);
    expect(stale.stderr).toBe(
      `fabricate: error: the state ${state} has moved on since the plan was made (serial 1, now 2): run \`fabricate plan\` again and review the new plan\n`,
    );
    expect(readFileSync(state, "utf8")).toBe(before);
  });

  it("refuses a saved plan made against another lineage", async () => {
    writeConfig(config, [marketing([gmail()])]);
    await apply(config, "--auto-approve");
    await plan(config, "--out", "a.plan");
    const s = readState();
    writeFileSync(state, JSON.stringify({ ...s, lineage: "another-history" }));
    const r = await apply("a.plan");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the plan was made against another state (lineage ${s.lineage}), but the state ${state} has lineage another-history`);
  });

  it("refuses a saved plan when the config files changed since", async () => {
    writeConfig(config, [marketing([gmail()])]);
    await plan(config, "--out", "a.plan");
    writeConfig(config, [marketing([gmail({ username: "someone-else@example.com" })])]);
    const r = await apply("a.plan");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`fabricate: error: the config (${config}) has changed since the plan a.plan was made: run \`fabricate plan\` again and review the new plan\n`);
    expect(existsSync(state)).toBe(false);
  });

  it("refuses a saved plan whose recorded fabric configs were edited", async () => {
    writeConfig(config, [marketing([gmail()])]);
    await plan(config, "--out", "a.plan");
    const file = join(dir, "a.plan");
    writeFileSync(file, readFileSync(file, "utf8").replace('"smtpUrl": "smtp.gmail.com"', '"smtpUrl": "smtp.attacker.example"'));
    const r = await apply("a.plan");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the saved plan a.plan was altered after it was made");
    expect(existsSync(state)).toBe(false);
  });

  it("refuses a saved plan whose list of changes was edited (say, to hide a new destination)", async () => {
    writeConfig(config, [marketing([gmail()])]);
    await apply(config, "--auto-approve");
    writeConfig(config, [marketing([gmail({ url: "smtp.attacker.example" })])]);
    await plan(config, "--out", "a.plan");
    const file = join(dir, "a.plan");
    const saved = JSON.parse(readFileSync(file, "utf8")) as { fabrics: { connections: { destination?: unknown }[] }[] };
    delete saved.fabrics[0]!.connections[0]!.destination;
    writeFileSync(file, JSON.stringify(saved));
    const r = await apply("a.plan");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the plan's list of changes is not what its fabric configs and the state give: it was edited");
    expect(readState().serial).toBe(1);
  });

  it("refuses a file that is not a saved plan, naming it", async () => {
    writeFileSync(join(dir, "notes.txt"), "{}");
    const r = await apply("notes.txt");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^fabricate: error: notes\.txt is not a saved fabricate plan \(schemas\/plan\.schema\.json\): \/ must have required property/);
  });

  // A saved plan may be anything under its name: it is read bounded, and never quoted.
  const canary = "ghp_canarySavedPlan5Rt";
  it.each([
    ["valid JSON of the wrong shape", "shape.plan", (file: string) => writeFileSync(file, JSON.stringify({ formatVersion: 1, configHash: canary, token: canary })), /^fabricate: error: shape\.plan is not a saved fabricate plan \(schemas\/plan\.schema\.json\): \/\S* [^\n]+\n$/],
    ["not JSON", "token.plan", (file: string) => writeFileSync(file, `url = https://x-access-token:${canary}@github.com/acme/data.git\n`), /^fabricate: error: token\.plan is not a saved fabricate plan: it is not valid JSON\n$/],
    ["a huge file", "huge.plan", (file: string) => truncateSync((writeFileSync(file, canary), file), 300 * 1024 * 1024), /^fabricate: error: cannot read the saved plan huge\.plan: it is 300 MiB, more than the 256 MiB allowed\n$/],
    ["a FIFO", "fifo.plan", (file: string) => execFileSync("mkfifo", [file]), /^fabricate: error: cannot read the saved plan fifo\.plan: it is a pipe \(FIFO\), not a regular file\n$/],
  ])("refuses a saved plan that is %s, naming it and quoting nothing, before touching the state", async (_what, name, make, expected) => {
    make(join(dir, name));
    const r = await apply(name);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(expected);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain(canary);
    expect(existsSync(stateDir)).toBe(false);
  });

  it("lets one of two applies started together win; the other fails at once with the lock message; the state is valid at serial 1", async () => {
    writeConfig(config, [marketing([gmail(), sendgrid()])]);
    // Each holds the lock for 5 s inside the write, so the second always finds it held.
    const env = { FABRICATE_TEST_PAUSE_BEFORE_RENAME_MS: "5000" };
    const args = ["apply", config, "--state", state, "--auto-approve", "--skip-verify"];
    const results = await Promise.all([start(args, env).done, start(args, env).done]);
    const codes = results.map((r) => r.code).sort();
    expect(codes).toEqual([0, 1]);
    const loser = results.find((r) => r.code === 1)!;
    expect(loser.stderr).toMatch(new RegExp(`^fabricate: error: the state ${state.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is locked by .+@.+ pid \\d+ \\(apply\\) since \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z, lock ID [0-9a-f-]{36}\\.\n`));
    expect(loser.stderr).toContain("fabricate force-unlock ");
    const s = readState();
    expect(s.serial).toBe(1);
    expect(s.fabrics[0]!.connections).toHaveLength(2);
    expect(existsSync(`${state}.lock`)).toBe(false);
  });

  it("waits for a held lock up to --lock-timeout, then applies on top of the winner's state", async () => {
    writeConfig(config, [marketing([gmail()])]);
    await apply(config, "--auto-approve");
    const second = join(dir, "second");
    writeConfig(second, [marketing([gmail({ port: 2525 })])]);
    writeConfig(config, [marketing([gmail({ port: 465 })])]);

    const holder = start(["apply", config, "--state", state, "--auto-approve", "--skip-verify"], { FABRICATE_TEST_PAUSE_BEFORE_RENAME_MS: "1500" });
    await until(() => existsSync(`${state}.lock`), holder.running);
    const waiter = await runCli(["apply", second, "--state", state, "--auto-approve", "--skip-verify", "--lock-timeout", "60s"], { cwd: dir });
    const held = await holder.done;
    expect(held.code).toBe(0);
    // It says whom it waits for, once, in the holder's words.
    expect(waiter.stderr).toMatch(/^fabricate: waiting up to 60s for the state lock: the state .+ is locked by .+ pid \d+ \(apply\) since .+, lock ID [0-9a-f-]+\.\n$/);
    expect(waiter.code).toBe(0);
    const s = readState();
    expect(s.serial).toBe(3);
    expect(s.fabrics[0]!.connections[0]!.properties.smtpPort).toBe(2525);
  });

  it("killed with SIGKILL in the middle of writing, leaves the old state whole; force-unlock clears its lock", async () => {
    writeConfig(config, [marketing([gmail()])]);
    await apply(config, "--auto-approve");
    const before = readFileSync(state, "utf8");
    writeConfig(config, [marketing([gmail({ port: 2525 }), sendgrid()])]);

    const writer = start(["apply", config, "--state", state, "--auto-approve", "--skip-verify"], { FABRICATE_TEST_PAUSE_BEFORE_RENAME_MS: "60000" });
    const temporary = () => readdirSync(stateDir).find((n) => n.startsWith("state.json.tmp-"));
    // In the window: the new state is complete in its temporary file, not yet renamed over the old one.
    await until(() => {
      const t = temporary();
      return t !== undefined && readFileSync(join(stateDir, t), "utf8").endsWith("}\n");
    }, writer.running);
    writer.child.kill("SIGKILL");
    await writer.done;

    expect(readFileSync(state, "utf8")).toBe(before);
    const p = await plan(config, "--detailed-exitcode");
    expect(p.code).toBe(2);
    expect(p.stdout).toContain("Plan: 1 to add, 1 to change, 0 to destroy.\n");

    const blocked = await apply(config, "--auto-approve");
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(`but that process is no longer running.\nIf no other fabricate runs: fabricate force-unlock `);
    const id = /fabricate force-unlock ([0-9a-f-]{36})/.exec(blocked.stderr)?.[1];
    expect(id).toBeDefined();
    const unlocked = await runCli(["force-unlock", id!, "--state", state], { cwd: dir });
    expect(unlocked.code).toBe(0);
    expect(unlocked.stdout).toMatch(`The state ${state} is unlocked. The lock was held by`);
    expect(unlocked.stdout).toContain(`(apply) since `);
    expect(unlocked.stdout).toContain(`lock ID ${id}.\n`);

    const after = await apply(config, "--auto-approve");
    expect(after.code).toBe(0);
    expect(readState().serial).toBe(2);
    expect(readFileSync(`${state}.backup`, "utf8")).toBe(before);
    expect(readdirSync(stateDir).sort()).toEqual(["state.json", "state.json.backup", "state.json.history.jsonl"]);
  });
});
