// validate on 1,000 fabrics × 10 connections (≈1,000 files), and cold start on the examples beside
// bare Node start-up.
import { join } from "node:path";
import { generateConfig } from "./generate.mjs";
import { cli, fmt, measureNode, repoRoot, report } from "./measure.mjs";

const big = join(repoRoot, "bench", ".work", "validate-10k");
generateConfig(big, { fabrics: 1000, connections: 10 });

const large = measureNode([cli, "validate", big], { runs: 5 });
report("validate 1,000 fabrics × 10 connections (1,001 files)", fmt(large), "< 1000 ms");

const bare = measureNode(["-e", "0"], { runs: 10 });
const examples = measureNode([cli, "validate", "examples/fabrics"], { runs: 10 });
report("node -e 0", fmt(bare));
report("validate examples/fabrics (cold start)", fmt(examples), "< 3× node -e 0");
report("  ratio to bare node start-up", `${(examples.ms / bare.ms).toFixed(2)}×`);
