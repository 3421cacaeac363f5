// apply killed with SIGKILL at random points while it pushes to the Prophecy stand-in: after each kill
// the state must be valid and Prophecy must hold no second copy of anything; the next apply (after the
// documented steps: `fabricate force-unlock` for the dead run's lock, and `fabricate import --fabric-id`
// when a fabric's create was lost) must leave the state equal to what Prophecy holds, and the plan after
// it must say `No changes.`
//
// The kill point is the arrival of the k-th request at the stand-in, k drawn from a seeded generator:
// FABRICATE_KILL_SEED=N reproduces a run (the seed is in every failure message).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startProphecyStandIn, type ProphecyStandIn } from "../../src/demo/prophecyStandIn/index.js";
import { parseState } from "../../src/state/stateDocument.js";
import { cliPath, runCli, tempDir } from "../helpers/cli.js";
import { heldPerStandIn, heldPerState, pushed, tokenVariable, valuesOf, writeProphecyConfig, type PushedFabric } from "../helpers/prophecyConfig.js";
import { teams } from "../helpers/prophecyStandIn.js";

const token = "kill-token";
const runs = 20;
const baseSeed = Number(process.env.FABRICATE_KILL_SEED ?? 20261129);

/** mulberry32: a small, seedable generator, so that a failing run can be run again. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fabric = (i: number, connections: number, extra: Partial<PushedFabric> = {}): PushedFabric => ({
  name: `fabric-${i}`,
  team: i % 2 === 0 ? "marketing" : "finance",
  connections: Array.from({ length: connections }, (_, j) => pushed(`conn-${j}`, { secret: `secret-${j}`, from: `SECRET_${j}` })),
  ...extra,
});
/** The first config: 8 fabrics of 4 connections. */
const start = Array.from({ length: 8 }, (_, i) => fabric(i, 4));
/** The second: one fabric gone, one moved to the other team (a replacement), ports changed, one connection fewer, two fabrics new. */
const next = [
  ...start.slice(1).map((f, i) =>
    i === 0 ? { ...f, team: f.team === "marketing" ? "finance" : "marketing" } : i === 1 ? { ...f, connections: f.connections.slice(1) } : { ...f, connections: f.connections.map((c) => ({ ...c, port: 2525 })) },
  ),
  fabric(8, 3),
  fabric(9, 2),
];

let standIn: ProphecyStandIn;
beforeAll(async () => {
  standIn = await startProphecyStandIn({ teams, tokens: { [token]: { user: "ci@example.com", teams: ["marketing", "finance"] } } });
});
afterAll(() => standIn.close());

/** Runs apply and kills it when the stand-in receives its k-th request from now (or lets it finish). */
function applyKilledAt(k: number, cwd: string, args: readonly string[], env: Record<string, string>): Promise<{ killed: boolean }> {
  const seen = standIn.requests().length;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "ignore", "ignore"] });
    let killed = false;
    const watch = setInterval(() => {
      if (standIn.requests().length - seen >= k) {
        killed = child.kill("SIGKILL");
        clearInterval(watch);
      }
    }, 1);
    child.on("error", reject);
    child.on("exit", () => {
      clearInterval(watch);
      resolve({ killed });
    });
  });
}

it(`converges after apply is killed at ${runs} random points (seed ${baseSeed})`, { timeout: 600_000 }, async () => {
  const { dir, cleanup } = tempDir();
  let killed = 0;
  try {
    for (let run = 0; run < runs; run++) {
      const seed = baseSeed + run;
      const random = generator(seed);
      const where = `run ${run}, FABRICATE_KILL_SEED=${baseSeed} (seed ${seed})`;
      standIn.reset();
      const work = join(dir, `run-${run}`);
      const config = join(work, "fabrics");
      const statePath = join(work, "state.json");
      const second = run % 2 === 1;
      const env = { [tokenVariable]: token, ...valuesOf([...start, ...next]) };
      const args = ["apply", config, "--auto-approve", "--skip-verify", "--trust-new-hosts", "--state", statePath, "--parallelism", "4", "--api-timeout", "5s"];
      const cli = (...more: string[]) => runCli([...more, "--state", statePath], { cwd: work, env });

      // Odd runs kill an apply of changes to fabrics already pushed; even runs kill the first push.
      writeProphecyConfig(config, standIn.url, start);
      if (second) expect((await runCli(args, { cwd: work, env })).code, where).toBe(0);
      const target = second ? next : start;
      writeProphecyConfig(config, standIn.url, target);
      const k = 1 + Math.floor(random() * (second ? 90 : 100));
      if ((await applyKilledAt(k, work, args, env)).killed) killed += 1;

      // The state is a valid state (or none at all), and Prophecy holds no second copy of anything.
      let text: string | undefined;
      try {
        text = readFileSync(statePath, "utf8");
      } catch {
        text = undefined;
      }
      if (text !== undefined) expect(() => parseState(text!, statePath), where).not.toThrow();
      const names = standIn.data().fabrics.map((f) => `${f.teamName}/${f.name}`);
      expect(new Set(names).size, where).toBe(names.length);

      // A killed run leaves its lock behind, and says how to clear it: as a user would, after checking.
      let lock: { id: string } | undefined;
      try {
        lock = JSON.parse(readFileSync(`${statePath}.lock`, "utf8")) as { id: string };
      } catch {
        lock = undefined;
      }
      if (lock) expect((await cli("force-unlock", lock.id)).code, where).toBe(0);

      // The plan says what became of the calls in flight; then apply, and import any lost fabric.
      const plan = await cli("plan", config);
      expect(plan.code, `${where}: ${plan.stderr}`).toBe(0);
      let apply = await runCli(args, { cwd: work, env });
      if (apply.code !== 0) {
        const lost = [...apply.stdout.matchAll(/failed: create fabric ([\w-]+): .*HTTP 409/g)].map((m) => m[1]!);
        expect(lost.length, `${where}: ${apply.stdout}${apply.stderr}`).toBeGreaterThan(0);
        const ids = lost.map((name) => standIn.data().fabrics.find((f) => f.name === name)!.id);
        const imported = await cli("import", config, ...ids.flatMap((id) => ["--fabric-id", id]));
        if (process.env.FABRICATE_KILL_DEBUG) console.log(`${where}: imported ${lost.join(", ")}`);
        expect(imported.code, `${where}: ${imported.stderr}`).toBe(0);
        apply = await runCli(args, { cwd: work, env });
      }
      expect(apply.code, `${where}: ${apply.stdout}${apply.stderr}`).toBe(0);
      const state = parseState(readFileSync(statePath, "utf8"), statePath);
      expect(heldPerState(state), where).toEqual(heldPerStandIn(standIn.data()));
      expect(state.targets?.prophecy?.pending, where).toBeUndefined();
      expect((await cli("plan", config)).stdout, where).toBe("No changes.\n");
      if (process.env.FABRICATE_KILL_DEBUG) console.log(`${where}: k=${k}, plan after the kill:\n${plan.stdout.split("\n").filter((l) => /^\s+\?|^Plan|^Fabrics/.test(l)).join("\n")}`);
    }
    // Most kills land before the apply ends (the rest let it finish, which must converge too).
    expect(killed).toBeGreaterThanOrEqual(runs / 2);
  } finally {
    cleanup();
  }
});
