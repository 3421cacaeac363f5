// fabricate state pull, push and history through the built CLI, on the file store (the PostgreSQL store
// runs the same commands in test/e2e/postgresState.test.ts): pull prints the canonical state, push takes
// only a newer serial of the same lineage unless --force and is recorded in the history.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { gmail, sendgrid, writeConfig } from "../plan/configFixture.js";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const cli = (...args: string[]) => runCli(args, { cwd: dir });
const applyConfig = async (connections = [gmail()]) => {
  writeConfig(join(dir, "fabrics"), [{ name: "marketing-prod", team: "marketing", connections }]);
  const r = await cli("apply", "fabrics", "--auto-approve", "--skip-verify");
  expect(r.code, r.stderr).toBe(0);
};
const stateFile = () => join(dir, ".fabricate", "state.json");

describe("fabricate state", () => {
  it("pull prints the state byte for byte as the store holds it; with nothing applied it is an error", async () => {
    const empty = await cli("state", "pull");
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe("fabricate: error: nothing has been applied to the state .fabricate/state.json: there is no state to pull\n");
    await applyConfig();
    const pulled = await cli("state", "pull");
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toBe(readFileSync(stateFile(), "utf8"));
  });

  it("push moves a state to another store, which then records the push in its history", async () => {
    await applyConfig();
    const pulled = (await cli("state", "pull")).stdout;
    writeFileSync(join(dir, "pulled.json"), pulled);
    const pushed = await cli("state", "push", "pulled.json", "--state", "other/state.json");
    expect(pushed.stderr).toBe("");
    expect(pushed.code).toBe(0);
    const { lineage } = JSON.parse(pulled) as { lineage: string };
    expect(pushed.stdout).toBe(`Pushed pulled.json to the state other/state.json: serial 1 of lineage ${lineage}.\n`);
    expect(readFileSync(join(dir, "other", "state.json"), "utf8")).toBe(pulled);
    const history = JSON.parse((await cli("state", "history", "--state", "other/state.json", "--format", "json")).stdout) as { history: { serial: number; operation: string }[] };
    expect(history.history.map((h) => [h.serial, h.operation])).toEqual([[1, "state push"]]);
  });

  it("push reads stdin for -", async () => {
    await applyConfig();
    const pulled = (await cli("state", "pull")).stdout;
    const pushed = await runCli(["state", "push", "-", "--state", "copy.json"], { cwd: dir, input: pulled });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(readFileSync(join(dir, "copy.json"), "utf8")).toBe(pulled);
  });

  it("push refuses another lineage or a serial that is not newer, and changes nothing; --force replaces it, with a serial that still grows", async () => {
    await applyConfig();
    await applyConfig([gmail(), sendgrid()]);
    const current = JSON.parse(readFileSync(stateFile(), "utf8")) as { serial: number; lineage: string };
    const before = readFileSync(stateFile(), "utf8");
    writeFileSync(join(dir, "old.json"), JSON.stringify({ ...current, serial: 1 }));
    writeFileSync(join(dir, "foreign.json"), JSON.stringify({ ...current, serial: 9, lineage: "another-lineage" }));

    const old = await cli("state", "push", "old.json");
    expect(old.code).toBe(1);
    expect(old.stderr).toBe("fabricate: error: the state .fabricate/state.json is at serial 2, and the pushed state at 1, which is not newer (--force replaces it anyway); nothing was pushed\n");
    const foreign = await cli("state", "push", "foreign.json");
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain(`has lineage ${current.lineage}, and the pushed state another-lineage: it is another state's history`);
    expect(readFileSync(stateFile(), "utf8")).toBe(before);

    const forced = await cli("state", "push", "old.json", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain(": serial 3 of lineage");
    expect((JSON.parse(readFileSync(stateFile(), "utf8")) as { serial: number }).serial).toBe(3);
  });

  it("push refuses a file that is not a state, naming it and quoting nothing of it", async () => {
    writeFileSync(join(dir, "secret.txt"), "password=hunter2\n");
    const r = await cli("state", "push", "secret.txt");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("fabricate: error: the state secret.txt is not valid JSON; nothing was pushed\n");
    expect(r.stderr).not.toContain("hunter2");
  });

  it("history lists every write with serial, time, writer, operation and plan hash, as text or JSON", async () => {
    await applyConfig();
    await applyConfig([gmail(), sendgrid()]);
    const json = await cli("state", "history", "--format", "json");
    expect(json.code).toBe(0);
    const { history } = JSON.parse(json.stdout) as { history: { serial: number; lineage: string; at: string; who: string; operation: string; planHash?: string }[] };
    expect(history.map((h) => [h.serial, h.operation])).toEqual([[1, "apply"], [2, "apply"]]);
    expect(history[0]!.planHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const text = await cli("state", "history");
    expect(text.code).toBe(0);
    const lines = text.stdout.split("\n");
    expect(lines[0]).toBe(`Lineage ${history[0]!.lineage}`);
    expect(lines[1]).toMatch(/^SERIAL +AT +WHO +OPERATION +PLAN$/);
    expect(lines[2]).toMatch(new RegExp(`^1 +${history[0]!.at} +.+ pid \\d+ +apply +sha256:[0-9a-f]{64}$`));
    expect(lines[3]).toMatch(/^2 +/);
  });
});
