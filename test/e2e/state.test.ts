// The state file through the built CLI: a corrupt or foreign state is reported, naming the file, and
// left byte-identical by every command; force-unlock only clears the lock it is given.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { gmail, writeConfig } from "../plan/configFixture.js";

let dir: string;
let cleanup: () => void;
let config: string;
let state: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  config = writeConfig(join(dir, "fabrics"), [{ name: "marketing-prod", team: "marketing", connections: [gmail()] }]);
  mkdirSync(join(dir, ".fabricate"));
  state = join(".fabricate", "state.json");
});
afterEach(() => cleanup());

describe("a corrupt state file", () => {
  it.each([
    ["truncated JSON", '{"fabrics": [{"name": "marketing-prod", "conn', /is not valid JSON; it was left as it is: restore it from \.fabricate\/state\.json\.backup or fix it by hand$/],
    ["another document", '{"terraform_version": "1.11.0", "version": 4}\n', /is not a fabricate state \(the document must have required property 'serial'\); it was left as it is: restore it from/],
  ])("(%s) is reported by plan and apply, naming the file, and left byte-identical", async (_name, text, message) => {
    const path = join(dir, state);
    writeFileSync(path, text);
    for (const args of [["plan", "fabrics"], ["apply", "fabrics", "--auto-approve", "--skip-verify"], ["plan", "fabrics", "--out", "p.plan"]]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr.trim()).toMatch(/^fabricate: error: the state \.fabricate\/state\.json /);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stdout).toBe("");
    }
    expect(readFileSync(path, "utf8")).toBe(text);
    expect(readdirSync(join(dir, ".fabricate"))).toEqual(["state.json"]);
    expect(existsSync(join(dir, "p.plan"))).toBe(false);
  });
});

describe("a state that cannot be reached", () => {
  it("is an error naming it, not a stack trace", async () => {
    writeFileSync(join(dir, "not-a-dir"), "");
    const planned = await runCli(["plan", "fabrics", "--state", "not-a-dir/state.json"], { cwd: dir });
    expect(planned.code).toBe(1);
    expect(planned.stderr).toMatch(/^fabricate: error: cannot read the state not-a-dir\/state\.json \(ENOTDIR\)/);
    const applied = await runCli(["apply", "fabrics", "--state", "not-a-dir/state.json", "--auto-approve", "--skip-verify"], { cwd: dir });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/^fabricate: error: cannot lock the state not-a-dir\/state\.json \(E(EXIST|NOTDIR)\)/);
  });
});

describe("fabricate force-unlock", () => {
  it("refuses an ID that is not the lock's, and says when there is no lock", async () => {
    const holder = { id: "3f1c7a52-0c8e-4f7e-9a51-1c2b3d4e5f60", who: "ci@runner-7 pid 4242", operation: "apply", created: "2026-11-25T10:00:00.000Z" };
    writeFileSync(join(dir, `${state}.lock`), JSON.stringify(holder));

    const blocked = await runCli(["apply", "fabrics", "--auto-approve", "--skip-verify"], { cwd: dir });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toBe(
      "fabricate: error: the state .fabricate/state.json is locked by ci@runner-7 pid 4242 (apply) since 2026-11-25T10:00:00.000Z, lock ID 3f1c7a52-0c8e-4f7e-9a51-1c2b3d4e5f60.\n" +
        "Wait for it (--lock-timeout), or if that process is dead: fabricate force-unlock 3f1c7a52-0c8e-4f7e-9a51-1c2b3d4e5f60\n",
    );

    const wrong = await runCli(["force-unlock", "not-it"], { cwd: dir });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(`fabricate: error: the state .fabricate/state.json is locked under ID ${holder.id}, not not-it; nothing was unlocked\n`);

    expect((await runCli(["force-unlock", holder.id], { cwd: dir })).code).toBe(0);
    const none = await runCli(["force-unlock", holder.id], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe("fabricate: error: the state .fabricate/state.json is not locked\n");

    expect((await runCli(["apply", "fabrics", "--auto-approve", "--skip-verify"], { cwd: dir })).code).toBe(0);
  });

  it.each(["soon", "25h", "2147484s"])("rejects --lock-timeout %s (not a duration of at most 24h) as wrong usage", async (text) => {
    const r = await runCli(["apply", config, "--auto-approve", "--skip-verify", "--lock-timeout", text], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`argument '${text}' is invalid. a duration from 0s to 24h such as 0s, 500ms, 10s or 2m is expected.`);
    expect(r.stdout).toBe("");
  });
});

describe("a state at the largest serial", () => {
  it("is refused by apply with a clear error, and left as it is (never written into an unreadable serial)", async () => {
    const text = `${JSON.stringify({ fabrics: [], lineage: "l", serial: Number.MAX_SAFE_INTEGER, version: 1 }, null, 2)}\n`;
    writeFileSync(join(dir, state), text);
    const r = await runCli(["apply", "fabrics", "--auto-approve", "--skip-verify"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`is at serial ${Number.MAX_SAFE_INTEGER}, the largest there is: it cannot be written again`);
    expect(readFileSync(join(dir, state), "utf8")).toBe(text);
  });
});
