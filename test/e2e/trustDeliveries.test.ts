// The security issue's attacks, each tried as a pull request's YAML against a reviewed, applied state,
// through the built CLI with real servers on 127.0.0.1 (an SMTP server, a Vault-shaped HTTP server, an
// exec command that leaves a marker when it runs). For each: verify refuses before anything happens —
// no SMTP connection, no HTTP request, no process — never prints the canary, and plan marks it.
import { chmodSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { writeTestConfig, type TestFabric } from "../helpers/smtpConfig.js";
import { startLocalSmtpServer, type LocalSmtpServer } from "../helpers/smtpServers.js";
import { makeTestCertificates, type TestCertificates } from "../helpers/tlsCertificates.js";

const user = "alerts@example.com";
const canary = "canary-trust-Zz8-secret";
const vaultToken = "canary-vault-token-Ww3";
let certs: TestCertificates;
let otherCerts: TestCertificates;
let smtp: LocalSmtpServer;
let plain: LocalSmtpServer;
let vault: Server;
let vaultRequests = 0;
let vaultAddress: string;
let work: { dir: string; cleanup: () => void };
let state: string;
let marker: string;
let script: string;

const env = { SMTP_PASSWORD: canary, OPS_PASSWORD: canary, VAULT_TOKEN: vaultToken };

/** The reviewed config: a fabric `ops` reading secrets from env, an exec command and Vault; `billing` owns its own. */
function baseline(change: { ops?: Partial<TestFabric>; connection?: Record<string, unknown>; billing?: Partial<TestFabric> } = {}): TestFabric[] {
  return [
    {
      name: "ops",
      trustedHosts: [`127.0.0.1:${smtp.port}`],
      secrets: { provider: "env", exec: { command: [script, "{secret}"], timeout: "5s" }, vault: { address: vaultAddress, mount: "secret" } },
      connections: [
        { name: "mail", port: smtp.port, caFile: certs.ca.caFile, ...change.connection },
        { name: "via-exec", port: smtp.port, caFile: certs.ca.caFile, provider: "exec", secret: "smtp/ops" },
        { name: "via-vault", port: smtp.port, caFile: certs.ca.caFile, provider: "vault", secret: "smtp/ops", key: "password" },
      ],
      ...change.ops,
    },
    { name: "billing", connections: [{ name: "invoices", port: smtp.port, caFile: certs.ca.caFile, secret: "OPS_PASSWORD" }], ...change.billing },
  ];
}

beforeAll(async () => {
  certs = makeTestCertificates();
  otherCerts = makeTestCertificates();
  work = tempDir("fabricate-trust-");
  marker = join(work.dir, "exec-ran");
  script = join(work.dir, "cred.sh");
  writeFileSync(script, `#!/bin/sh\ntouch ${JSON.stringify(marker)}\nprintf '%s\\n' '${canary}'\n`);
  chmodSync(script, 0o755);
  smtp = await startLocalSmtpServer({ tls: "starttls", certPem: certs.server.certPem, keyPem: certs.server.keyPem, users: { [user]: canary } });
  plain = await startLocalSmtpServer({ tls: "none", users: { [user]: canary } });
  vault = createServer((_req, res) => {
    vaultRequests++;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: { data: { password: canary } } }));
  });
  await new Promise<void>((resolve) => vault.listen(0, "127.0.0.1", resolve));
  vaultAddress = `http://127.0.0.1:${(vault.address() as AddressInfo).port}`;
  state = join(work.dir, "state.json");
  const reviewed = writeTestConfig(work.dir, baseline());
  const applied = await runCli(["apply", reviewed, "--state", state, "--auto-approve", "--trust-new-hosts"], { env });
  expect(applied.stdout + applied.stderr).not.toContain(canary);
  expect(applied.code).toBe(0);
});

afterAll(async () => {
  await smtp.close();
  await plain.close();
  await new Promise((resolve) => vault.close(resolve));
  certs.cleanup();
  otherCerts.cleanup();
  work.cleanup();
});

interface Observed {
  readonly smtp: number;
  readonly plain: number;
  readonly vault: number;
  readonly ran: boolean;
}

function observe(): Observed {
  return { smtp: smtp.connections(), plain: plain.connections(), vault: vaultRequests, ran: existsSync(marker) };
}

