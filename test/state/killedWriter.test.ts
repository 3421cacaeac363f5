// A writer killed with SIGKILL inside the write window (temporary file written, not yet renamed) leaves
// the old state whole. The writer is a real child process using the built store; the test hook
// FABRICATE_TEST_PAUSE_BEFORE_RENAME_MS holds it in that window until the test kills it.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, expect, it } from "vitest";
import { LocalStateStore } from "../../src/state/localStateStore.js";
import type { State } from "../../src/state/stateStore.js";
import { repoRoot, tempDir } from "../helpers/cli.js";

const storeModule = pathToFileURL(join(repoRoot, "dist", "state", "localStateStore.js")).href;

function state(serial: number): State {
  return { version: 1, serial, lineage: "lineage-1", fabrics: [] };
}

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

it("a writer killed between writing the temporary file and the rename leaves the old state, and the next writer cleans up", async () => {
  const path = join(dir, "state.json");
  const store = new LocalStateStore(path);
  const first = await store.lock("apply");
  await store.write(state(1), first, undefined, { operation: "apply" });
  await store.unlock(first);
  const before = readFileSync(path, "utf8");

  const script = `
    import { LocalStateStore } from ${JSON.stringify(storeModule)};
    const store = new LocalStateStore(${JSON.stringify(path)});
    const lock = await store.lock("apply");
    await store.write(${JSON.stringify(state(2))}, lock, { serial: 1, lineage: "lineage-1" }, { operation: "apply" });
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, FABRICATE_TEST_PAUSE_BEFORE_RENAME_MS: "60000" },
    stdio: "ignore",
  });
  let alive = true;
  const exited = new Promise((resolve) => child.on("exit", resolve)).then(() => (alive = false));
  // Wait until the new state is fully on disk in its temporary file: the writer is in the window.
  const temporaries = () => readdirSync(dir).filter((n) => n.startsWith("state.json.tmp-"));
  while (temporaries().length === 0 || readFileSync(join(dir, temporaries()[0]!), "utf8") === "") {
    if (!alive) throw new Error("the writer exited before reaching the write window");
    await sleep(20);
  }
  child.kill("SIGKILL");
  await exited;

  expect(readFileSync(path, "utf8")).toBe(before);
  expect(await store.read()).toEqual(state(1));
  expect(temporaries()).toHaveLength(1);

  // The dead writer's lock stays until force-unlock; then the next write succeeds and removes the leftover.
  const lock = JSON.parse(readFileSync(`${path}.lock`, "utf8")) as { id: string };
  await expect(store.lock("apply")).rejects.toThrow(/is locked by/);
  await store.forceUnlock(lock.id);
  const next = await store.lock("apply");
  await store.write(state(2), next, { serial: 1, lineage: "lineage-1" }, { operation: "apply" });
  await store.unlock(next);
  expect(await store.read()).toEqual(state(2));
  expect(temporaries()).toHaveLength(0);
  expect(existsSync(`${path}.backup`)).toBe(true);
});
