// validate on 1,000 fabrics × 10 connections (≈1,000 files), and cold start on the examples beside
// bare Node start-up, interleaved run by run (and beside the baseline's, with FABRICATE_BENCH_BASELINE).
import { join } from "node:path";
import { generateConfig } from "./generate.mjs";
import { baselineCli, cli, fmt, measureCli, measureInterleaved, repoRoot, report } from "./measure.mjs";

const big = join(repoRoot, "bench", ".work", "validate-10k");
generateConfig(big, { fabrics: 1000, connections: 10 });

const large = measureCli((path) => [path, "validate", big], { runs: 5 });
report("validate 1,000 fabrics × 10 connections (1,001 files)", fmt(large), "< 1000 ms");

const cold = measureInterleaved(
  {
    bare: () => ["-e", "0"],
    ours: () => [cli, "validate", "examples/fabrics"],
    ...(baselineCli && { baseline: () => [baselineCli, "validate", "examples/fabrics"] }),
  },
  { runs: 21 },
);
report("node -e 0 (median of 21)", fmt(cold.bare));
report("validate examples/fabrics (cold start, median of 21)", fmt(cold.ours), "≤ 1.9× node -e 0");
report("  ratio to bare node start-up", `${(cold.ours.ms / cold.bare.ms).toFixed(2)}×`);
if (cold.baseline) report("  baseline's ratio to bare node start-up", `${(cold.baseline.ms / cold.bare.ms).toFixed(2)}× (${cold.baseline.ms.toFixed(0)} ms)`);
