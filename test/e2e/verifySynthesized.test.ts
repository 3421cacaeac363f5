// fabricate verify --synthesized DIR through the built CLI: the fabric configs that synth wrote (both
// targets) verified against a real SMTP server on 127.0.0.1, and a directory that cannot be trusted
// refused with `path: error: …` and exit 1 before any connection is opened.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { writeTestConfig } from "../helpers/smtpConfig.js";
import { startLocalSmtpServer, type LocalSmtpServer } from "../helpers/smtpServers.js";
import { makeTestCertificates, type TestCertificates } from "../helpers/tlsCertificates.js";

const user = "alerts@example.com";
const canary = "canary-synthesized-Vb3-secret";
const env = { SMTP_PASSWORD: canary };

let certs: TestCertificates;
let smtp: LocalSmtpServer;
let work: { dir: string; cleanup: () => void };
let out: string;

beforeAll(async () => {
  certs = makeTestCertificates();
  smtp = await startLocalSmtpServer({ tls: "starttls", certPem: certs.server.certPem, keyPem: certs.server.keyPem, users: { [user]: canary } });
});
afterAll(async () => {
  await smtp.close();
  certs.cleanup();
});
beforeEach(() => {
  work = tempDir("fabricate-synthesized-");
  out = join(work.dir, "out");
});
afterEach(() => work.cleanup());

async function synth(target: "fabric" | "terraform"): Promise<string> {
  const config = writeTestConfig(work.dir, [{ name: "demo", connections: [{ name: "alerts", port: smtp.port, caFile: certs.ca.caFile }] }]);
  const r = await runCli(["synth", config, "--out", out, "--target", target]);
  expect(r.code).toBe(0);
  return config;
}

/** verify run from inside DIR, as Terraform's provisioner runs it; no YAML is reachable from there. */
const verifyIn = (dir: string, ...args: string[]) => runCli(["verify", "--synthesized", ".", "--timeout", "5s", ...args], { cwd: dir, env });

function rewrite(file: string, edit: (text: string) => string): void {
  writeFileSync(file, edit(readFileSync(file, "utf8")));
}

