// Shared by the bench/*.bench.mjs scripts: run a command as a child process and measure its wall
// time and peak memory, the best of several runs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
export const cli = join(repoRoot, "bin", "fabricate.js");
const hook = join(repoRoot, "bench", "maxrss.cjs");

/**
 * Runs `node [nodeArgs] args` `runs` times; returns the fastest wall time and the largest peak RSS.
 * `args` may be a function of the run's index, for runs that each need a fresh target.
 */
export function measureNode(args, { runs = 5, cwd = repoRoot, env = {}, expectCode = 0 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "fabricate-bench-"));
  const rssFile = join(dir, "rss");
  let bestMs = Infinity;
  let peakBytes = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      const runArgs = typeof args === "function" ? args(i) : args;
      const r = spawnSync(process.execPath, ["--require", hook, ...runArgs], {
        cwd,
        env: { ...process.env, ...env, FABRICATE_BENCH_RSS_FILE: rssFile },
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
      });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== expectCode) throw new Error(`${runArgs.join(" ")} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
      bestMs = Math.min(bestMs, ms);
      peakBytes = Math.max(peakBytes, Number(readFileSync(rssFile, "utf8")));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ms: bestMs, mb: peakBytes / 1024 / 1024 };
}

export function fmt({ ms, mb }) {
  return `${ms.toFixed(0)} ms wall, ${mb.toFixed(0)} MB peak RSS`;
}

export function report(name, value, target) {
  console.log(`${name.padEnd(58)} ${value}${target ? `   (target: ${target})` : ""}`);
}
