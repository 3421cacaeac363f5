// Every validate rule, table-driven through the built CLI: input files → exit code and the exact
// `file:line:col: error: message` the user sees.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

const team = "version: 1\nteams:\n  - name: ops\n    members: [ops@example.com]\n";

/** A fabric file with one connection whose fields are `fields` (YAML lines at connection indent). */
function fabric(fields: string, extra = ""): string {
  return `version: 1\nfabrics:\n  - name: ops-prod\n    team: ops\n${extra}    connections:\n      - name: mail\n        type: smtp\n${fields}`;
}
const okFields = "        url: smtp.example.com\n        username: ops@example.com\n        password:\n          secret: OPS_SMTP\n";

interface Case {
  name: string;
  files: Record<string, string>;
  /** Each must appear in stderr, as `file:line:col: error: …` lines. */
  errors: string[];
}

const cases: Case[] = [
  {
    name: "a duplicate fabric across files shows both places",
    files: {
      "a.yaml": team + "fabrics:\n  - name: dup\n    team: ops\n",
      "b.yaml": "version: 1\nfabrics:\n  - name: dup\n    team: ops\n",
    },
    errors: ['b.yaml:3:11: error: fabric "dup" is declared twice', "first declared at {dir}/a.yaml:6:11"],
  },
  {
    name: "a duplicate team",
    files: { "a.yaml": team, "b.yaml": team },
    errors: ['b.yaml:3:11: error: team "ops" is declared twice'],
  },
  {
    name: "a duplicate connection within a fabric",
    files: { "t.yaml": team, "f.yaml": fabric(okFields + "      - name: mail\n        type: smtp\n" + okFields) },
    errors: ['f.yaml:12:15: error: connection "mail" is declared twice'],
  },
  {
    name: "a fabric's team must exist",
    files: { "t.yaml": team, "f.yaml": "version: 1\nfabrics:\n  - name: x\n    team: opz\n" },
    errors: ['f.yaml:4:11: error: fabric "x" belongs to team "opz", which is not declared (did you mean "ops"?)'],
  },
  {
    name: "a name that would become a path",
    files: { "t.yaml": team, "f.yaml": "version: 1\nfabrics:\n  - name: ../x\n    team: ops\n" },
    errors: ['f.yaml:3:11: error: name "../x" is not valid'],
  },
  {
    name: "a fabric named like a file synth writes for itself",
    files: { "t.yaml": team, "f.yaml": "version: 1\nfabrics:\n  - name: manifest\n    team: ops\n" },
    errors: ['f.yaml:3:11: error: a fabric cannot be named "manifest": synth writes manifest.json for its own use'],
  },
  {
    name: "an upper-case name",
    files: { "t.yaml": "version: 1\nteams:\n  - name: Ops\n" },
    errors: ['t.yaml:3:11: error: name "Ops" is not valid'],
  },
  {
    name: "url is a host name, an IP or smtp(s)://",
    files: { "t.yaml": team, "f.yaml": fabric(okFields.replace("smtp.example.com", '"http://smtp.example.com/x"')) },
    errors: ['f.yaml:8:14: error: url "http://smtp.example.com/x" must be a host name'],
  },
  {
    name: "a url port that disagrees with port",
    files: { "t.yaml": team, "f.yaml": fabric(okFields.replace("smtp.example.com", "smtp://smtp.example.com:25") + "        port: 587\n") },
    errors: ["f.yaml:12:15: error: port 587 disagrees with the url's port 25"],
  },
  {
    name: "tls none without insecure",
    files: { "t.yaml": team, "f.yaml": fabric(okFields + "        tls: none\n") },
    errors: ["f.yaml:12:14: error: tls: none sends the password in clear text; it is allowed only with insecure: true"],
  },
  {
    name: "smtps:// with tls starttls",
    files: { "t.yaml": team, "f.yaml": fabric(okFields.replace("smtp.example.com", "smtps://smtp.example.com") + "        tls: starttls\n") },
    errors: ["f.yaml:12:14: error: tls: starttls contradicts the url's smtps:// scheme"],
  },
  {
    name: "CR/LF in the username (SMTP command injection)",
    files: { "t.yaml": team, "f.yaml": fabric(okFields.replace("username: ops@example.com", 'username: "ops@example.com\\r\\nRCPT TO:<x@evil.invalid>"')) },
    errors: ["f.yaml:9:19: error: username holds a control character"],
  },
  {
    name: "NUL in the url",
    files: { "t.yaml": team, "f.yaml": fabric(okFields.replace("smtp.example.com", '"smtp.example.com\\0"')) },
    errors: ["f.yaml:8:14: error: url holds a control character"],
  },
  {
    name: "a plaintext password, without repeating it",
    files: { "t.yaml": team, "f.yaml": fabric(okFields.replace("password:\n          secret: OPS_SMTP", "password: hunter2-canary")) },
    errors: ["f.yaml:10:19: error: password must be a secret reference such as { secret: SMTP_PASSWORD }"],
  },
  {
    name: "an auth other than basic",
    files: { "t.yaml": team, "f.yaml": fabric(okFields + "        auth: oauth2\n") },
    errors: ['f.yaml:12:15: error: authentication "oauth2" is not supported: only basic authentication'],
  },
  {
    name: "an unknown field, with a suggestion",
    files: { "t.yaml": team, "f.yaml": fabric(okFields + "        prot: 587\n") },
    errors: ['f.yaml:12:9: error: unknown field "prot" (did you mean "port"?)'],
  },
  {
    name: "an unknown secret provider, listed against the supported ones",
    files: { "t.yaml": team, "f.yaml": fabric(okFields + "          provider: vaultt\n") },
    errors: ['f.yaml:12:21: error: unknown secret provider "vaultt" (did you mean "vault"?); it must be a secret provider: env, file, exec, vault, databricks or prophecy'],
  },
  {
    name: "an unknown connection type",
    files: { "t.yaml": team, "f.yaml": fabric(okFields).replace("type: smtp", "type: imap") },
    errors: ['f.yaml:7:15: error: connection type "imap" is not supported; supported types: "smtp"'],
  },
  {
    name: "a port out of range",
    files: { "t.yaml": team, "f.yaml": fabric(okFields + "        port: 70000\n") },
    errors: ["f.yaml:12:15: error: port 70000 is out of range"],
  },
  {
    name: "a missing required field",
    files: { "t.yaml": team, "f.yaml": fabric(okFields.replace("        username: ops@example.com\n", "")) },
    errors: ['f.yaml:6:9: error: missing required field "username"'],
  },
  {
    name: "exec references need an exec command",
    files: { "t.yaml": team, "f.yaml": fabric(okFields + "          provider: exec\n") },
    errors: ["f.yaml:12:21: error: this reference uses the exec provider, but the fabric has no secrets.exec.command"],
  },
  {
    name: "a caFile that does not exist",
    files: { "t.yaml": team, "f.yaml": fabric(okFields + "        caFile: certs/missing.pem\n") },
    errors: ['f.yaml:12:17: error: caFile "certs/missing.pem" does not exist (it is relative to this file)'],
  },
  {
    name: "a Vault address over http:// to anything but a loopback address (the token travels with every request)",
    files: { "t.yaml": team, "f.yaml": fabric(okFields, "    secrets:\n      vault:\n        address: http://localhost:8200\n") },
    errors: [
      'f.yaml:7:18: error: address "http://localhost:8200" is not valid: it must be an https:// URL, or http:// on a loopback address (127.0.0.0/8 or [::1], not the name localhost), such as https://vault.example.com:8200',
    ],
  },
  {
    name: "an exec timeout of zero (which would mean none at all), or not in Go's syntax",
    files: { "t.yaml": team, "f.yaml": fabric(okFields, "    secrets:\n      exec:\n        command: [op, read]\n        timeout: 0s\n") },
    errors: ['f.yaml:8:18: error: timeout "0s" is not valid: it must be a duration such as 500ms, 10s, 1m30s or 2m, more than 0 and at most 24h'],
  },
  {
    name: "an exec timeout past 24h, which the schema's pattern admits",
    files: { "t.yaml": team, "f.yaml": fabric(okFields, "    secrets:\n      exec:\n        command: [op, read]\n        timeout: 48h\n") },
    errors: ['f.yaml:8:18: error: timeout "48h" is too long: at most 24h'],
  },
  {
    name: "a version other than 1",
    files: { "t.yaml": team.replace("version: 1", "version: 2") },
    errors: ["t.yaml:1:10: error: version must be 1, not 2"],
  },
  {
    name: "a caFile that is not a regular file, or holds no certificate",
    files: { "t.yaml": team, "f.yaml": fabric(okFields + "        caFile: /dev/zero\n"), "g.yaml": fabric(okFields + "        caFile: g.yaml\n").replace("ops-prod", "ops-dev") },
    errors: ['f.yaml:12:17: error: caFile "/dev/zero" is a character device, not a regular file', 'g.yaml:12:17: error: caFile "g.yaml" holds no PEM certificate'],
  },
  {
    name: "from on a reference that is not a prophecy reference",
    files: { "t.yaml": team, "f.yaml": fabric(okFields + "          from:\n            secret: OTHER\n") },
    errors: ["f.yaml:13:13: error: only a prophecy reference takes from (where its value is read to upload it); this one's provider is env"],
  },
  {
    name: "from naming a provider the fabric has no settings for",
    files: { "t.yaml": team, "f.yaml": fabric(okFields.replace("          secret: OPS_SMTP\n", "          secret: ops-smtp\n          provider: prophecy\n          from:\n            secret: ops/smtp\n            provider: vault\n")) },
    errors: ["f.yaml:15:23: error: this reference uses the vault provider, but the fabric has no secrets.vault.address"],
  },
  {
    name: "a prophecy block with a plain-http URL, a token it cannot resolve, and a second block that differs",
    files: {
      "p.yaml": "version: 1\nprophecy:\n  url: http://prophecy.example.com\n  token:\n    secret: TOKEN\n    provider: prophecy\n",
      "q.yaml": "version: 1\nprophecy:\n  token:\n    secret: PROPHECY_TOKEN\n",
      "r.yaml": "version: 1\nprophecy:\n  url: https://prophecy.example.com/\n  token:\n    secret: PROPHECY_TOKEN\n",
    },
    errors: [
      'p.yaml:3:8: error: url "http://prophecy.example.com" must use https:// (plain http is allowed only on a loopback address such as 127.0.0.1, where nothing crosses a network)',
      "p.yaml:6:15: error: the token's reference must be one fabricate can resolve (env, file, exec or vault), not prophecy",
      "r.yaml:2:1: error: a second prophecy block that differs from the first: a config pushes to one Prophecy",
      "first declared at {dir}/q.yaml:2:1",
    ],
  },
];