/** Re-records `name` in the manifest, as someone covering their tracks would. */
function relist(name: string): void {
  const bytes = readFileSync(join(out, name));
  rewrite(join(out, "manifest.json"), (text) => {
    const manifest = JSON.parse(text) as { files: { path: string; bytes: number; sha256: string }[] };
    for (const f of manifest.files.filter((f) => f.path === name)) Object.assign(f, { bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
    return JSON.stringify(manifest);
  });
}

describe("fabricate verify --synthesized", () => {
  for (const target of ["fabric", "terraform"] as const) {
    it(`verifies the configs of a --target ${target} output dir against a real server`, async () => {
      await synth(target);
      const before = smtp.authAttempts.length;
      // As the provisioner runs it, on `terraform apply` after review.
      const r = await verifyIn(out, "--fabric", "demo", "--connection", "alerts", "--trust-new-hosts");
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/^demo\/alerts: ok: the server accepted the credentials \(AUTH PLAIN\) over STARTTLS .*\n1 ok, 0 failed\n$/);
      expect(r.code).toBe(0);
      expect(smtp.authAttempts.slice(before)).toEqual([expect.objectContaining({ username: user, accepted: true })]);
      expect(r.stdout + r.stderr).not.toContain(canary);
    });
  }

  it("refuses a fabric config changed after synth, before opening any connection", async () => {
    await synth("terraform");
    rewrite(join(out, "demo.json"), (text) => text.replace(`"smtpPort": ${smtp.port}`, `"smtpPort": ${smtp.port + 1}`));
    const before = smtp.connections();
    const r = await verifyIn(out);
    expect(r.stderr).toMatch(/^demo\.json: error: \d+ bytes where manifest\.json records \d+: the file changed after synth; synthesize again\n$|^demo\.json: error: content does not match the sha256 in manifest\.json: the file changed after synth; synthesize again\n$/);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(1);
    expect(smtp.connections()).toBe(before);
  });

  it("refuses a same-size edit by its sha256", async () => {
    await synth("fabric");
    rewrite(join(out, "demo.json"), (text) => text.replace('"teamName": "team"', '"teamName": "tean"'));
    const r = await verifyIn(out);
    expect(r.stderr).toBe("demo.json: error: content does not match the sha256 in manifest.json: the file changed after synth; synthesize again\n");
    expect(r.code).toBe(1);
  });

  it("refuses a file that is listed consistently but is not a fabric config", async () => {
    await synth("fabric");
    rewrite(join(out, "demo.json"), (text) => text.replace(/"smtpPort": \d+/, '"smtpPort": "25"'));
    relist("demo.json");
    const before = smtp.connections();
    const r = await verifyIn(out);
    expect(r.stderr).toMatch(/^demo\.json: error: not a fabric config \(schemas\/fabric-config\.schema\.json\): \/connections\/0\/properties\/smtpPort must be integer\n$/);
    expect(r.code).toBe(1);
    expect(smtp.connections()).toBe(before);
  });

  it("refuses a manifest that lists a path outside the directory", async () => {
    await synth("fabric");
    rewrite(join(out, "manifest.json"), (text) => text.replace('"path": "demo.json"', '"path": "../demo.json"'));
    const r = await verifyIn(out);
    expect(r.stderr).toBe('manifest.json: error: not a manifest of fabricate synth (schemas/synth-manifest.schema.json): /files/0/path must match pattern "^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$"\n');
    expect(r.code).toBe(1);
  });

  it("refuses a manifest that lists a file twice", async () => {
    await synth("fabric");
    rewrite(join(out, "manifest.json"), (text) => {
      const manifest = JSON.parse(text) as { files: unknown[] };
      return JSON.stringify({ ...manifest, files: [...manifest.files, ...manifest.files] });
    });
    const r = await verifyIn(out);
    expect(r.stderr).toBe('manifest.json: error: lists "demo.json" twice\n');
    expect(r.code).toBe(1);
  });

  // A manifest or a listed file may be anything under its name: read bounded, never quoted.
  const token = "ghp_canarySynthesized8Wq";
  const huge = (file: string) => truncateSync((writeFileSync(file, token), file), 300 * 1024 * 1024);
  it.each([
    ["valid JSON of the wrong shape", (file: string) => writeFileSync(file, JSON.stringify({ generator: "fabricate", version: 1, files: [{ path: "demo.json", sha256: token, bytes: 1 }] })), 'manifest.json: error: not a manifest of fabricate synth (schemas/synth-manifest.schema.json): /files/0/sha256 must match pattern "^[0-9a-f]{64}$"\n'],
    ["not JSON", (file: string) => writeFileSync(file, `url = https://x-access-token:${token}@github.com/acme/data.git\n`), "manifest.json: error: not valid JSON, so not a manifest of fabricate synth\n"],
    ["a huge file", huge, "manifest.json: error: cannot be read: it is 300 MiB, more than the 5 MiB allowed\n"],
    ["a FIFO", (file: string) => execFileSync("mkfifo", [file]), "manifest.json: error: cannot be read: it is a pipe (FIFO), not a regular file\n"],
  ])("refuses a manifest that is %s, naming it and quoting nothing", async (_what, make, expected) => {
    await synth("fabric");
    rmSync(join(out, "manifest.json"));
    make(join(out, "manifest.json"));
    const before = smtp.connections();
    const r = await verifyIn(out);
    expect(r).toEqual({ code: 1, stdout: "", stderr: expected });
    expect(smtp.connections()).toBe(before);
  });

  // relisted: recorded in the manifest again, as someone covering their tracks would (not possible for a FIFO).
  it.each([
    ["not JSON", true, (file: string) => writeFileSync(file, `url = https://x-access-token:${token}@github.com/acme/data.git\n`), "demo.json: error: not valid JSON, so not a fabric config\n"],
    ["a huge file", false, huge, "demo.json: error: listed in manifest.json, but it is 300 MiB, more than the 64 MiB allowed\n"],
    ["a FIFO", false, (file: string) => execFileSync("mkfifo", [file]), "demo.json: error: listed in manifest.json, but it is a pipe (FIFO), not a regular file\n"],
  ])("refuses a listed fabric config that is %s, naming it and quoting nothing", async (_what, relisted, make, expected) => {
    await synth("fabric");
    rmSync(join(out, "demo.json"));
    make(join(out, "demo.json"));
    if (relisted) relist("demo.json");
    const before = smtp.connections();
    const r = await verifyIn(out);
    expect(r).toEqual({ code: 1, stdout: "", stderr: expected });
    expect(smtp.connections()).toBe(before);
  });

  it("says when the directory was not written by synth", async () => {
    const r = await verifyIn(work.dir);
    expect(r.stderr).toBe("manifest.json: error: no manifest.json: . is not a directory written by fabricate synth\n");
    expect(r.code).toBe(1);
  });

  it("with --state, verifies the synthesized configs and uses the state only for the trust rules", async () => {
    const config = await synth("fabric");
    const state = join(work.dir, "state.json");
    const before = smtp.connections();
    const untrusted = await verifyIn(out, "--state", state);
    expect(untrusted.stdout).toMatch(/^demo\/alerts: untrusted: refusing to send env:SMTP_PASSWORD to 127\.0\.0\.1:\d+ \(private CA sha256:[0-9a-f]{8}\): nothing is applied yet/);
    expect(untrusted.code).toBe(1);
    expect(smtp.connections()).toBe(before);
    expect((await runCli(["apply", config, "--state", state, "--auto-approve", "--trust-new-hosts"], { env })).code).toBe(0);
    const r = await verifyIn(out, "--state", state);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^demo\/alerts: ok: .*\n1 ok, 0 failed\n$/);
    expect(r.code).toBe(0);
  });

  it("takes config paths or --synthesized, not both (usage, exit 1)", async () => {
    await synth("fabric");
    const r = await runCli(["verify", join(work.dir, "fabrics.yaml"), "--synthesized", out], { env });
    expect(r.stderr).toBe("fabricate: error: give config paths or --synthesized DIR, not both\n");
    expect(r.code).toBe(1);
  });
});
