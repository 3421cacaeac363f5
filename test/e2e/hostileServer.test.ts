// A hostile SMTP server on 127.0.0.1 that, once it has the password, sends it back in disguises no
// redaction could list (spaced out, hex, base32, rot13, reversed): in its AUTH rejection, and after a
// login it accepts, in its refusal of a recipient. Through the built CLI, in every verify format, with
// --verbose, through apply's verification and through send: no disguise is printed, the reply code is.
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir, type CliResult } from "../helpers/cli.js";
import { writeTestConfig } from "../helpers/smtpConfig.js";
import { makeTestCertificates, type TestCertificates } from "../helpers/tlsCertificates.js";

const user = "alerts@example.com";
const canary = "Canary-Hostile-Pw7xQ2";
const wrong = "Canary-Wrong-Pw3mZ9";
const env = { SMTP_PASSWORD: canary, WRONG_PASSWORD: wrong };

function base32(text: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bits = [...Buffer.from(text)].map((b) => b.toString(2).padStart(8, "0")).join("");
  return (bits.match(/.{1,5}/g) ?? []).map((chunk) => alphabet[parseInt(chunk.padEnd(5, "0"), 2)]).join("");
}

const rot13 = (text: string) => text.replace(/[a-z]/gi, (c) => String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (c <= "Z" ? 65 : 97)));

/** The password as a hostile server may send it back; the first ones are what redaction already knows. */
function disguises(password: string): string[] {
  const hex = Buffer.from(password).toString("hex");
  return [
    password,
    Buffer.from(password).toString("base64"),
    password.split("").join(" "),
    hex,
    hex.toUpperCase(),
    base32(password),
    rot13(password),
    [...password].reverse().join(""),
  ];
}

function expectNoDisguise(r: CliResult): void {
  for (const password of [canary, wrong]) for (const form of disguises(password)) expect(r.stdout + r.stderr).not.toContain(form);
}

let certs: TestCertificates;
let work: { dir: string; cleanup: () => void };
let server: SMTPServer;
let port: number;
let config: string;
const echoed: string[] = [];

beforeAll(async () => {
  certs = makeTestCertificates();
  work = tempDir("fabricate-hostile-");
  let received = "";
  server = new SMTPServer({
    cert: certs.server.certPem,
    key: certs.server.keyPem,
    name: "hostile.invalid",
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      received = auth.password ?? "";
      if (received === canary) return callback(null, { user: auth.username });
      const message = `Invalid password ${disguises(received).join(" | ")}`;
      echoed.push(message);
      callback(Object.assign(new Error(message), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      const message = `5.7.1 Relaying denied for ${disguises(received).join(" | ")}`;
      echoed.push(message);
      callback(Object.assign(new Error(message), { responseCode: 550 }));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as AddressInfo).port;
  config = writeTestConfig(work.dir, [
    {
      name: "marketing",
      connections: [
        { name: "good", port, caFile: certs.ca.caFile },
        { name: "wrong", port, caFile: certs.ca.caFile, secret: "WRONG_PASSWORD" },
      ],
    },
  ]);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  certs.cleanup();
  work.cleanup();
});

// Verified as after review: these cases are about what the server says, not about the trust rules.
const verify = (...args: string[]) => runCli(["verify", config, "--timeout", "5s", "--trust-new-hosts", ...args], { env });

describe("a server that echoes the password in disguise", () => {
  it("did echo every disguise (so the assertions below can fail)", async () => {
    const before = echoed.length;
    await verify("--connection", "wrong");
    expect(echoed.slice(before).join("\n")).toContain(disguises(wrong).slice(2).join(" | "));
  });

  it.each([
    ["text", [], "the server answered 535 (authentication credentials invalid)"],
    ["text", ["--verbose"], "    S: 535 (authentication credentials invalid)\n"],
    ["json", [], '"serverReply": "535 (authentication credentials invalid)"'],
    ["json", ["--verbose"], '"S: 535 (authentication credentials invalid)"'],
    ["junit", [], "the server answered 535 (authentication credentials invalid)</failure>"],
    ["junit", ["--verbose"], "S: 535 (authentication credentials invalid)</system-out>"],
  ])("verify --format %s %j prints the reply code, and no disguise", async (format, extra, shown) => {
    const r = await verify("--format", format, ...extra);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(shown);
    expectNoDisguise(r);
  });

  it("still shows the server's words from before AUTH with --verbose", async () => {
    const r = await verify("--verbose", "--connection", "good");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n {4}S: 220 hostile\.invalid ESMTP/);
    expect(r.stdout).toContain("    S: 235 (authentication succeeded)\n");
    expectNoDisguise(r);
  });

  it("apply's verification prints the reply code, and no disguise", async () => {
    const r = await runCli(["apply", config, "--auto-approve", "--trust-new-hosts", "--state", join(work.dir, "vetoed.json")], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("marketing/wrong: auth-failed: the server refused the credentials (wrong user or password: servers answer both alike); the server answered 535 (authentication credentials invalid)");
    expectNoDisguise(r);
  });

  describe("through send", () => {
    const state = () => join(work.dir, "applied.json");
    beforeAll(async () => {
      const applied = await runCli(["apply", config, "--auto-approve", "--skip-verify", "--state", state()], { env });
      expect(applied.code).toBe(0);
    });
    const send = (connection: string) =>
      runCli(["send", "--state", state(), "--fabric", "marketing", "--connection", connection, "--as", "alice@example.com", "--to", "o@example.com", "--subject", "s", "--text", "t"], { env });

    it("a refused login prints the reply code, and no disguise", async () => {
      const r = await send("wrong");
      expect(r).toMatchObject({ code: 1, stdout: "" });
      expect(r.stderr).toBe(
        "fabricate: error: auth-failed: marketing/wrong (env:WRONG_PASSWORD): the server refused the credentials (wrong user or password: servers answer both alike); the server answered 535 (authentication credentials invalid)\n",
      );
      expectNoDisguise(r);
    });

    it("a recipient refused after the login prints the reply code, and no disguise", async () => {
      const r = await send("good");
      expect(r).toMatchObject({ code: 1, stdout: "" });
      expect(r.stderr).toBe(
        "fabricate: error: protocol: marketing/good (env:SMTP_PASSWORD): unexpected answer during send (EENVELOPE); the server answered 550 5.7.1 (mailbox unavailable or mail refused)\n",
      );
      expectNoDisguise(r);
    });
  });
});
