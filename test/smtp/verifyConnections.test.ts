// verify against real SMTP servers on 127.0.0.1, one case per result class. Nothing is stubbed: the
// servers are smtp-server instances (or a raw socket that never speaks), the certificates are made by
// openssl for this run, and the secret travels as it would in CI.
import { chmodSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyConnections } from "../../src/smtp/verifyConnections.js";
import type { VerifyResult } from "../../src/smtp/verifyResult.js";
import type { State } from "../../src/state/stateStore.js";
import { tempDir } from "../helpers/cli.js";
import { fabricsFromYaml, type TestConnection } from "../helpers/smtpConfig.js";
import { startLocalSmtpServer, startSilentServer, unusedPort, type LocalSmtpServer, type SilentServer } from "../helpers/smtpServers.js";
import { makeTestCertificates, type TestCertificates } from "../helpers/tlsCertificates.js";

const user = "alerts@example.com";
const canary = "canary-Pa55word-7f3e9c";
const env = { SMTP_PASSWORD: canary, WRONG_PASSWORD: "canary-wrong-91ab" };

let certs: TestCertificates;
let dir: { dir: string; cleanup: () => void };
const servers: { close(): Promise<void> }[] = [];
let starttls: LocalSmtpServer;
let implicit: LocalSmtpServer;

async function server(options: Parameters<typeof startLocalSmtpServer>[0]): Promise<LocalSmtpServer> {
  const s = await startLocalSmtpServer(options);
  servers.push(s);
  return s;
}

const withCert = () => ({ certPem: certs.server.certPem, keyPem: certs.server.keyPem });

/** One connection, verified as after review (--trust-new-hosts) unless a test asks about the trust rules. */
async function verifyOne(connection: Omit<TestConnection, "name">, options: { timeoutMs?: number; applied?: State } = {}): Promise<VerifyResult> {
  const fabrics = fabricsFromYaml(dir.dir, [{ connections: [{ name: "conn", ...connection }] }]);
  const trust = options.applied ? { applied: options.applied } : { applied: undefined, trustNewHosts: true };
  const [result] = await verifyConnections(fabrics, { ...trust, timeoutMs: options.timeoutMs ?? 5000, verbose: true, secrets: { env } });
  return result!;
}

beforeAll(async () => {
  certs = makeTestCertificates();
  dir = tempDir();
  starttls = await server({ tls: "starttls", ...withCert(), users: { [user]: canary } });
  implicit = await server({ tls: "implicit", ...withCert(), users: { [user]: canary } });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  certs.cleanup();
  dir.cleanup();
});

describe("verify: success", () => {
  it("logs in over STARTTLS with the private CA as caFile, timing every stage", async () => {
    const r = await verifyOne({ port: starttls.port, caFile: certs.ca.caFile });
    expect(r.result).toBe("ok");
    expect(r.message).toMatch(/AUTH PLAIN.*STARTTLS/);
    expect(r.stages.map((s) => s.stage)).toEqual(["connect", "greeting", "ehlo", "starttls", "ehlo", "auth", "quit"]);
    expect(starttls.authAttempts.at(-1)).toMatchObject({ method: "PLAIN", username: user, accepted: true });
  });

  it("logs in over implicit TLS", async () => {
    const r = await verifyOne({ port: implicit.port, tls: "implicit", caFile: certs.ca.caFile });
    expect(r.result).toBe("ok");
    expect(r.stages.map((s) => s.stage)).toEqual(["connect+tls", "greeting", "ehlo", "auth", "quit"]);
  });

  it("sends the password in clear text only for tls: none with insecure: true", async () => {
    const plain = await server({ tls: "none", users: { [user]: canary }, allowInsecureAuth: true });
    const r = await verifyOne({ port: plain.port, tls: "none", insecure: true });
    expect(r.result).toBe("ok");
    expect(r.message).toContain("in clear text (insecure: true)");
    expect(r.stages.map((s) => s.stage)).toEqual(["connect", "greeting", "ehlo", "auth", "quit"]);
    expect(plain.authAttempts).toEqual([{ method: "PLAIN", username: user, password: canary, accepted: true }]);
  });

  it("uses LOGIN when the server offers LOGIN but not PLAIN", async () => {
    const login = await server({ tls: "starttls", ...withCert(), users: { [user]: canary }, authMethods: ["LOGIN"] });
    const r = await verifyOne({ port: login.port, caFile: certs.ca.caFile });
    expect(r.result).toBe("ok");
    expect(login.authAttempts).toEqual([{ method: "LOGIN", username: user, password: canary, accepted: true }]);
    expect(r.transcript!.join("\n")).not.toContain(Buffer.from(user).toString("base64"));
  });
});