describe("validate rules", () => {
  cases.forEach((c, i) => {
    it(c.name, async () => {
      const caseDir = join(dir, `case-${i}`);
      for (const [name, text] of Object.entries(c.files)) {
        mkdirSync(dirname(join(caseDir, name)), { recursive: true });
        writeFileSync(join(caseDir, name), text);
      }
      const r = await runCli(["validate", caseDir]);
      expect(r.code).toBe(1);
      for (const e of c.errors) expect(r.stderr).toContain(e.includes("{dir}") ? e.replace("{dir}", caseDir) : `${caseDir}/${e}`);
      expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
      expect(r.stdout).toBe("");
      expect(r.stderr).not.toContain("hunter2-canary");
    });
  });

  it("accepts a Vault address over https:// or on loopback http://, and an exec timeout in Go's syntax", async () => {
    for (const address of ["https://vault.example.com:8200", "http://127.0.0.1:8200", "http://[::1]:8200"]) {
      const caseDir = join(dir, `ok-vault-${address.replace(/\W/g, "")}`);
      mkdirSync(caseDir);
      writeFileSync(join(caseDir, "t.yaml"), team);
      writeFileSync(join(caseDir, "f.yaml"), fabric(okFields, `    secrets:\n      vault:\n        address: ${address}\n      exec:\n        command: [op, read]\n        timeout: 1m30s\n`));
      const r = await runCli(["validate", caseDir]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    }
  });

  it("accepts tls none with insecure: true, and warns of tls/port mismatches without failing", async () => {
    const caseDir = join(dir, "ok-insecure");
    mkdirSync(caseDir);
    writeFileSync(join(caseDir, "t.yaml"), team);
    writeFileSync(join(caseDir, "f.yaml"), fabric(okFields.replace("smtp.example.com", "127.0.0.1") + "        port: 465\n        tls: starttls\n"));
    const r = await runCli(["validate", caseDir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${caseDir}/f.yaml:13:14: warning: port 465 is the implicit-TLS port; did you mean tls: implicit?`);
  });
});

describe("one run reports every mistake", () => {
  const run = async (name: string, files: Record<string, string>) => {
    const caseDir = join(dir, `all-${name}`);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(caseDir, file)), { recursive: true });
      writeFileSync(join(caseDir, file), text);
    }
    return { caseDir, r: await runCli(["validate", caseDir]) };
  };

  it("schema and semantic errors together, sorted by file and position, with a count line", async () => {
    const { caseDir, r } = await run("mixed", {
      "t.yaml": team + "  - name: Bad Team\n",
      "f.yaml": fabric(okFields + "        prot: 587\n" + "      - name: second\n        type: smtp\n        url: smtp.example.com\n        tls: none\n        username: ops@example.com\n        password:\n          secret: OPS_SMTP\n"),
      "g.yaml": "version: 1\nfabrics:\n  - name: ops-prod\n    team: ops\n  - name: ops-dev\n    team: nobody\n",
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n").filter((l) => !l.startsWith("  "))).toEqual([
      `${caseDir}/f.yaml:12:9: error: unknown field "prot" (did you mean "port"?); known fields: name, type, url, port, tls, username, password, auth, caFile, insecure, isDefaultWarehouseConnection`,
      `${caseDir}/f.yaml:16:14: error: tls: none sends the password in clear text; it is allowed only with insecure: true on this connection`,
      `${caseDir}/g.yaml:3:11: error: fabric "ops-prod" is declared twice`,
      `${caseDir}/g.yaml:6:11: error: fabric "ops-dev" belongs to team "nobody", which is not declared`,
      `${caseDir}/t.yaml:5:11: error: name "Bad Team" is not valid: it must be a slug: lowercase letters, digits, - and _, starting with a letter or digit, at most 63 characters`,
      "5 errors, 0 warnings",
    ]);
  });

  it("a broken team still answers references to it, and a fabric's broken settings do not echo into its connections", async () => {
    const { r } = await run("no-echo", {
      "t.yaml": "version: 1\nteams:\n  - name: ops\n    members: [not-an-address]\n",
      "f.yaml": fabric(okFields.replace("          secret: OPS_SMTP\n", "          secret: OPS_SMTP\n          provider: exec\n"), "    secrets:\n      exec:\n        command: []\n"),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("members");
    expect(r.stderr).toContain("command needs at least 1 item(s)");
    expect(r.stderr).not.toContain("is not declared");
    expect(r.stderr).not.toContain("has no secrets.exec.command");
    expect(r.stderr).toMatch(/\n2 errors, 0 warnings\n$/);
  });

  it("a file that does not parse does not stop the others from being checked in full", async () => {
    const { caseDir, r } = await run("unparsed", {
      "a.yaml": "version: 1\nteams: [\n",
      "f.yaml": fabric(okFields.replace("smtp.example.com", "smtp://bad host")),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${caseDir}/a.yaml:`);
    expect(r.stderr).toContain(`${caseDir}/f.yaml:8:14: error: url "smtp://bad host"`);
    // The team may be declared in the file that does not parse: not reported as unknown.
    expect(r.stderr).not.toContain("is not declared");
  });
});
