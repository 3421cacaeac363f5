// `npm run demo` (after the build npm test has done): it must run end to end on loopback, show each
// step, show a failure, and leave nothing behind.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

it("walks the pipeline against its own SMTP server and cleans up after itself", () => {
  const r = spawnSync(process.execPath, [join(repoRoot, "scripts", "demo.mjs")], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("$ fabricate validate fabrics\nok: 1 file(s), 1 team(s), 1 fabric(s), 1 connection(s)\n(exit 0)");
  expect(r.stdout).toMatch(/demo\/alerts: ok: the server accepted the credentials \(AUTH PLAIN\) over STARTTLS/);
  expect(r.stdout).toMatch(/demo\/alerts: auth-failed: .*"535 Authentication credentials invalid"/);
  const work = /Working directory: (\S+)/.exec(r.stdout)?.[1];
  expect(work).toBeDefined();
  expect(existsSync(work!)).toBe(false);
});
