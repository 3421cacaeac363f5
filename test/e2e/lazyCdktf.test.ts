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
])("%s never loads cdktf", async (_, args) => {
  const r = await runCli(args.map((a) => (a === "OUT" ? join(work, "out") : a)), { env: probe });
  expect(r.code).toBe(0);
  expect(r.stderr).toBe("");
});

it("synth --target terraform does load it (so the probe above can see a load)", async () => {
  const r = await runCli(["synth", "examples/fabrics", "--out", join(work, "out"), "--target", "terraform"], { env: probe });
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^loaded .*cdktf/m);
});
