// plan on 1,000 fabrics × 10 connections (10,000) with 1% of the connections changed: a state applied
// from variant 0 of the generated config, then `plan` of variant 1 against it.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { generateConfig } from "./generate.mjs";
import { cli, fmt, measureNode, repoRoot, report } from "./measure.mjs";

const work = join(repoRoot, "bench", ".work", "plan-10k");
const config = join(work, "fabrics");
const state = join(work, "state.json");

generateConfig(config, { fabrics: 1000, connections: 10, variant: 0 });
const applied = spawnSync(process.execPath, [cli, "apply", config, "--state", state, "--auto-approve", "--skip-verify"], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
if (applied.status !== 0) throw new Error(`apply exited ${applied.status}: ${applied.stderr}`);
generateConfig(config, { fabrics: 1000, connections: 10, variant: 1 });

const plan = measureNode([cli, "plan", config, "--state", state, "--detailed-exitcode"], { runs: 5, expectCode: 2 });
report("plan 10,000 connections, 1% changed (text)", fmt(plan), "< 1000 ms, < 300 MB");
// For scale: loading and checking the same config, which plan does first.
const validate = measureNode([cli, "validate", config], { runs: 5 });
report("  validate of the same config, for comparison", fmt(validate));
const saved = measureNode([cli, "plan", config, "--state", state, "--format", "json", "--out", join(work, "plan.json")], { runs: 3 });
report("plan 10,000 connections, 1% changed (json + --out)", fmt(saved));

// Where plan's time goes, stage by stage, in this process (the best of three).
const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { loadConfig } = await dist("config/loadConfig.js");
const { synthFabrics } = await dist("synth/fabricConfig.js");
const { openStateStore } = await dist("state/openStateStore.js");
const { diffFabrics } = await dist("plan/diffFabrics.js");
const { renderPlanText } = await dist("plan/renderPlanText.js");
const best = new Map();
for (let run = 0; run < 3; run++) {
  let t = performance.now();
  const lap = (stage) => {
    const now = performance.now();
    best.set(stage, Math.min(best.get(stage) ?? Infinity, now - t));
    t = now;
  };
  const loaded = loadConfig([config]);
  lap("load + check config (as validate)");
  const desired = synthFabrics(loaded.model);
  lap("synth");
  const store = await openStateStore(state);
  const current = await store.read();
  await store.close();
  lap("read state");
  const p = diffFabrics(desired, current);
  lap("diff (incl. config hash)");
  renderPlanText(p);
  lap("render text");
}
for (const [stage, ms] of best) report(`  stage: ${stage}`, `${ms.toFixed(0)} ms`);
