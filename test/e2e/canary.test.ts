// One canary secret through every path that prints, through the built CLI: the SMTP password in every
// verify format with and without --verbose, apply's verification, send, and each error path that reads
// a file or a server that may hold it (a config link, a file with YAML errors, a saved plan, a synth
// manifest, a Vault token, a server echoing it in disguise). It must appear in no output and no file
// written, in any disguise a hostile server might use.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, runCliOnTerminal, tempDir, type CliResult } from "../helpers/cli.js";
import { dirSnapshot } from "../helpers/dirSnapshot.js";
import { writeTestConfig } from "../helpers/smtpConfig.js";
import { makeTestCertificates, type TestCertificates } from "../helpers/tlsCertificates.js";

const canary = "Canary-Sweep-Qm4Zr8vT";
const env = { SMTP_PASSWORD: canary, VAULT_TOKEN: canary };
const forms = [
  canary,
  Buffer.from(canary).toString("base64"),
  Buffer.from(`\0good@example.com\0${canary}`).toString("base64"),
  encodeURIComponent(canary),
  canary.split("").join(" "),
  Buffer.from(canary).toString("hex"),
  [...canary].reverse().join(""),
];

function expectClean(text: string): void {
  for (const form of forms) expect(text).not.toContain(form);
}
const output = (r: CliResult) => r.stdout + r.stderr;

let certs: TestCertificates;
let work: { dir: string; cleanup: () => void };
let server: SMTPServer;
let config: string;

beforeAll(async () => {
  certs = makeTestCertificates();
  work = tempDir("fabricate-canary-");
  let received = "";
  const echo = () => [received, received.split("").join(" "), Buffer.from(received).toString("hex"), [...received].reverse().join("")].join(" / ");
  server = new SMTPServer({
    cert: certs.server.certPem,
    key: certs.server.keyPem,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      received = auth.password ?? "";
      // good@ logs in (so that send reaches RCPT); anyone else is refused with the password echoed.
      if (auth.username === "good@example.com") return callback(null, { user: auth.username });
      callback(Object.assign(new Error(`No: ${echo()}`), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error(`No relay for ${echo()}`), { responseCode: 550 }));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  config = writeTestConfig(work.dir, [
    {
      name: "ops",
      connections: [
        { name: "good", port, caFile: certs.ca.caFile, username: "good@example.com" },
        { name: "refused", port, caFile: certs.ca.caFile, username: "other@example.com" },
      ],
    },
  ]);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  certs.cleanup();
  work.cleanup();
});

describe("one canary secret", () => {
  it.each(["text", "json", "junit"])("never appears in verify --format %s, with or without --verbose", async (format) => {
    for (const extra of [[], ["--verbose"]]) {
      const r = await runCli(["verify", config, "--timeout", "5s", "--trust-new-hosts", "--format", format, ...extra], { env });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/535/);
      expectClean(output(r));
    }
  });

  it("never appears in apply's verification, nor in a state it writes, nor in send", async () => {
    const vetoed = await runCli(["apply", config, "--auto-approve", "--trust-new-hosts", "--state", join(work.dir, "vetoed.json")], { env });
    expect(vetoed.code).toBe(1);
    expectClean(output(vetoed));

    const state = join(work.dir, "state.json");
    expect((await runCli(["apply", config, "--auto-approve", "--skip-verify", "--state", state], { env })).code).toBe(0);
    expectClean(readFileSync(state, "utf8"));
    for (const connection of ["good", "refused"]) {
      const r = await runCli(["send", "--state", state, "--fabric", "ops", "--connection", connection, "--as", "alice@example.com", "--to", "o@example.com", "--subject", "s", "--text", "t"], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/the server answered 5[35]\d/);
      expectClean(output(r));
    }
  });

  it("never appears from a config link to a file holding it, nor from a file with YAML errors, even on a terminal", async () => {
    const repo = join(work.dir, "repo");
    mkdirSync(join(repo, "fabrics"), { recursive: true });
    writeFileSync(join(repo, "token.yaml"), `version: ${canary}\n`);
    symlinkSync("../token.yaml", join(repo, "fabrics", "linked.yaml"));
    writeFileSync(join(repo, "fabrics", "broken.yaml"), `version: 1\nteams: *${canary}\n`);
    for (const format of ["text", "json", "github"]) {
      const r = await runCli(["validate", "--format", format], { cwd: repo });
      expect(r.code).toBe(1);
      expectClean(output(r));
    }
    const terminal = await runCliOnTerminal(["validate"], { cwd: repo });
    expect(terminal.output).toContain("fabrics/linked.yaml: error: symbolic link that leads outside fabrics");
    expectClean(terminal.output);
  });

  it("never appears from a saved plan or a synth manifest that holds it", async () => {
    const before = dirSnapshot(work.dir);
    writeFileSync(join(work.dir, "token.plan"), `token = ${canary}\n`);
    writeFileSync(join(work.dir, "shape.plan"), JSON.stringify({ formatVersion: canary, [canary]: canary }));
    for (const plan of ["token.plan", "shape.plan"]) {
      const r = await runCli(["apply", plan, "--state", join(work.dir, "never.json")], { cwd: work.dir, env });
      expect(r.code).toBe(1);
      expectClean(output(r));
    }
    const out = join(work.dir, "out");
    mkdirSync(out);
    for (const manifest of [`token = ${canary}\n`, JSON.stringify({ generator: "fabricate", version: 1, files: [{ path: canary, sha256: canary, bytes: 1 }] })]) {
      writeFileSync(join(out, "manifest.json"), manifest);
      const r = await runCli(["verify", "--synthesized", out], { env });
      expect(r.code).toBe(1);
      expectClean(output(r));
    }
    expect(Object.keys(dirSnapshot(work.dir)).filter((f) => !(f in before)).sort()).toEqual(["out/manifest.json", "shape.plan", "token.plan"]);
  });

  it("never appears as a Vault token refused for an http:// address in a hand-edited state", async () => {
    const vaultDir = join(work.dir, "vault");
    mkdirSync(vaultDir);
    const vaultConfig = writeTestConfig(vaultDir, [
      { name: "ops", secrets: { provider: "vault", vault: { address: "https://127.0.0.1:1" } }, connections: [{ name: "mail", port: 1, secret: "smtp/prod", key: "password" }] },
    ]);
    const state = join(vaultDir, "state.json");
    expect((await runCli(["apply", vaultConfig, "--auto-approve", "--skip-verify", "--state", state], { env })).code).toBe(0);
    writeFileSync(state, readFileSync(state, "utf8").replace("https://127.0.0.1:1", "http://localhost:1"));
    const r = await runCli(["verify", "--state", state], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("refusing to send the Vault token to http://localhost:1");
    expectClean(output(r));
  });
});
