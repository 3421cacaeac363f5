// fabricate verify through the built CLI, against real SMTP servers on 127.0.0.1: exit codes, the
// three formats, flags, and a canary password that must never appear in any output.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { writeTestConfig } from "../helpers/smtpConfig.js";
import { startLocalSmtpServer, type LocalSmtpServer } from "../helpers/smtpServers.js";
import { makeTestCertificates, type TestCertificates } from "../helpers/tlsCertificates.js";

const user = "alerts@example.com";
const canary = "canary-e2e-Xy9-secret";
const wrongCanary = "canary-e2e-wrong-Qq1";
const env = { SMTP_PASSWORD: canary, WRONG_PASSWORD: wrongCanary, RUNTIME_PASSWORD: canary };

let certs: TestCertificates;
let dir: { dir: string; cleanup: () => void };
let smtp: LocalSmtpServer;
let config: string;

beforeAll(async () => {
  certs = makeTestCertificates();
  dir = tempDir();
  smtp = await startLocalSmtpServer({ tls: "starttls", certPem: certs.server.certPem, keyPem: certs.server.keyPem, users: { [user]: canary } });
  config = writeTestConfig(dir.dir, [
    {
      name: "marketing",
      connections: [
        { name: "good", port: smtp.port, caFile: certs.ca.caFile },
        { name: "wrong", port: smtp.port, caFile: certs.ca.caFile, secret: "WRONG_PASSWORD" },
      ],
    },
    { name: "runtime", connections: [{ name: "prophecy-ref", port: smtp.port, caFile: certs.ca.caFile, provider: "prophecy", secret: "RUNTIME_PASSWORD" }] },
  ]);
});

afterAll(async () => {
  await smtp.close();
  certs.cleanup();
  dir.cleanup();
});

// These cases are about formats and flags, so they run as after review; the trust rules have their own cases below.
const verify = (...args: string[]) => runCli(["verify", config, "--timeout", "5s", "--trust-new-hosts", ...args], { env });

