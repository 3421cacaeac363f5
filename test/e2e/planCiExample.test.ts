// The CI example runs as written: every `npx fabricate …` command in examples/ci/fabricate.yml is run
// through the built CLI, in workflow order, on a copy of the example configs.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { repoRoot, runCli, tempDir } from "../helpers/cli.js";
import { workflowCommands } from "../helpers/workflow.js";

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  cpSync(join(repoRoot, "examples", "fabrics"), join(dir, "fabrics"), { recursive: true });
});
afterEach(() => cleanup());

it("runs every fabricate command of the example workflow, plan job then apply job", async () => {
  const commands = workflowCommands("fabricate.yml", ["plan", "apply"]);
  expect(commands.map((c) => c[0])).toEqual(["validate", "codeowners", "codeowners", "plan", "apply"]);
  for (const command of commands) {
    // The examples' servers are real mail providers, which tests never reach: apply records without
    // logging in here (in the workflow, it verifies with the environment's secrets).
    const args = command[0] === "apply" ? [...command, "--skip-verify"] : command;
    const r = await runCli(args, { cwd: dir });
    // plan --detailed-exitcode says 2: the examples are not applied yet.
    expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(args[0] === "plan" ? 2 : 0);
  }
  const after = await runCli(["plan", "fabrics", "--state", ".fabricate/state.json", "--detailed-exitcode"], { cwd: dir });
  expect(after.code).toBe(0);
});