/** Writes the pull request's config, runs verify and plan against the applied state, and returns what they said. */
async function pullRequest(fabrics: TestFabric[], ...verifyArgs: string[]) {
  rmSync(marker, { force: true });
  const dir = join(work.dir, `pr-${Math.random().toString(36).slice(2)}`);
  const { mkdirSync } = await import("node:fs");
  mkdirSync(dir);
  const config = writeTestConfig(dir, fabrics);
  const before = observe();
  const verified = await runCli(["verify", config, "--state", state, "--timeout", "5s", ...verifyArgs], { env });
  const after = observe();
  const planned = await runCli(["plan", config, "--state", state], { env });
  for (const out of [verified.stdout, verified.stderr, planned.stdout, planned.stderr]) {
    expect(out).not.toContain(canary);
    expect(out).not.toContain(vaultToken);
  }
  return { verified, planned, before, after };
}

describe("a pull request against the applied state", () => {
  it("verifies the reviewed config itself, reading each secret as applied", async () => {
    const { verified, after, before } = await pullRequest(baseline());
    expect(verified.stdout).toMatch(/^billing\/invoices: ok: .*\nops\/mail: ok: .*\nops\/via-exec: ok: .*\nops\/via-vault: ok: .*\n4 ok, 0 failed\n$/);
    expect(after.ran).toBe(true);
    expect(after.vault).toBe(before.vault + 1);
  });

  it.each([
    ["changes only secrets.exec.command: the new command never runs", { ops: { secrets: { provider: "env", exec: { command: ["/bin/sh", "-c", `touch ${"MARKER"}; echo x`], timeout: "5s" }, vault: { address: "VAULT", mount: "secret" } } } }, "ops/via-exec", "the applied state reads exec:smtp/ops read by running"],
    ["changes only secrets.vault.address: the new Vault gets no request", { ops: { secrets: { provider: "env", exec: { command: ["SCRIPT", "{secret}"], timeout: "5s" }, vault: { address: "http://127.0.0.2:1", mount: "secret" } } } }, "ops/via-vault", "the applied state reads vault:smtp/ops#password read from Vault at"],
    ["downgrades the applied host and port to clear text", { connection: { tls: "none", insecure: true, caFile: undefined } }, "ops/mail", "in clear text (insecure)"],
    ["brings its own CA for the applied host", { connection: { caFile: "OTHER_CA" } }, "ops/mail", "(private CA sha256:"],
    ["moves a reference to a port that trustedHosts does not name", { connection: { port: "PLAIN" } }, "ops/mail", "the applied state sends env:SMTP_PASSWORD only to 127.0.0.1:"],
    ["adds its server to trustedHosts in the same change", { ops: { trustedHosts: ["127.0.0.1"] }, connection: { port: "PLAIN", tls: "none", insecure: true, caFile: undefined } }, "ops/mail", "only to 127.0.0.1:"],
    ["uses another fabric's reference", { connection: { secret: "OPS_PASSWORD" } }, "ops/mail", "env:OPS_PASSWORD is applied only in fabric billing, not in fabric ops"],
  ] as const)("%s", async (_what, change, connection, reason) => {
    const fill = (v: unknown): unknown =>
      v === "PLAIN" ? plain.port : v === "OTHER_CA" ? otherCerts.ca.caFile : v === "VAULT" ? vaultAddress : v === "SCRIPT" ? script : typeof v === "string" ? v.replace("MARKER", marker) : Array.isArray(v) ? v.map(fill) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)])) : v;
    const { verified, planned, before, after } = await pullRequest(baseline(fill(change) as Parameters<typeof baseline>[0]), "--connection", connection.split("/")[1]!);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`${connection}: untrusted: refusing to send`);
    expect(verified.stdout).toContain(reason);
    expect(after).toEqual({ ...before, ran: false });
    expect(planned.stdout).toMatch(new RegExp(`! new destination: .+ would be sent to `));
  });

  it("--trust-new-hosts, after review, lets the changed delivery through", async () => {
    const { verified, after, before } = await pullRequest(baseline({ connection: { port: plain.port, tls: "none", insecure: true, caFile: undefined } }), "--connection", "mail", "--trust-new-hosts");
    expect(verified.stdout).toMatch(/^ops\/mail: ok: .* in clear text/);
    expect(after.plain).toBe(before.plain + 1);
  });
});