describe("fabricate verify", () => {
  it("prints one line per connection naming it and its class, then the counts; exit 1 when one fails", async () => {
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^marketing\/good: ok: the server accepted the credentials \(AUTH PLAIN\) over STARTTLS \(127\.0\.0\.1:\d+, starttls; connect \d+ms, greeting \d+ms, ehlo \d+ms, starttls \d+ms, ehlo \d+ms, auth \d+ms, quit \d+ms\)$/);
    expect(lines[1]).toMatch(/^marketing\/wrong: auth-failed: .*; the server answered 535 \(authentication credentials invalid\) \(127\.0\.0\.1:/);
    expect(lines[2]).toMatch(/^runtime\/prophecy-ref: secret: prophecy:RUNTIME_PASSWORD: prophecy references resolve only inside the fabric's runtime/);
    expect(lines[3]).toBe("1 ok, 2 failed");
  });

  it("exits 0 when every selected connection logs in (with a Go-style --timeout)", async () => {
    const r = await runCli(["verify", config, "--timeout", "1m30s", "--trust-new-hosts", "--fabric", "marketing", "--connection", "good"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^marketing\/good: ok: .*\n1 ok, 0 failed\n$/);
  });

  it("maps runtime-only references with --secret-provider", async () => {
    const r = await verify("--fabric", "runtime", "--secret-provider", "prophecy=env");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("runtime/prophecy-ref: ok:");
  });

  it("writes json and junit", async () => {
    const json = await verify("--format", "json", "--fabric", "marketing");
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { ok: number; failed: number; results: { connection: string; result: string; stage?: string }[] };
    expect(parsed).toMatchObject({ ok: 1, failed: 1 });
    expect(parsed.results.map((x) => [x.connection, x.result, x.stage])).toEqual([
      ["good", "ok", undefined],
      ["wrong", "auth-failed", "auth"],
    ]);
    const junit = await verify("--format", "junit", "--fabric", "marketing");
    expect(junit.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="fabricate verify" tests="2" failures="1"/);
    expect(junit.stdout).toContain('<failure type="auth-failed"');
  });

  it("never prints the password, in any format, even with --verbose", async () => {
    const forms = [canary, wrongCanary, ...[canary, wrongCanary].flatMap((p) => [Buffer.from(p).toString("base64"), Buffer.from(`\0${user}\0${p}`).toString("base64")])];
    for (const format of ["text", "json", "junit"]) {
      const r = await verify("--format", format, "--verbose", "--secret-provider", "prophecy=env");
      expect(r.stdout).toContain("AUTH PLAIN [redacted]");
      for (const form of forms) {
        expect(r.stdout).not.toContain(form);
        expect(r.stderr).not.toContain(form);
      }
    }
  });

  it("shows the transcript with --verbose", async () => {
    const r = await verify("--verbose", "--connection", "good");
    expect(r.stdout).toMatch(/\n {4}C: STARTTLS\n {4}S: 220 /);
    expect(r.stdout).toContain("    C: AUTH PLAIN [redacted]\n    S: 235 (authentication succeeded)\n");
  });

  it.each([
    [["--timeout", "soon"], 1, 'fabricate: error: --timeout takes a duration from 1ms to 24h such as 500ms, 10s, 1m30s or 1h, not "soon"\n'],
    // Above 2^31-1 ms setTimeout fires at once: without a bound this would time out after 1 ms.
    [["--timeout", "2147484s"], 1, 'fabricate: error: --timeout takes a duration from 1ms to 24h such as 500ms, 10s, 1m30s or 1h, not "2147484s"\n'],
    [["--timeout", "0s"], 1, 'not "0s"'],
    [["--concurrency", "0"], 1, "fabricate: error: --concurrency takes a whole number from 1 to 1024"],
    [["--concurrency", "1025"], 1, 'fabricate: error: --concurrency takes a whole number from 1 to 1024, not "1025"\n'],
    [["--concurrency", "1e3"], 1, 'fabricate: error: --concurrency takes a whole number from 1 to 1024, not "1e3"\n'],
    [["--secret-provider", "prophecy"], 1, "fabricate: error: --secret-provider takes FROM=TO"],
    [["--format", "xml"], 1, "argument 'xml' is invalid"],
    [["--fabric", "nope"], 1, 'fabricate: error: no fabric named "nope" (fabrics: marketing, runtime)'],
    [["--connection", "nope"], 1, 'fabricate: error: no connection named "nope"'],
  ])("refuses %j", async (args, code, message) => {
    const r = await verify(...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  it("refuses a file secret that is a FIFO at once, before connecting (a pull request could name one)", async () => {
    const work = tempDir();
    try {
      execFileSync("mkfifo", [`${work.dir}/pipe`]);
      const piped = writeTestConfig(work.dir, [
        { name: "ops", secrets: { provider: "file", file: { directory: work.dir } }, connections: [{ name: "mail", port: smtp.port, caFile: certs.ca.caFile, secret: "pipe" }] },
      ]);
      const before = smtp.connections();
      // As after review: the read itself is what is bounded here (the trust rules would refuse it first).
      const r = await runCli(["verify", piped, "--timeout", "5s", "--trust-new-hosts"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`ops/mail: secret: file:pipe: file ${work.dir}/pipe is a pipe (FIFO), not a regular file`);
      expect(smtp.connections()).toBe(before);
    } finally {
      work.cleanup();
    }
  });

  it("reports config errors at their place and exits 1", async () => {
    const broken = tempDir();
    try {
      const { writeFileSync } = await import("node:fs");
      writeFileSync(`${broken.dir}/bad.yaml`, "version: 1\nfabrics:\n  - name: x\n    team: nobody\n");
      const r = await runCli(["verify", broken.dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: error: /);
    } finally {
      broken.cleanup();
    }
  });
});

describe("fabricate verify with a state", () => {
  it("verifies what is applied, and refuses to send an applied secret to a new destination", async () => {
    const work = tempDir();
    const other = await startLocalSmtpServer({ tls: "starttls", certPem: certs.server.certPem, keyPem: certs.server.keyPem, users: { [user]: canary } });
    try {
      const state = `${work.dir}/state.json`;
      const applied = writeTestConfig(work.dir, [{ name: "ops", connections: [{ name: "mail", port: smtp.port, caFile: certs.ca.caFile }] }]);
      // The first apply after review trusts the new destination; apply verifies it on the way.
      expect((await runCli(["apply", applied, "--auto-approve", "--trust-new-hosts", "--state", state], { env })).code).toBe(0);

      const fromState = await runCli(["verify", "--state", state], { env });
      expect(fromState.stdout).toMatch(/^ops\/mail: ok: /);
      expect(fromState.code).toBe(0);

      // A pull request moves the connection to another server but keeps its secret reference.
      const moved = writeTestConfig(work.dir, [{ name: "ops", connections: [{ name: "mail", port: other.port, caFile: certs.ca.caFile }] }]);
      const refused = await runCli(["verify", moved, "--state", state], { env });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(
        new RegExp(`^ops/mail: untrusted: refusing to send env:SMTP_PASSWORD to 127\\.0\\.0\\.1:${other.port} \\(private CA sha256:[0-9a-f]{8}\\): the applied state sends env:SMTP_PASSWORD only to 127\\.0\\.0\\.1:${smtp.port} \\(private CA sha256:[0-9a-f]{8}\\)\\. Add 127\\.0\\.0\\.1:${other.port} to fabric ops's trustedHosts and apply that, or run with --trust-new-hosts once the change is reviewed`),
      );
      expect(other.connections()).toBe(0);

      const trusted = await runCli(["verify", moved, "--state", state, "--trust-new-hosts"], { env });
      expect(trusted.stdout).toMatch(/^ops\/mail: ok: /);
      expect(other.connections()).toBe(1);
    } finally {
      await other.close();
      work.cleanup();
    }
  });

  it("refuses to send the Vault token over http:// to a non-loopback address from a hand-edited state, before any request", async () => {
    const work = tempDir();
    let requests = 0;
    const vault = createServer((_req, res) => {
      requests += 1;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: { data: { password: canary } } }));
    });
    await new Promise<void>((resolve) => vault.listen(0, "127.0.0.1", resolve));
    const vaultPort = (vault.address() as AddressInfo).port;
    try {
      const state = `${work.dir}/state.json`;
      const applied = writeTestConfig(work.dir, [
        {
          name: "ops",
          secrets: { provider: "vault", vault: { address: `http://127.0.0.1:${vaultPort}` } },
          connections: [{ name: "mail", port: smtp.port, caFile: certs.ca.caFile, secret: "smtp/prod", key: "password" }],
        },
      ]);
      expect((await runCli(["apply", applied, "--auto-approve", "--skip-verify", "--state", state])).code).toBe(0);
      // The schema refuses this address in a config; a state file can still be edited by hand.
      writeFileSync(state, readFileSync(state, "utf8").replaceAll(`http://127.0.0.1:${vaultPort}`, `http://localhost:${vaultPort}`));
      const smtpBefore = smtp.connections();
      const r = await runCli(["verify", "--state", state], { env: { VAULT_TOKEN: "canary-vault-token-Zz8" } });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        `ops/mail: secret: vault:smtp/prod#password: refusing to send the Vault token to http://localhost:${vaultPort}: the address must be https:// (http:// only on a loopback address such as 127.0.0.1)`,
      );
      expect(r.stdout + r.stderr).not.toContain("canary-vault-token-Zz8");
      expect(requests).toBe(0);
      expect(smtp.connections()).toBe(smtpBefore);
    } finally {
      await new Promise<void>((resolve) => vault.close(() => resolve()));
      work.cleanup();
    }
  });

  it("says so when nothing is applied", async () => {
    const r = await runCli(["verify", "--state", `${dir.dir}/missing-state.json`], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("fabricate: error: nothing is applied in");
  });
});
