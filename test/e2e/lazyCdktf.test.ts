import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { repoRoot, runCli, tempDir } from "../helpers/cli.js";

const probe = {
  NODE_OPTIONS: `--require ${join(repoRoot, "test", "helpers", "reportModuleLoads.cjs")}`,
  FABRICATE_TEST_REPORT_LOADS: "(^|/)(cdktf|@cdktf/provider-null|constructs)(/|$)",
};

let work: string;
let cleanup: () => void;
beforeEach(() => ({ dir: work, cleanup } = tempDir()));
afterEach(() => cleanup());

it.each([
  ["validate", ["validate", "examples/fabrics"]],
  ["synth", ["synth", "examples/fabrics", "--out", "OUT"]],
  ["synth --target terraform", ["synth", "examples/fabrics", "--out", "OUT", "--target", "terraform"]],
  ["synth --target terraform --verify-resource terraform_data", ["synth", "examples/fabrics", "--out", "OUT", "--target", "terraform", "--verify-resource", "terraform_data"]],
])("%s never loads cdktf", async (_, args) => {
  const r = await runCli(args.map((a) => (a === "OUT" ? join(work, "out") : a)), { env: probe });
  expect(r.code).toBe(0);
  expect(r.stderr).toBe("");
});

it("a CDK app does load it (so the probe above can see a load)", () => {
  const r = spawnSync(process.execPath, ["main.mjs"], {
    cwd: join(repoRoot, "examples", "cdk"),
    env: { ...process.env, ...probe, CDKTF_OUTDIR: join(work, "cdktf.out") },
    encoding: "utf8",
  });
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/^loaded cdktf$/m);
});
