// What the local file store does beyond the contract every store passes (stateStores.test.ts): its
// files (canonical JSON, the backup, the history lines, no lock left behind), what it can tell about a
// dead holder on this host, and how it treats a file that is not a state.
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalStateStore } from "../../src/state/localStateStore.js";
import { StateError } from "../../src/state/stateStore.js";
import { tempDir } from "../helpers/cli.js";
import { stateOf } from "./stateStoreContract.js";

let dir: string;
let cleanup: () => void;
let path: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, "nested", "state.json");
});
afterEach(() => cleanup());

describe("LocalStateStore", () => {
  it("writes canonical JSON, keeps the previous version as the backup, appends history lines, and leaves no lock", async () => {
    const store = new LocalStateStore(path);
    const lock = await store.lock("apply");
    await store.write(stateOf(1), lock, undefined, { operation: "apply" });
    await store.write(stateOf(2), lock, { serial: 1, lineage: stateOf(1).lineage }, { operation: "apply", planHash: "sha256:bb" });
    await store.unlock(lock);

    expect(JSON.parse(readFileSync(`${path}.backup`, "utf8"))).toEqual(stateOf(1));
    expect(readFileSync(path, "utf8")).toMatch(/^\{\n  "fabrics": \[/);
    const lines = readFileSync(`${path}.history.jsonl`, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as { serial: number; planHash?: string });
    expect(lines.map((l) => [l.serial, l.planHash])).toEqual([[1, undefined], [2, "sha256:bb"]]);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it("skips half a history line left by a crash mid-append", async () => {
    const store = new LocalStateStore(path);
    const lock = await store.lock("apply");
    await store.write(stateOf(1), lock, undefined, { operation: "apply" });
    appendFileSync(`${path}.history.jsonl`, '{"serial": 2, "linea');
    await store.unlock(lock);
    expect((await store.history()).map((h) => h.serial)).toEqual([1]);
  });

  it("says so when the holder was a process on this host that is no longer running", async () => {
    const store = new LocalStateStore(path);
    const held = await store.lock("apply");
    const exited = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const lockFile = `${path}.lock`;
    writeFileSync(lockFile, JSON.stringify({ ...held, pid: Number(exited.stdout) }));
    await expect(store.lock("apply")).rejects.toThrow(`lock ID ${held.id}, but that process is no longer running.\nIf no other fabricate runs: fabricate force-unlock ${held.id}`);
    writeFileSync(lockFile, JSON.stringify({ ...held, host: "another-host.invalid", pid: Number(exited.stdout) }));
    await expect(store.lock("apply")).rejects.toThrow(`lock ID ${held.id}.\nWait for it (--lock-timeout)`);
  });

  const canary = "ghp_CANARYcanary0123456789";
  it.each([
    ["not JSON", `url = https://x-access-token:${canary}@github.com/acme/fabrics`, /is not valid JSON/],
    ["truncated", JSON.stringify(stateOf(3)).slice(0, 40), /is not valid JSON/],
    ["another document", JSON.stringify({ version: 2, serial: 1, lineage: "x", fabrics: [] }), /is not a fabricate state \(\/version must be equal to constant\)/],
    ["no serial", JSON.stringify({ version: 1, lineage: "x", fabrics: [] }), /must have required property 'serial'/],
    ["a serial past the largest safe integer", JSON.stringify({ version: 1, serial: 2 ** 53, lineage: "x", fabrics: [] }), /\/serial must be <= 9007199254740991/],
    ["a fabric without its team", JSON.stringify({ version: 1, serial: 1, lineage: canary, fabrics: [{ name: "f", teamName: "t", connections: [] }] }), /\/fabrics\/0 must have required property/],
    ["a connection with a string port", JSON.stringify({ ...stateOf(1), fabrics: [{ ...stateOf(1).fabrics[0], connections: [{ name: "c", kind: "smtp", properties: { smtpUrl: "h", smtpPort: canary } }] }] }), /\/fabrics\/0\/connections\/0/],
  ])("reports a corrupt state file (%s) naming it, never quoting it, and leaves it byte-identical", async (_name, text, message) => {
    const file = join(dir, "state.json");
    const store = new LocalStateStore(file);
    writeFileSync(file, text);
    const error = await store.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).not.toContain(canary);
    expect(readFileSync(file, "utf8")).toBe(text);
  });
});
