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
  expect(r.stdout).toContain("$ fabricate synth fabrics --out fabricate.out\nwrote 1 file(s)");
  expect(r.stdout).toContain('"name": "DEMO_SMTP_PASSWORD"');
  expect(r.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
  expect(r.stdout).toContain("Apply complete!");
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
});
