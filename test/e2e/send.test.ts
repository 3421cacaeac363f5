// fabricate send through the built CLI: a state made by `fabricate apply`, a real SMTP server on
// 127.0.0.1, and the rules of the Email step (team member, sender, applied connection only).
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { writeTestConfig } from "../helpers/smtpConfig.js";
import { startLocalSmtpServer, type LocalSmtpServer } from "../helpers/smtpServers.js";
import { makeTestCertificates, type TestCertificates } from "../helpers/tlsCertificates.js";

const user = "alerts@example.com";
const canary = "canary-send-e2e-Kk4";
const env = { SMTP_PASSWORD: canary };
let certs: TestCertificates;
let dir: { dir: string; cleanup: () => void };
let smtp: LocalSmtpServer;
let state: string;

beforeAll(async () => {
  certs = makeTestCertificates();
  dir = tempDir();
  smtp = await startLocalSmtpServer({ tls: "starttls", certPem: certs.server.certPem, keyPem: certs.server.keyPem, users: { [user]: canary } });
  const config = writeTestConfig(dir.dir, [{ name: "marketing", connections: [{ name: "alerts", port: smtp.port, caFile: certs.ca.caFile }] }]);
  state = join(dir.dir, "state.json");
  // The first apply, after review, trusts the new destination.
  const applied = await runCli(["apply", config, "--auto-approve", "--trust-new-hosts", "--state", state], { env });
  expect(applied.code).toBe(0);
});

afterAll(async () => {
  await smtp.close();
  certs.cleanup();
  dir.cleanup();
});

const send = (...args: string[]) =>
  runCli(["send", "--state", state, "--fabric", "marketing", "--connection", "alerts", "--subject", "Load finished", "--text", "12 tables loaded", ...args], { env });

describe("fabricate send", () => {
  it("delivers from the connection's user and prints the message id", async () => {
    const before = smtp.messages.length;
    const r = await send("--as", "alice@example.com", "--to", "ops@example.com,data@example.com", "--cc", "audit@example.com");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<[^<>\s]+@[^<>\s]+>\n$/);
    const m = smtp.messages[before]!;
    expect(m).toMatchObject({ envelopeFrom: user, authenticatedAs: user, envelopeTo: ["ops@example.com", "data@example.com", "audit@example.com"] });
    expect(m.raw).toMatch(/^From: alerts@example\.com\r$/m);
    expect(m.raw).toContain(`Message-ID: ${r.stdout.trim()}`);
    expect(r.stdout + r.stderr).not.toContain(canary);
  });

  it.each([
    [["--as", "mallory@example.com", "--to", "ops@example.com"], "fabricate: error: mallory@example.com is not a member of team team, which owns fabric marketing"],
    [["--as", "alice@example.com", "--to", "ops@example.com", "--from", "ceo@example.com"], "fabricate: error: mail through marketing/alerts is always from its user alerts@example.com; --from ceo@example.com is refused"],
  ])("refuses %j without connecting", async (args, message) => {
    const before = smtp.connections();
    const r = await send(...args);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(message);
    expect(r.stdout).toBe("");
    expect(smtp.connections()).toBe(before);
  });

  it("reports a refused login with its class and the server's reply code, never its words or the password", async () => {
    const wrong = "canary-send-e2e-wrong-Mm7";
    const r = await runCli(["send", "--state", state, "--fabric", "marketing", "--connection", "alerts", "--as", "alice@example.com", "--to", "o@example.com", "--subject", "s", "--text", "t"], {
      env: { SMTP_PASSWORD: wrong },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'fabricate: error: auth-failed: marketing/alerts (env:SMTP_PASSWORD): the server refused the credentials (wrong user or password: servers answer both alike); the server answered 535 (authentication credentials invalid)\n',
    );
    for (const form of [wrong, Buffer.from(wrong).toString("base64"), Buffer.from(`\0${user}\0${wrong}`).toString("base64")]) expect(r.stdout + r.stderr).not.toContain(form);
  });

  it("sends only through applied connections", async () => {
    const r = await runCli(["send", "--state", join(dir.dir, "none.json"), "--fabric", "marketing", "--connection", "alerts", "--as", "alice@example.com", "--to", "o@example.com", "--subject", "s", "--text", "t"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nothing is applied yet");
  });

  it("is a usage error without its required flags", async () => {
    const r = await runCli(["send", "--fabric", "marketing"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("required option");
  });
});
