// Shared by the bench/*.bench.mjs scripts: run a command as a child process and measure its wall
// time and peak memory over several runs.
//
// This machine is shared and noisy, so a figure is the median of the runs (and the largest peak RSS),
// and with FABRICATE_BENCH_BASELINE=DIR (a built checkout of the code to compare with, such as a
// worktree of main after `npm ci`) every CLI measurement also runs that checkout's CLI, alternating
// run by run, so that both see the same machine. Each report line also gives the load average.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
export const cli = join(repoRoot, "bin", "fabricate.js");
const hook = join(repoRoot, "bench", "maxrss.cjs");

/** The baseline checkout's CLI, when FABRICATE_BENCH_BASELINE names one. */
export const baselineCli = process.env.FABRICATE_BENCH_BASELINE ? join(process.env.FABRICATE_BENCH_BASELINE, "bin", "fabricate.js") : undefined;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function runOnce(args, { cwd = repoRoot, env = {}, expectCode = 0 }, rssFile) {
  const start = process.hrtime.bigint();
  // stdout is not kept: at a million connections a plan prints half a gigabyte.
  const r = spawnSync(process.execPath, ["--require", hook, ...args], {
    cwd,
    env: { ...process.env, ...env, FABRICATE_BENCH_RSS_FILE: rssFile },
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== expectCode) throw new Error(`${args.join(" ")} exited ${r.status}${r.signal ? ` (${r.signal})` : ""}: ${(r.stderr ?? "").slice(0, 2000)}`);
  return { ms, bytes: Number(readFileSync(rssFile, "utf8")) };
}

/**
 * Runs `node [args]` `runs` times; the median wall time and the largest peak RSS. `args` may be a
 * function of the run's index, for runs that each need a fresh target.
 */
export function measureNode(args, { runs = 5, ...options } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "fabricate-bench-"));
  const times = [];
  let peak = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const r = runOnce(typeof args === "function" ? args(i) : args, options, join(dir, "rss"));
      times.push(r.ms);
      peak = Math.max(peak, r.bytes);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ms: median(times), mb: peak / 1024 / 1024, runs, load: loadavg()[0] };
}

/**
 * Runs each variant (`name → i → node args`) `runs` times, interleaved run by run so that every variant
 * sees the same machine; each one's median wall time and largest peak RSS. A variant in `mayFail`
 * (the baseline, which may not reach a million connections) that fails is reported as failed
 * instead of ending the bench.
 */
export function measureInterleaved(variants, { runs = 5, mayFail = [], ...options } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "fabricate-bench-"));
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const peaks = Object.fromEntries(Object.keys(variants).map((k) => [k, 0]));
  const failed = {};
  try {
    for (let i = 0; i < runs; i++) {
      for (const [name, args] of Object.entries(variants)) {
        if (failed[name]) continue;
        try {
          const r = runOnce(args(i), options, join(dir, "rss"));
          times[name].push(r.ms);
          peaks[name] = Math.max(peaks[name], r.bytes);
        } catch (e) {
          if (!mayFail.includes(name)) throw e;
          failed[name] = e.message.split("\n").find((line) => /Error|error/.test(line))?.trim() ?? e.message.slice(0, 200);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const result = (name) => (failed[name] ? { failed: failed[name] } : { ms: median(times[name]), mb: peaks[name] / 1024 / 1024, runs, load: loadavg()[0] });
  return Object.fromEntries(Object.keys(variants).map((name) => [name, result(name)]));
}

/**
 * Measures the CLI: `args(cliPath, i)` gives the arguments of run i (a fresh target each run, say).
 * With a baseline, its CLI runs too, alternating with this checkout's run by run.
 */
export function measureCli(args, options = {}) {
  const r = measureInterleaved({ ours: (i) => args(cli, i), ...(baselineCli && { baseline: (i) => args(baselineCli, i) }) }, { ...options, mayFail: ["baseline"] });
  return { ...r.ours, ...(r.baseline && { baseline: r.baseline }) };
}

export function fmt({ ms, mb, baseline, load }) {
  const ours = `${ms.toFixed(0)} ms wall, ${mb.toFixed(0)} MB peak RSS`;
  const base = !baseline ? "" : baseline.failed ? `; baseline failed: ${baseline.failed}` : `; baseline ${baseline.ms.toFixed(0)} ms, ${baseline.mb.toFixed(0)} MB (${(ms / baseline.ms).toFixed(2)}× the time)`;
  return `${ours}${base} [load ${load.toFixed(1)}]`;
}

export function report(name, value, target) {
  console.log(`${name.padEnd(58)} ${value}${target ? `   (target: ${target})` : ""}`);
}
