import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalStateStore, openStateStore } from "../../src/state/localStateStore.js";
import { StateError, StateLockedError, type State } from "../../src/state/stateStore.js";
import { tempDir } from "../helpers/cli.js";

function state(serial: number, description = "v" + serial): State {
  return {
    version: 1,
    serial,
    lineage: "11111111-2222-3333-4444-555555555555",
    fabrics: [
      {
        name: "f",
        teamName: "t",
        description,
        team: { members: [], reviewers: [] },
        secretProviders: { default: "env" },
        trustedHosts: [],
        connections: [],
      },
    ],
  };
}

let dir: string;
let cleanup: () => void;
let path: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, "nested", "state.json");
});
afterEach(() => cleanup());

describe("LocalStateStore", () => {
  it("reads nothing before the first write", async () => {
    expect(await openStateStore(path).read()).toBeUndefined();
  });

  it("writes canonical JSON under the lock, keeps the previous version as the backup, and releases the lock", async () => {
    const store = new LocalStateStore(path);
    let lock = await store.lock("apply", 0);
    await store.write(state(1), lock);
    await store.unlock(lock);
    lock = await store.lock("apply", 0);
    await store.write(state(2), lock);
    await store.unlock(lock);

    expect(await store.read()).toEqual(state(2));
    expect(JSON.parse(readFileSync(`${path}.backup`, "utf8"))).toEqual(state(1));
    expect(readFileSync(path, "utf8")).toMatch(/^\{\n  "fabrics": \[/);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it("fails at once when another writer holds the lock, naming the holder, its operation and since when", async () => {
    const store = new LocalStateStore(path);
    const held = await store.lock("apply", 0);
    const error = await store.lock("apply", 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateLockedError);
    const message = (error as Error).message;
    expect(message).toContain(`locked by ${held.who} (apply) since ${held.created}`);
    expect(message).toContain(`fabricate force-unlock ${held.id}`);
    expect(held.who).toMatch(new RegExp(`@.+ pid ${process.pid}$`));
  });

  it("waits up to the lock timeout for the holder to let go", async () => {
    const store = new LocalStateStore(path);
    const held = await store.lock("apply", 0);
    const waiting = store.lock("apply", 20_000);
    await store.unlock(held);
    const next = await waiting;
    expect(next.id).not.toBe(held.id);
  });

  it("gives up after the lock timeout when the holder keeps the lock", async () => {
    const store = new LocalStateStore(path);
    const held = await store.lock("apply", 0);
    await expect(store.lock("apply", 300)).rejects.toThrow(`lock ID ${held.id}.`);
  });

  it("says so when the holder was a process on this host that is no longer running", async () => {
    const store = new LocalStateStore(path);
    const held = await store.lock("apply", 0);
    const exited = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const lockFile = `${path}.lock`;
    writeFileSync(lockFile, JSON.stringify({ ...held, pid: Number(exited.stdout) }));
    await expect(store.lock("apply", 0)).rejects.toThrow(`lock ID ${held.id}, but that process is no longer running.\nIf no other fabricate runs: fabricate force-unlock ${held.id}`);
    writeFileSync(lockFile, JSON.stringify({ ...held, host: "another-host.invalid", pid: Number(exited.stdout) }));
    await expect(store.lock("apply", 0)).rejects.toThrow(`lock ID ${held.id}.\nWait for it (--lock-timeout)`);
  });

  it("refuses to write without holding the lock", async () => {
    const store = new LocalStateStore(path);
    const held = await store.lock("apply", 0);
    await store.forceUnlock(held.id);
    await expect(store.write(state(1), held)).rejects.toThrow(/no longer ours/);
    expect(existsSync(path)).toBe(false);
  });

  it("force-unlocks only the lock with the given ID", async () => {
    const store = new LocalStateStore(path);
    const held = await store.lock("apply", 0);
    await expect(store.forceUnlock("not-the-id")).rejects.toThrow(`locked under ID ${held.id}, not not-the-id`);
    await store.forceUnlock(held.id);
    await expect(store.forceUnlock(held.id)).rejects.toThrow(/is not locked/);
    await store.lock("apply", 0);
  });

  it.each([
    ["not JSON", "{ this is not json", /is not valid JSON/],
    ["truncated", JSON.stringify(state(3)).slice(0, 40), /is not valid JSON/],
    ["another document", JSON.stringify({ version: 2, serial: 1, lineage: "x", fabrics: [] }), /is not a fabricate state: version 2 is not 1/],
    ["no serial", JSON.stringify({ version: 1, lineage: "x", fabrics: [] }), /serial is not a positive integer/],
    ["a fabric without its team", JSON.stringify({ version: 1, serial: 1, lineage: "x", fabrics: [{ name: "f", teamName: "t", connections: [] }] }), /fabrics\[0\] is not a fabric config/],
  ])("reports a corrupt state file (%s) naming it, and leaves it byte-identical", async (_name, text, message) => {
    const store = new LocalStateStore(join(dir, "state.json"));
    writeFileSync(join(dir, "state.json"), text);
    const error = await store.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(join(dir, "state.json"));
    expect(readFileSync(join(dir, "state.json"), "utf8")).toBe(text);
  });
});
