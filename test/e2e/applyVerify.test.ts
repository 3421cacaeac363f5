// apply verifies first (as Prophecy tests a connection before it lets you save it): every new or
// changed connection logs in to a real SMTP server on 127.0.0.1 before anything is recorded, and one
// failure records nothing. --skip-verify opts out, and the output says so.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { writeTestConfig } from "../helpers/smtpConfig.js";
import { startLocalSmtpServer, type LocalSmtpServer } from "../helpers/smtpServers.js";
import { makeTestCertificates, type TestCertificates } from "../helpers/tlsCertificates.js";

const user = "alerts@example.com";
const password = "canary-apply-verify-7Qz";
const wrong = "canary-wrong-apply-3Jd";
let certs: TestCertificates;
let smtp: LocalSmtpServer;
let other: LocalSmtpServer;
let work: { dir: string; cleanup: () => void };

beforeAll(async () => {
  certs = makeTestCertificates();
  work = tempDir();
  const tls = { tls: "starttls" as const, certPem: certs.server.certPem, keyPem: certs.server.keyPem };
  smtp = await startLocalSmtpServer({ ...tls, users: { [user]: password } });
  other = await startLocalSmtpServer({ ...tls, users: { [user]: "not-the-same" } });
});

afterAll(async () => {
  await smtp.close();
  await other.close();
  certs.cleanup();
  work.cleanup();
});

function config(port: number): string {
  return writeTestConfig(work.dir, [{ name: "ops", connections: [{ name: "mail", port, caFile: certs.ca.caFile }] }]);
}

const apply = (state: string, secret: string, ...args: string[]) =>
  runCli(["apply", "--state", state, "--auto-approve", "--trust-new-hosts", ...args], { env: { SMTP_PASSWORD: secret } });

function expectNoCanary(...outputs: string[]): void {
  for (const o of outputs) {
    expect(o).not.toContain(password);
    expect(o).not.toContain(wrong);
  }
}

describe("apply verifies new and changed connections first", () => {
  it("records nothing when a new connection cannot log in, naming the connection and the server's words", async () => {
    const state = join(work.dir, "refused.json");
    const r = await apply(state, wrong, config(smtp.port));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ops\/mail: auth-failed: .*535/m);
    expect(r.stderr).toContain("apply stopped before recording anything");
    expect(existsSync(state)).toBe(false);
    expectNoCanary(r.stdout, r.stderr);
  });

  it("records a connection that logs in, and leaves the state whole when a change would break it", async () => {
    const state = join(work.dir, "state.json");
    const ok = await apply(state, password, config(smtp.port));
    expect(ok.stdout).toMatch(/^ops\/mail: ok: /m);
    expect(ok.code).toBe(0);
    expect(JSON.parse(readFileSync(state, "utf8")).serial).toBe(1);
    const before = readFileSync(state);

    // Moved to a server where these credentials do not work: verified, refused, nothing recorded.
    const moved = await apply(state, password, config(other.port));
    expect(moved.code).toBe(1);
    expect(moved.stdout).toMatch(/^ops\/mail: auth-failed: /m);
    expect(readFileSync(state).equals(before)).toBe(true);
    expectNoCanary(ok.stdout, ok.stderr, moved.stdout, moved.stderr, before.toString());
  });

  it("does not log in again to connections that did not change", async () => {
    const state = join(work.dir, "unchanged.json");
    expect((await apply(state, password, config(smtp.port))).code).toBe(0);
    const logins = smtp.authAttempts.length;
    const again = await apply(state, password, config(smtp.port));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes.");
    expect(smtp.authAttempts.length).toBe(logins);
  });

  it("--skip-verify records without logging in, and says so", async () => {
    const state = join(work.dir, "skipped.json");
    const attempts = smtp.authAttempts.length;
    const r = await apply(state, wrong, config(smtp.port), "--skip-verify");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Not verified (--skip-verify): the new and changed connections were recorded without logging in to them.");
    expect(smtp.authAttempts.length).toBe(attempts);
    expect(JSON.parse(readFileSync(state, "utf8")).serial).toBe(1);
  });

  it("refuses a malformed verification flag as wrong usage", async () => {
    const r = await apply(join(work.dir, "usage.json"), password, config(smtp.port), "--timeout", "soon");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('fabricate: error: --timeout takes a duration from 1ms to 24h such as 500ms, 10s, 1m30s or 1h, not "soon"\n');
  });
});
