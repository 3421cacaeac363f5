// How validate, synth, plan and apply grow with the number of connections: 1,000, 10,000 and 100,000
// in fabrics of 10 connections, one fabric a file (bench/generate.mjs), and 1,000,000 with
// BENCH_HUGE=1 (about 10 minutes more and 3 GB of memory; off by default so that `npm run bench`
// stays short). Each figure is a child process of the built CLI (bench/measure.mjs), beside the
// baseline's with FABRICATE_BENCH_BASELINE.
//
// - apply: all connections new, into an empty state file, --skip-verify; beside it, plan of the same
//   config against the same empty state: apply does plan's work once and then writes the state (the
//   in-process plan is applied as it is, not diffed a second time).
// - plan: against the state of the config applied, with 1% of the connections changed.
// Targets at 100,000: apply < 6 s and < 900 MB, plan < 2.5 s; at 1,000,000: apply completes, < 8 GB.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { generateConfig } from "./generate.mjs";
import { cli, fmt, measureCli, repoRoot, report } from "./measure.mjs";

const sizes = [1_000, 10_000, 100_000, ...(process.env.BENCH_HUGE === "1" ? [1_000_000] : [])];
const work = join(repoRoot, "bench", ".work", "scale");
const targets = {
  100_000: { apply: "< 6 s, < 900 MB", plan: "< 2.5 s" },
  1_000_000: { apply: "completes, < 8 GB" },
};

function removeState(path) {
  for (const suffix of ["", ".backup", ".history.jsonl", ".lock"]) rmSync(`${path}${suffix}`, { force: true });
}

for (const connections of sizes) {
  const fabrics = connections / 10;
  const runs = connections >= 1_000_000 ? 1 : 3;
  const label = connections.toLocaleString("en");
  const dir = join(work, `${connections}`);
  const config = join(dir, "fabrics");
  const empty = join(dir, "empty.json");
  generateConfig(config, { fabrics, connections: 10, teams: 50, variant: 0 });

  const validate = measureCli((path) => [path, "validate", config], { runs });
  report(`validate ${label}`, fmt(validate));
  const synth = measureCli((path) => [path, "synth", config, "--out", join(dir, "out")], { runs });
  rmSync(join(dir, "out"), { recursive: true, force: true });
  report(`synth ${label}`, fmt(synth));

  const planNew = measureCli((path) => [path, "plan", config, "--state", empty], { runs });
  report(`plan ${label}, all new (what apply plans)`, fmt(planNew));
  let count = 0;
  const applied = measureCli(
    (path) => {
      const state = join(dir, `apply-${count++}.json`);
      removeState(state);
      return [path, "apply", config, "--state", state, "--auto-approve", "--skip-verify"];
    },
    { runs },
  );
  for (let i = 0; i < count; i++) removeState(join(dir, `apply-${i}.json`));
  report(`apply ${label}, all new`, fmt(applied), targets[connections]?.apply);
  report("  apply / plan of the same (its state write is the difference)", `${(applied.ms / planNew.ms).toFixed(2)}×`);

  const state = join(dir, "state.json");
  removeState(state);
  const setUp = spawnSync(process.execPath, [cli, "apply", config, "--state", state, "--auto-approve", "--skip-verify"], { stdio: "ignore" });
  if (setUp.status !== 0) throw new Error(`apply of ${label} exited ${setUp.status}`);
  generateConfig(config, { fabrics, connections: 10, teams: 50, variant: 1 });
  const plan = measureCli((path) => [path, "plan", config, "--state", state, "--detailed-exitcode"], { runs, expectCode: 2 });
  report(`plan ${label}, 1% changed`, fmt(plan), targets[connections]?.plan);
  rmSync(dir, { recursive: true, force: true });
}
