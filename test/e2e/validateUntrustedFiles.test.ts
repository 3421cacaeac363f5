// Config files that are not what they claim to be, through the built CLI: a *.yaml that links to a file
// outside the config directory (such as .git/config, where CI keeps a token), a FIFO or a device named
// as config, and files with YAML errors. None of their bytes may be printed, in any format or on a
// terminal, and nothing may hang.
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, runCliOnTerminal, tempDir } from "../helpers/cli.js";

const canary = "ghp_canaryLinkToken7Qx";
const { dir, cleanup } = tempDir("fabricate-untrusted-");
afterAll(cleanup);

const validConfig = "version: 1\nteams:\n  - name: ops\n    members: [alice@example.com]\n";
let n = 0;

/** A repository checkout: .git/config with a token in its remote URL, and a fabrics/ directory. */
function checkout(): string {
  const repo = join(dir, `repo-${n++}`);
  mkdirSync(join(repo, ".git"), { recursive: true });
  mkdirSync(join(repo, "fabrics"));
  writeFileSync(join(repo, ".git", "config"), `[core]\n\tbare = false\n[remote "origin"]\n\turl = https://x-access-token:${canary}@github.com/acme/data.git\n`);
  writeFileSync(join(repo, "fabrics", "teams.yaml"), validConfig);
  return repo;
}

/** validate's last line on stderr when it fails with one error. */
const oneError = "1 error, 0 warnings\n";
const linkOutside = (link: string, root: string) => `${link}: error: symbolic link that leads outside ${root}: config files are read only from inside their directory, so it was not followed\n${oneError}`;

describe("symbolic links in a config", () => {
  it("refuses a *.yaml that links outside the config directory, by the link's name, in every format", async () => {
    const repo = checkout();
    symlinkSync("../.git/config", join(repo, "fabrics", "x.yaml"));
    const text = await runCli(["validate"], { cwd: repo });
    expect(text).toEqual({ code: 1, stdout: "", stderr: linkOutside("fabrics/x.yaml", "fabrics") });
    for (const format of ["json", "github"]) {
      const r = await runCli(["validate", "--format", format], { cwd: repo });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("file.link-outside");
      expect(r.stdout + r.stderr).not.toContain(canary);
    }
    const terminal = await runCliOnTerminal(["validate"], { cwd: repo });
    expect(terminal.code).toBe(1);
    expect(terminal.output).toContain("fabrics/x.yaml: error: symbolic link that leads outside fabrics");
    expect(terminal.output).not.toContain(canary);
  });

  it("refuses such a link given by name, and a linked directory leading outside", async () => {
    const repo = checkout();
    symlinkSync("../.git/config", join(repo, "fabrics", "x.yaml"));
    mkdirSync(join(repo, "elsewhere"));
    writeFileSync(join(repo, "elsewhere", "token.yaml"), `token: ${canary}\n`);
    const given = await runCli(["validate", "fabrics/x.yaml"], { cwd: repo });
    expect(given).toEqual({ code: 1, stdout: "", stderr: linkOutside("fabrics/x.yaml", "fabrics") });

    const other = checkout();
    symlinkSync("../../" + repo.split("/").pop() + "/elsewhere", join(other, "fabrics", "shared"));
    const linkedDir = await runCli(["validate", "fabrics"], { cwd: other });
    expect(linkedDir).toEqual({ code: 1, stdout: "", stderr: linkOutside("fabrics/shared", "fabrics") });
  });

  it("refuses a config directory that is itself a link leading out of the directory that holds it", async () => {
    const repo = checkout();
    mkdirSync(join(dir, `outside-${n}`));
    writeFileSync(join(dir, `outside-${n}`, "token.yaml"), `token: ${canary}\n`);
    symlinkSync(join(dir, `outside-${n}`), join(repo, "linked"));
    const r = await runCli(["validate", "linked"], { cwd: repo });
    expect(r).toEqual({ code: 1, stdout: "", stderr: linkOutside("linked", ".") });
  });

  it("follows links that stay inside the config directory", async () => {
    const repo = checkout();
    mkdirSync(join(repo, "fabrics", ".data"));
    writeFileSync(join(repo, "fabrics", ".data", "ops.yaml"), "version: 1\nfabrics:\n  - name: ops-prod\n    team: ops\n");
    symlinkSync(".data/ops.yaml", join(repo, "fabrics", "ops.yaml"));
    const r = await runCli(["validate"], { cwd: repo });
    expect(r).toEqual({ code: 0, stdout: "ok: 2 file(s), 1 team(s), 1 fabric(s), 0 connection(s)\n", stderr: "" });
  });

  it("says a link to nothing leads nowhere", async () => {
    const repo = checkout();
    symlinkSync("missing.yaml", join(repo, "fabrics", "broken.yaml"));
    const r = await runCli(["validate"], { cwd: repo });
    expect(r).toEqual({ code: 1, stdout: "", stderr: `fabrics/broken.yaml: error: symbolic link to nothing: its target does not exist\n${oneError}` });
  });
});