describe("verify: failure classes", () => {
  it("auth-failed: a wrong password, with the server's 535 code but not its text", async () => {
    const r = await verifyOne({ port: starttls.port, caFile: certs.ca.caFile, secret: "WRONG_PASSWORD" });
    expect(r).toMatchObject({ result: "auth-failed", stage: "auth", serverReply: "535 (authentication credentials invalid)" });
    expect(r.serverText).toBeUndefined();
    expect(r.transcript).toContain("S: 535 (authentication credentials invalid)");
    expect(r.transcript!.join("\n")).not.toContain("Authentication credentials invalid");
  });

  it("starttls-unavailable: a server without STARTTLS never receives the password", async () => {
    const plain = await server({ tls: "none", users: { [user]: canary }, allowInsecureAuth: true });
    const r = await verifyOne({ port: plain.port, caFile: certs.ca.caFile });
    expect(r).toMatchObject({ result: "starttls-unavailable", stage: "starttls" });
    expect(r.message).toContain("NOT sent");
    expect(r.serverText).toMatch(/^5\d\d /);
    expect(plain.authAttempts).toEqual([]);
    expect(plain.messages).toEqual([]);
    const seen = plain.rawReceived();
    expect(seen).toContain("STARTTLS");
    expect(seen).not.toMatch(/AUTH/i);
    for (const form of [canary, Buffer.from(canary).toString("base64"), Buffer.from(`\0${user}\0${canary}`).toString("base64")]) expect(seen).not.toContain(form);
  });

  it("auth-failed: a password the server echoes back appears in neither the message, the reply nor the transcript", async () => {
    const echo = new SMTPServer({
      cert: certs.server.certPem,
      key: certs.server.keyPem,
      disableReverseLookup: true,
      logger: false,
      onAuth(auth, _session, callback) {
        callback(Object.assign(new Error(`Invalid password ${auth.password ?? ""} for ${auth.username ?? ""}`), { responseCode: 535 }));
      },
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    servers.push({ close: () => new Promise<void>((resolve) => echo.close(() => resolve())) });
    const r = await verifyOne({ port: (echo.server.address() as AddressInfo).port, caFile: certs.ca.caFile });
    expect(r).toMatchObject({ result: "auth-failed", serverReply: "535 (authentication credentials invalid)" });
    expect(JSON.stringify(r)).not.toContain(canary);
  });

  it.each([["CRAM-MD5"], ["XOAUTH2"], ["CRAM-MD5", "XOAUTH2"]])("auth-unsupported: a server offering only %s gets no credentials", async (...methods) => {
    const other = await server({ tls: "starttls", ...withCert(), users: { [user]: canary }, authMethods: methods });
    const r = await verifyOne({ port: other.port, caFile: certs.ca.caFile });
    expect(r).toMatchObject({ result: "auth-unsupported", stage: "auth" });
    expect(r.message).toContain(`offers only ${methods.join(", ")}`);
    expect(other.authAttempts).toEqual([]);
  });

  it("timeout: a server that accepts and never greets, reported as the greeting stage within the timeout", async () => {
    const silent: SilentServer = await startSilentServer();
    servers.push(silent);
    const started = Date.now();
    const r = await verifyOne({ port: silent.port }, { timeoutMs: 800 });
    expect(r).toMatchObject({ result: "timeout", stage: "greeting" });
    expect(r.message).toContain("no greeting within 800ms");
    expect(silent.connections()).toBe(1);
    // The configured timeout bounds the session; the slack is for a loaded CI machine.
    expect(Date.now() - started).toBeLessThan(800 + 4000);
  });

  it("rejected: a 421 greeting, with the server's words", async () => {
    const busy = await server({ tls: "starttls", ...withCert(), users: {}, rejectWith: { code: 421, message: "Too many connections, try later" } });
    const r = await verifyOne({ port: busy.port, caFile: certs.ca.caFile });
    expect(r).toMatchObject({ result: "rejected", stage: "greeting", serverText: "421 Too many connections, try later" });
  });

  it("tls: a certificate from an unknown CA is refused without caFile, and the password is not sent", async () => {
    const before = starttls.authAttempts.length;
    const r = await verifyOne({ port: starttls.port });
    expect(r).toMatchObject({ result: "tls", stage: "starttls" });
    expect(r.message).toMatch(/not signed by a trusted CA.*caFile.*--ca/);
    expect(starttls.authAttempts.length).toBe(before);
  });

  it("tls: a self-signed certificate is refused without caFile and trusted with it", async () => {
    const self = await server({ tls: "starttls", certPem: certs.selfSigned.certPem, keyPem: certs.selfSigned.keyPem, users: { [user]: canary } });
    const untrusted = await verifyOne({ port: self.port });
    expect(untrusted).toMatchObject({ result: "tls", stage: "starttls" });
    expect(untrusted.message).toMatch(/self-signed/);
    expect(self.authAttempts).toEqual([]);
    const trusted = await verifyOne({ port: self.port, caFile: certs.selfSigned.certFile });
    expect(trusted.result).toBe("ok");
  });

  it("tls: a certificate for another name is a name mismatch even with the right CA", async () => {
    const other = await server({ tls: "starttls", certPem: certs.otherName.certPem, keyPem: certs.otherName.keyPem, users: { [user]: canary } });
    const r = await verifyOne({ port: other.port, caFile: certs.ca.caFile });
    expect(r).toMatchObject({ result: "tls", stage: "starttls" });
    expect(r.message).toContain("does not name this host");
  });

  it("tls: implicit TLS against a STARTTLS port fails the handshake", async () => {
    const r = await verifyOne({ port: starttls.port, tls: "implicit", caFile: certs.ca.caFile });
    expect(r).toMatchObject({ result: "tls", stage: "connect+tls" });
    expect(r.message).toContain("wrong version number");
  });

  it("refused: nothing listens on the port", async () => {
    const r = await verifyOne({ port: await unusedPort() });
    expect(r).toMatchObject({ result: "refused", stage: "connect" });
  });

  it("dns: an unresolvable .invalid host", async () => {
    const r = await verifyOne({ url: "smtp.nowhere.invalid", port: 587 });
    expect(r).toMatchObject({ result: "dns", stage: "dns" });
    expect(r.message).toContain("cannot resolve smtp.nowhere.invalid");
  });

  it("secret: a missing secret is named, and no connection is made", async () => {
    const before = starttls.connections();
    const r = await verifyOne({ port: starttls.port, secret: "NOT_SET_ANYWHERE" });
    expect(r).toMatchObject({ result: "secret", message: "env:NOT_SET_ANYWHERE: environment variable NOT_SET_ANYWHERE is not set", stages: [] });
    expect(starttls.connections()).toBe(before);
  });

  it("untrusted: a destination outside the trust rules is refused before any connection", async () => {
    const fresh = await server({ tls: "starttls", ...withCert(), users: { [user]: canary } });
    const applied: State = { version: 1, serial: 1, lineage: "l", fabrics: fabricsFromYaml(dir.dir, [{ trustedHosts: ["127.0.0.1:1"], connections: [{ name: "conn", port: starttls.port, caFile: certs.ca.caFile }] }]) };
    const r = await verifyOne({ port: fresh.port, caFile: certs.ca.caFile }, { applied });
    expect(r.result).toBe("untrusted");
    expect(r.message).toContain(`refusing to send env:SMTP_PASSWORD to 127.0.0.1:${fresh.port}`);
    expect(fresh.connections()).toBe(0);
  });
});

describe("verify: secrets from providers other than env", () => {
  it("logs in with a password from an exec command, and reports a failing command as secret", async () => {
    const script = join(dir.dir, "cred.sh");
    writeFileSync(script, `#!/bin/sh\n[ "$1" = "smtp/alerts" ] && printf '%s\\n' '${canary}' && exit 0\necho "no such secret: $1" >&2\nexit 4\n`);
    chmodSync(script, 0o755);
    const fabrics = fabricsFromYaml(dir.dir, [
      {
        secrets: { provider: "exec", exec: { command: [script, "{secret}"], timeout: "5s" } },
        connections: [
          { name: "a-good", port: starttls.port, caFile: certs.ca.caFile, secret: "smtp/alerts" },
          { name: "b-missing", port: starttls.port, caFile: certs.ca.caFile, secret: "smtp/nope" },
        ],
      },
    ]);
    const results = await verifyConnections(fabrics, { applied: undefined, trustNewHosts: true, secrets: { env: {} } });
    expect(results.map((r) => [r.connection, r.result])).toEqual([
      ["a-good", "ok"],
      ["b-missing", "secret"],
    ]);
    expect(results[1]!.message).toBe(`exec:smtp/nope: command ${JSON.stringify(script)} exited with code 4: no such secret: smtp/nope`);
  });
});

describe("verify: many connections", () => {
  it("keeps fabric/connection order and checks them concurrently", async () => {
    const fabrics = fabricsFromYaml(dir.dir, [
      { name: "b-fabric", connections: [{ name: "z", port: starttls.port, caFile: certs.ca.caFile }, { name: "a", port: implicit.port, tls: "implicit", caFile: certs.ca.caFile }] },
      { name: "a-fabric", connections: [{ name: "m", port: starttls.port, caFile: certs.ca.caFile, secret: "WRONG_PASSWORD" }] },
    ]);
    const seen: number[] = [];
    const results = await verifyConnections(fabrics, { applied: undefined, trustNewHosts: true, concurrency: 3, secrets: { env }, onResult: (_r, done) => seen.push(done) });
    expect(results.map((r) => `${r.fabric}/${r.connection}:${r.result}`)).toEqual(["a-fabric/m:auth-failed", "b-fabric/a:ok", "b-fabric/z:ok"]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it("--ca trusts a private CA for connections without caFile", async () => {
    const fabrics = fabricsFromYaml(dir.dir, [{ connections: [{ name: "c", port: starttls.port }] }]);
    const [r] = await verifyConnections(fabrics, { applied: undefined, trustNewHosts: true, caFile: certs.ca.caFile, secrets: { env } });
    expect(r!.result).toBe("ok");
  });
});
