// docs/ci.md's pre-commit hook, as written there, installed in a fresh git repository that has the
// built fabricate in node_modules/.bin (as `npm install` leaves it): a commit whose staged config file
// is broken is stopped, one whose new file names a team declared in another file goes through, and a
// commit that touches no config file does not run fabricate at all.
import { spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliPath, repoRoot, tempDir } from "../helpers/cli.js";

/** The first sh block of docs/ci.md's "A pre-commit hook" section. */
function documentedHook(): string {
  const docs = readFileSync(join(repoRoot, "docs", "ci.md"), "utf8");
  const section = docs.slice(docs.indexOf("## A pre-commit hook"));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error("no sh block under '## A pre-commit hook' in docs/ci.md");
  return block[1]!;
}

let dir: string;
let cleanup: () => void;
const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.com",
};
const git = (...args: string[]) => spawnSync("git", args, { cwd: dir, env: gitEnv, encoding: "utf8" });

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  expect(git("init", "-q", ".").status).toBe(0);
  mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
  symlinkSync(cliPath, join(dir, "node_modules", ".bin", "fabricate"));
  writeFileSync(join(dir, ".gitignore"), "node_modules/\n");
  cpSync(join(repoRoot, "examples", "fabrics"), join(dir, "fabrics"), { recursive: true });
  expect(git("add", ".").status).toBe(0);
  expect(git("commit", "-q", "-m", "the config").status).toBe(0);
  writeFileSync(join(dir, ".git", "hooks", "pre-commit"), documentedHook());
  chmodSync(join(dir, ".git", "hooks", "pre-commit"), 0o755);
});
afterEach(() => cleanup());

describe("the pre-commit hook of docs/ci.md", () => {
  it("stops a commit whose staged config file does not validate, naming the mistake", () => {
    appendFileSync(join(dir, "fabrics", "marketing.yaml"), "      - name: Not A Slug\n");
    git("add", "fabrics/marketing.yaml");
    const r = git("commit", "-q", "-m", "broken");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^fabrics\/marketing\.yaml:\d+:\d+: error: name "Not A Slug" is not valid/m);
    expect(git("log", "--oneline").stdout.trim().split("\n")).toHaveLength(1);
  });

  it("lets through a new file whose fabric's team is declared in another, unchanged file", () => {
    writeFileSync(join(dir, "fabrics", "marketing-dev.yaml"), "version: 1\nfabrics:\n  - name: marketing-dev\n    team: marketing\n    connections: []\n");
    git("add", "fabrics/marketing-dev.yaml");
    const r = git("commit", "-q", "-m", "a dev fabric");
    // git shows a hook's output on stderr.
    expect(r.stderr).toMatch(/^ok: 1 file\(s\) checked within the config/);
    expect(r.status).toBe(0);
  });

  it("does not run fabricate for a commit without config files", () => {
    // Were fabricate run, a broken unstaged config would stop this commit.
    appendFileSync(join(dir, "fabrics", "marketing.yaml"), "      - name: Not A Slug\n");
    writeFileSync(join(dir, "NOTES.md"), "notes\n");
    git("add", "NOTES.md");
    const r = git("commit", "-q", "-m", "notes");
    expect(r.status).toBe(0);
  });
});