describe("config paths that are not regular files", () => {
  it("refuses a FIFO named *.yaml at once instead of waiting for a writer", async () => {
    const repo = checkout();
    execFileSync("mkfifo", [join(repo, "fabrics", "pipe.yaml")]);
    const found = await runCli(["validate"], { cwd: repo });
    expect(found).toEqual({ code: 1, stdout: "", stderr: `fabrics/pipe.yaml: error: file is a pipe (FIFO), not a regular file\n${oneError}` });
    const given = await runCli(["validate", "fabrics/pipe.yaml"], { cwd: repo });
    expect(given.stderr).toBe(`fabrics/pipe.yaml: error: file is a pipe (FIFO), not a regular file\n${oneError}`);
  });

  it("refuses a device instead of reading it forever", async () => {
    const r = await runCli(["validate", "/dev/zero"]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: `/dev/zero: error: file is a character device, not a regular file\n${oneError}` });
  });
});

describe("files with YAML errors", () => {
  // yaml's own messages would quote each of these (the block scalar header, the alias name, the escape sequence).
  it.each([
    ["a block scalar header", `version: 1\nteams: |x${canary}\n`, /^config\.yaml:2:9: error: unexpected text here: YAML does not allow it at this place\n1 error, 0 warnings\n$/],
    ["an alias", `version: 1\nteams: *${canary}\n`, /^config\.yaml:1:1: error: an alias refers to an anchor that is not defined before it\n1 error, 0 warnings\n$/],
    ["an escape", `version: 1\nteams: "\\q${canary}"\n`, /^config\.yaml:2:\d+: error: a double-quoted string holds an invalid escape sequence\n1 error, 0 warnings\n$/],
    ["a later document", `version: 1\nteams: |x\n---\nversion: ${canary}\n`, /^config\.yaml:2:9: error: unexpected text here: YAML does not allow it at this place\n1 error, 0 warnings\n$/],
    ["a non-YAML file", `[remote "origin"]\n\turl = https://x-access-token:${canary}@github.com/acme/data.git\n`, /^config\.yaml:\d+:\d+: error: /],
  ])("are reported in fixed words that never quote the file (%s), not even on a terminal", async (_name, content, expected) => {
    const caseDir = join(dir, `yaml-${n++}`);
    mkdirSync(caseDir);
    writeFileSync(join(caseDir, "config.yaml"), content);
    const text = await runCli(["validate", "config.yaml"], { cwd: caseDir });
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(expected);
    for (const format of ["json", "github"]) {
      const r = await runCli(["validate", "config.yaml", "--format", format], { cwd: caseDir });
      expect(r.stdout + r.stderr).not.toContain(canary);
    }
    const terminal = await runCliOnTerminal(["validate", "config.yaml"], { cwd: caseDir });
    expect(terminal.code).toBe(1);
    expect(terminal.output).toContain("config.yaml:");
    expect(terminal.output).not.toContain(canary);
  });

  it("still quotes the source line of a file that is YAML, on a terminal", async () => {
    const caseDir = join(dir, `yaml-${n++}`);
    mkdirSync(caseDir);
    writeFileSync(join(caseDir, "config.yaml"), "version: 2\n");
    const terminal = await runCliOnTerminal(["validate", "config.yaml"], { cwd: caseDir });
    expect(terminal.output).toBe("config.yaml:1:10: error: version must be 1, not 2\r\n  version: 2\r\n           ^\r\n1 error, 0 warnings\r\n");
  });
});
