// apply's verification: only new or changed connections are checked, against a real server, and a
// failure becomes an error diagnostic.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changedSince, verifyChangedConnections, verifyDiagnostics } from "../../src/smtp/verifyBeforeApply.js";
import type { State } from "../../src/state/stateStore.js";
import { tempDir } from "../helpers/cli.js";
import { fabricsFromYaml } from "../helpers/smtpConfig.js";
import { startLocalSmtpServer, type LocalSmtpServer } from "../helpers/smtpServers.js";
import { makeTestCertificates, type TestCertificates } from "../helpers/tlsCertificates.js";

const user = "alerts@example.com";
const canary = "canary-apply-Jj2";
let certs: TestCertificates;
let dir: { dir: string; cleanup: () => void };
let smtp: LocalSmtpServer;

beforeAll(async () => {
  certs = makeTestCertificates();
  dir = tempDir();
  smtp = await startLocalSmtpServer({ tls: "starttls", certPem: certs.server.certPem, keyPem: certs.server.keyPem, users: { [user]: canary } });
});
afterAll(async () => {
  await smtp.close();
  certs.cleanup();
  dir.cleanup();
});

const config = (secrets: Record<string, unknown>, second: { secret: string }) =>
  fabricsFromYaml(dir.dir, [
    {
      name: "f",
      trustedHosts: ["127.0.0.1"],
      secrets,
      connections: [
        { name: "same", port: smtp.port, caFile: certs.ca.caFile },
        { name: "edited", port: smtp.port, caFile: certs.ca.caFile, secret: second.secret },
      ],
    },
  ]);

describe("changedSince", () => {
  it("picks new and changed connections, and all of a fabric whose secret settings changed", () => {
    const before = config({ provider: "env" }, { secret: "SMTP_PASSWORD" });
    const prior: State = { version: 1, serial: 1, lineage: "l", fabrics: before };
    const changed = (fabrics: typeof before) => fabrics.flatMap((f) => f.connections.filter((c) => changedSince(prior)(f, c)).map((c) => c.name));
    expect(changed(before)).toEqual([]);
    expect(changed(config({ provider: "env" }, { secret: "OTHER" }))).toEqual(["edited"]);
    expect(changed(config({ provider: "env", file: { directory: "/run/other" } }, { secret: "SMTP_PASSWORD" }))).toEqual(["edited", "same"]);
    expect(fabricsFromYaml(dir.dir, [{ name: "new", connections: [{ name: "c", port: 1 }] }]).flatMap((f) => f.connections.filter((c) => changedSince(prior)(f, c)))).toHaveLength(1);
  });
});

describe("verifyChangedConnections", () => {
  it("logs in only for what changed, and vetoes with a diagnostic naming the failure", async () => {
    const prior: State = { version: 1, serial: 1, lineage: "l", fabrics: config({ provider: "env" }, { secret: "SMTP_PASSWORD" }) };
    const desired = config({ provider: "env" }, { secret: "WRONG" });
    const before = smtp.connections();
    const results = await verifyChangedConnections(desired, prior, { secrets: { env: { SMTP_PASSWORD: canary, WRONG: "nope" } } });
    expect(results.map((r) => [r.connection, r.result])).toEqual([["edited", "auth-failed"]]);
    expect(smtp.connections()).toBe(before + 1);
    expect(verifyDiagnostics(results)).toEqual([
      {
        severity: "error",
        code: "verify.auth-failed",
        summary: 'f/edited: auth-failed: the server refused the credentials (wrong user or password: servers answer both alike); the server answered 535 (authentication credentials invalid)',
      },
    ]);
  });
});
