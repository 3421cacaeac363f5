// The README's quick start, as written: `npm install && npm run demo`, then `npm test`. `npm run demo`
// runs here exactly so, in a copy of this checkout that shares its node_modules/ (the script builds
// dist/ afresh, which in the checkout itself would pull the build from under the other tests). It must
// run end to end on loopback, push to the local stand-in of Prophecy's API and show what it holds, show
// each step, a change made outside fabricate put back, a failure, and leave nothing behind. `npm install`
// is what made the checkout this suite runs in, and `npm test` is this run (.ci/run runs it as written).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../helpers/cli.js";

/** The command lines of the README's first sh block, comments dropped. */
function quickStart(): string[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Quick start"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block.split("\n").map((line) => line.replace(/#.*/, "").trim()).filter((line) => line !== "");
}

/** What the copy leaves out: what the build makes, the state of earlier runs, and git. */
const notCopied = new Set(["node_modules", "dist", ".git", "fabricate.out", "cdktf.out", ".fabricate"]);

let copy: { dir: string; cleanup: () => void };
beforeAll(() => {
  copy = tempDir("fabricate-quickstart-");
  for (const name of readdirSync(repoRoot).filter((n) => !notCopied.has(n))) {
    cpSync(join(repoRoot, name), join(copy.dir, name), { recursive: true, filter: (src) => !src.startsWith(join(repoRoot, "src", "generated")) });
  }
  symlinkSync(join(repoRoot, "node_modules"), join(copy.dir, "node_modules"));
});
afterAll(() => copy.cleanup());

describe("the README's quick start", () => {
  it("is the demo and the tests, in two commands", () => {
    expect(quickStart()).toEqual(["npm install && npm run demo", "npm test"]);
    const scripts = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.test).toBe("npm run build && vitest run");
  });

  it("npm run demo walks the pipeline against its own SMTP server and cleans up after itself", () => {
    const demo = quickStart()[0]!.split(" && ")[1]!.split(" ");
    const r = spawnSync(demo[0]!, demo.slice(1), { cwd: copy.dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 240_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("$ fabricate validate fabrics\nok: 1 file(s), 1 team(s), 1 fabric(s), 1 connection(s)\n(exit 0)");
    expect(r.stdout).toContain("$ fabricate synth fabrics --out fabricate.out\nwrote 1 file(s)");
    expect(r.stdout).toContain('"name": "DEMO_SMTP_PASSWORD"');
    expect(r.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(r.stdout).toContain("! new destination: env:DEMO_PROPHECY_TOKEN, env:DEMO_SMTP_PASSWORD would be sent to http://127.0.0.1:");
    expect(r.stdout).toContain("$ fabricate apply fabrics --auto-approve --trust-new-hosts\n");
    expect(r.stdout).toMatch(/Prophecy at http:\/\/127\.0\.0\.1:\d+: 1 fabric\(s\) created, 1 connection\(s\) created\.\nApply complete!/);
    expect(r.stdout).toMatch(/The local stand-in of Prophecy's API now holds: .*\n {2}fabric demo \(id \d+, team data-platform, provider ProphecyManaged\)\n {4}secret demo-smtp \(id (\d+)\)\n {4}connection alerts: smtp 127\.0\.0\.1:\d+ as alerts@example\.com, password: secret demo-smtp \(id \1\)\n/);
    expect(r.stdout).toMatch(/Changes made outside fabricate \(Prophecy holds them; this plan puts them back\):\n {2}~ connection demo\/alerts: changed in Prophecy\n {6}~ port: \d+ -> 2526\n/);
    expect(r.stdout).toMatch(/Prophecy at http:\/\/127\.0\.0\.1:\d+: 1 connection\(s\) updated\./);
    expect(r.stdout).toMatch(/demo\/alerts: ok: the server accepted the credentials \(AUTH PLAIN\) over STARTTLS/);
    const messageId = /'All 12 tables loaded\.'\n(<[^>\s]+>)\n\(exit 0\)/.exec(r.stdout)?.[1];
    expect(messageId).toBeDefined();
    expect(r.stdout).toContain(`The server received: from alerts@example.com (logged in as alerts@example.com) to ops@example.com`);
    expect(r.stdout).toContain(`Message-ID: ${messageId}`);
    expect(r.stdout).not.toContain("skipped");
    expect(r.stdout).toMatch(/demo\/alerts: auth-failed: .*; the server answered 535 \(authentication credentials invalid\)/);
    const work = /Working directory: (\S+)/.exec(r.stdout)?.[1];
    expect(work).toBeDefined();
    expect(existsSync(work!)).toBe(false);
  }, 300_000);
});
