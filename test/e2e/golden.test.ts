// Golden files: what synth writes for examples/fabrics, reviewed like code. A change to the output
// format shows here as a diff. After an intended change, regenerate them with
//   node bin/fabricate.js synth examples/fabrics --target terraform --out test/e2e/golden/synth-terraform
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { repoRoot, runCli, tempDir } from "../helpers/cli.js";
import { filesOf } from "../helpers/dirSnapshot.js";

const golden = join(repoRoot, "test", "e2e", "golden", "synth-terraform");

let work: string;
let cleanup: () => void;
beforeEach(() => ({ dir: work, cleanup } = tempDir()));
afterEach(() => cleanup());


it("synth --target terraform of examples/fabrics matches the golden files", async () => {
  const out = join(work, "out");
  expect((await runCli(["synth", "examples/fabrics", "--out", out, "--target", "terraform"])).code).toBe(0);
  expect(filesOf(out)).toEqual(filesOf(golden));
});

it("synth of examples/fabrics writes the golden fabric configs", async () => {
  const out = join(work, "out");
  expect((await runCli(["synth", "examples/fabrics", "--out", out])).code).toBe(0);
  const files = filesOf(out);
  const expected = filesOf(golden);
  for (const name of Object.keys(files).filter((n) => n !== "manifest.json")) expect(files[name]).toBe(expected[name]);
  expect(Object.keys(files)).toEqual(Object.keys(expected).filter((n) => n !== "cdk.tf.json"));
});
