// validate on part of a config, as a pre-commit hook (changed files only) and an editor (one buffer on
// standard input) run it: the files are checked within the whole config, so that a team declared in
// another file resolves, and only their own diagnostics are reported.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runCli, tempDir } from "../helpers/cli.js";

let work: { dir: string; cleanup: () => void };
beforeAll(() => {
  work = tempDir("fabricate-partial-");
  mkdirSync(join(work.dir, "fabrics"));
  cpSync(join(repoRoot, "examples", "fabrics"), join(work.dir, "fabrics"), { recursive: true });
  // Another file of the config is broken: none of the changed file's business.
  writeFileSync(join(work.dir, "fabrics", "broken.yaml"), "version: 1\nfabrics:\n  - name: Broken\n");
});
afterAll(() => work.cleanup());

const validate = (args: string[], input?: string) => runCli(["validate", ...args], { cwd: work.dir, ...(input !== undefined && { input }) });
const marketing = () => readFileSync(join(work.dir, "fabrics", "marketing.yaml"), "utf8");

describe("validate FILE within its config", () => {
  it("resolves the team declared in another file (./fabrics is the default root) and ignores the other files' mistakes", async () => {
    const r = await validate(["fabrics/marketing.yaml"]);
    expect(r).toEqual({ code: 0, stderr: "", stdout: "ok: 1 file(s) checked within the config in fabrics\n" });
  });

  it("reports only the given file's mistakes, at their places", async () => {
    const r = await validate(["fabrics/marketing.yaml", "fabrics/broken.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'fabrics/broken.yaml:3:5: error: missing required field "team"\n' +
        "fabrics/broken.yaml:3:11: error: name \"Broken\" is not valid: it must be a slug: lowercase letters, digits, - and _, starting with a letter or digit, at most 63 characters\n" +
        "2 errors, 0 warnings\n",
    );
  });

  it("takes --config-root, and says when it does not exist", async () => {
    const elsewhere = join(work.dir, "elsewhere");
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, "ops.yaml"), "version: 1\nfabrics:\n  - name: ops-prod\n    team: marketing\n");
    expect((await validate([join(elsewhere, "ops.yaml")])).stderr).toContain('belongs to team "marketing", which is not declared');
    expect((await validate([join(elsewhere, "ops.yaml"), "--config-root", "fabrics"])).code).toBe(0);
    const missing = await validate(["fabrics/marketing.yaml", "--config-root", "nope"]);
    expect(missing).toEqual({ code: 1, stdout: "", stderr: "nope: error: no such file or directory\n1 error, 0 warnings\n" });
  });
});

describe("validate - (standard input)", () => {
  it("checks the buffer in place of the file it names, within the config", async () => {
    const ok = await validate(["-", "--stdin-filename", "fabrics/marketing.yaml"], marketing());
    expect(ok).toEqual({ code: 0, stderr: "", stdout: "ok: 1 file(s) checked within the config in fabrics\n" });
    const edited = await validate(["-", "--stdin-filename", "fabrics/marketing.yaml"], marketing().replace("team: marketing", "team: marketting"));
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/^fabrics\/marketing\.yaml:\d+:\d+: error: fabric "marketing-prod" belongs to team "marketting", which is not declared \(did you mean "marketing"\?\)\n1 error, 0 warnings\n$/);
  });

  it("without a name, stands alone as <stdin>", async () => {
    const r = await validate(["-"], "version: 1\nteams:\n  - name: Ops\n");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^<stdin>:3:11: error: name "Ops" is not valid/);
    expect((await validate(["-"], "")).stderr).toBe("<stdin>:1:1: error: file is empty: a config file starts with `version: 1`\n1 error, 0 warnings\n");
  });
});
