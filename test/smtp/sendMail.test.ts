// send as a library: a real message to a real SMTP server on 127.0.0.1, through an applied connection.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendMail, type SendRequest } from "../../src/smtp/sendMail.js";
import type { State } from "../../src/state/stateStore.js";
import { tempDir } from "../helpers/cli.js";
import { fabricsFromYaml } from "../helpers/smtpConfig.js";
import { startLocalSmtpServer, type LocalSmtpServer } from "../helpers/smtpServers.js";
import { makeTestCertificates, type TestCertificates } from "../helpers/tlsCertificates.js";

const user = "alerts@example.com";
const canary = "canary-send-Zz8";
let certs: TestCertificates;
let dir: { dir: string; cleanup: () => void };
let smtp: LocalSmtpServer;
let applied: State;

beforeAll(async () => {
  certs = makeTestCertificates();
  dir = tempDir();
  smtp = await startLocalSmtpServer({ tls: "starttls", certPem: certs.server.certPem, keyPem: certs.server.keyPem, users: { [user]: canary } });
  const fabrics = fabricsFromYaml(dir.dir, [
    {
      name: "marketing",
      connections: [
        { name: "alerts", port: smtp.port, caFile: certs.ca.caFile },
        { name: "broken", port: smtp.port, caFile: certs.ca.caFile, secret: "WRONG_PASSWORD" },
      ],
    },
  ]);
  applied = { version: 1, serial: 1, lineage: "test", fabrics };
});

afterAll(async () => {
  await smtp.close();
  certs.cleanup();
  dir.cleanup();
});

const request = (extra: Partial<SendRequest> = {}): SendRequest => ({
  fabric: "marketing",
  connection: "alerts",
  as: "alice@example.com",
  to: ["ops@example.com"],
  subject: "Nightly load finished",
  text: "All 12 tables loaded.",
  ...extra,
});
const options = { applied: undefined as State | undefined, secrets: { env: { SMTP_PASSWORD: canary, WRONG_PASSWORD: "nope" } } };

describe("sendMail", () => {
  it("delivers a message from the connection's user, as a team member, and returns its Message-ID", async () => {
    const attachment = join(dir.dir, "report.csv");
    writeFileSync(attachment, "table,rows\norders,1200\n");
    const before = smtp.messages.length;
    const outcome = await sendMail(request({ cc: ["audit@example.com"], attachments: [attachment] }), { ...options, applied });
    expect(outcome).toMatchObject({ ok: true, from: user, accepted: ["ops@example.com", "audit@example.com"], rejected: [] });
    const received = smtp.messages[before]!;
    expect(received).toMatchObject({ envelopeFrom: user, envelopeTo: ["ops@example.com", "audit@example.com"], authenticatedAs: user });
    expect(received.raw).toMatch(/^From: alerts@example\.com\r$/m);
    expect(received.raw).toMatch(/^Cc: audit@example\.com\r$/m);
    expect(received.raw).toContain("Subject: Nightly load finished");
    expect(received.raw).toContain('filename=report.csv');
    if (outcome.ok) expect(received.raw).toContain(`Message-ID: ${outcome.messageId}`);
  });

  it("accepts --from when it is the connection's own user", async () => {
    const outcome = await sendMail(request({ from: "Alerts <ALERTS@example.com>" }), { ...options, applied });
    expect(outcome.ok).toBe(true);
  });

  it.each([
    [{ as: "mallory@example.com" }, "mallory@example.com is not a member of team team, which owns fabric marketing"],
    [{ from: "ceo@example.com" }, "mail through marketing/alerts is always from its user alerts@example.com; --from ceo@example.com is refused"],
    [{ connection: "nope" }, "fabric marketing has no applied connection nope (connections: alerts, broken)"],
    [{ fabric: "nope" }, "fabric nope is not applied (applied fabrics: marketing)"],
    [{ text: undefined }, "a message needs a body: --text or --html"],
    [{ to: [] }, "a message needs at least one --to recipient"],
    [{ subject: "hi\r\nBcc: everyone@example.com" }, "the subject and addresses must not hold control characters (CR, LF, …)"],
    [{ attachments: ["/nonexistent/file.csv"] }, "attachment /nonexistent/file.csv cannot be read (ENOENT)"],
  ])("refuses %j before connecting", async (extra, message) => {
    const before = smtp.connections();
    expect(await sendMail(request(extra), { ...options, applied })).toEqual({ ok: false, class: "not-allowed", message });
    expect(smtp.connections()).toBe(before);
  });

  it("refuses when nothing is applied", async () => {
    expect(await sendMail(request(), options)).toMatchObject({ ok: false, class: "not-allowed", message: expect.stringContaining("nothing is applied yet") });
  });

  it("reports a login failure with its class and the server's reply code, not its words", async () => {
    const outcome = await sendMail(request({ connection: "broken" }), { ...options, applied });
    expect(outcome).toMatchObject({ ok: false, class: "auth-failed", serverReply: "535 (authentication credentials invalid)" });
    expect(outcome).not.toHaveProperty("serverText");
  });
});
