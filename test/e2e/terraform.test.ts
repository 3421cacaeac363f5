// The Terraform side end to end, where a terraform binary exists: synth --target terraform writes the
// terraform_data variant (the default) for a config whose connection points at a real SMTP server on
// 127.0.0.1, then `terraform init` and `terraform apply` run it, and the provisioner's `fabricate verify`
// logs in (or, with a wrong password, fails the apply naming the connection), with the settings the
// YAML's terraform.verify gives it; `terraform plan` after a change names the changed fields. Nothing reaches the network: only the
// built-in terraform_data resource is used, and terraform runs with its checkpoint call disabled.
// The same for a CDK app (no YAML anywhere): its stack directory is applied as cdktf writes it.
// Without a terraform binary on the PATH these tests are skipped, and their names say why.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cliPath, repoRoot, runCli, tempDir } from "../helpers/cli.js";
import { writeTestConfig } from "../helpers/smtpConfig.js";
import { startLocalSmtpServer, type LocalSmtpServer } from "../helpers/smtpServers.js";
import { findTerraform, runTerraform } from "../helpers/terraform.js";
import { makeTestCertificates, type TestCertificates } from "../helpers/tlsCertificates.js";

const terraform = findTerraform();
const user = "alerts@example.com";
const password = "canary-terraform-Zk4-secret";
const notRun = terraform ? "" : " [NOT RUN: no terraform binary on the PATH]";

/** A POSIX shell word for a path (temp dirs and the repo path may hold anything). */
const quoted = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

let certs: TestCertificates;
let smtp: LocalSmtpServer;
let work: { dir: string; cleanup: () => void };

beforeAll(async () => {
  certs = makeTestCertificates();
  smtp = await startLocalSmtpServer({ tls: "starttls", certPem: certs.server.certPem, keyPem: certs.server.keyPem, users: { [user]: password } });
});
afterAll(async () => {
  await smtp.close();
  certs.cleanup();
});
beforeEach(() => {
  work = tempDir("fabricate-terraform-");
});
afterEach(() => work.cleanup());

/** The shell words the provisioner starts fabricate with: this checkout's built CLI. */
const fabricate = `${quoted(process.execPath)} ${quoted(cliPath)}`;

/** Runs terraform init, then apply, in `dir` with the password given in terraform's environment. */
async function initAndApply(dir: string, passwordGiven: string) {
  const options = { cwd: dir, home: work.dir, env: { SMTP_PASSWORD: passwordGiven } };
  const init = await runTerraform(terraform!, ["init", "-input=false"], options);
  expect(init.output).toContain("Terraform has been successfully initialized");
  expect(init.code).toBe(0);
  return runTerraform(terraform!, ["apply", "-auto-approve", "-input=false"], options);
}

/**
 * Writes the demo-like config (the connection's own CA, or the one `terraform.verify` gives every
 * provisioner) and synthesizes it into work/out, the default resource kind (terraform_data).
 */
async function synth(options: { port?: number; terraform?: object } = {}): Promise<string> {
  const caFile = options.terraform ? undefined : certs.ca.caFile;
  const config = writeTestConfig(work.dir, [{ name: "demo", trustedHosts: ["127.0.0.1"], connections: [{ name: "alerts", port: options.port ?? smtp.port, caFile }] }]);
  if (options.terraform) writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, "utf8")), terraform: options.terraform }));
  const out = join(work.dir, "out");
  // The provisioner runs in the stack directory and verifies the fabric configs synthesized there.
  const r = await runCli(["synth", config, "--out", out, "--target", "terraform", "--fabricate", fabricate]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return out;
}

/** Synthesizes the demo-like config into work/out and runs terraform init and apply there. */
async function synthAndApply(passwordGiven: string, terraformSettings?: object) {
  return initAndApply(await synth({ terraform: terraformSettings }), passwordGiven);
}

/**
 * A CDK app in work.dir declaring the same connection with this checkout's constructs, synthesized by
 * node into work.dir/cdktf.out; returns the stack's directory. cdktf is loaded from the repository,
 * the same module instance the constructs use.
 */
function synthCdkApp(): string {
  const url = (path: string) => JSON.stringify(pathToFileURL(join(repoRoot, path)).href);
  const app = `
import { createRequire } from "node:module";
import { Fabric, FabricateStack, SecretRef, SmtpConnection, Team } from ${url("dist/cdk/index.js")};
const { App } = createRequire(${url("package.json")})("cdktf");
const app = new App({ outdir: "cdktf.out" });
const stack = new FabricateStack(app, "fabrics", { verifyResource: "terraform_data", fabricate: ${JSON.stringify(fabricate)} });
const team = new Team(stack, "team", { members: ["alice@example.com"] });
const demo = new Fabric(stack, "demo", { team, trustedHosts: ["127.0.0.1"] });
new SmtpConnection(demo, "alerts", { url: "127.0.0.1", port: ${smtp.port}, username: ${JSON.stringify(user)}, password: SecretRef.env("SMTP_PASSWORD"), caFile: ${JSON.stringify(certs.ca.caFile)} });
app.synth();
`;
  writeFileSync(join(work.dir, "main.mjs"), app);
  const run = spawnSync(process.execPath, ["main.mjs"], { cwd: work.dir, encoding: "utf8" });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return join(work.dir, "cdktf.out", "stacks", "fabrics");
}

describe(`terraform init and apply on the terraform_data variant${notRun}`, () => {
  it.skipIf(!terraform)(`applies: the provisioner verifies the connection against a real SMTP server${notRun}`, async () => {
    const before = smtp.authAttempts.length;
    const apply = await synthAndApply(password);
    expect(apply.output).toContain("verify --fabric demo --connection alerts --synthesized .");
    expect(apply.output).toMatch(/demo\/alerts: ok: the server accepted the credentials/);
    expect(apply.output).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    expect(apply.code).toBe(0);
    expect(smtp.authAttempts.slice(before)).toEqual([expect.objectContaining({ username: user, accepted: true })]);
    expect(apply.output).not.toContain(password);
  });

  it.skipIf(!terraform)(`fails the apply naming the connection when the password is wrong${notRun}`, async () => {
    const before = smtp.authAttempts.length;
    const apply = await synthAndApply("canary-terraform-wrong-Pp8");
    expect(apply.code).not.toBe(0);
    expect(apply.output).toMatch(/demo\/alerts: auth-failed: /);
    expect(apply.output).toContain("local-exec provisioner error");
    expect(smtp.authAttempts.slice(before)).toEqual([expect.objectContaining({ username: user, accepted: false })]);
    expect(apply.output).not.toContain("canary-terraform-wrong-Pp8");
  });

  it.skipIf(!terraform)(`passes the YAML's terraform.verify settings (timeout, CA file) to the provisioner${notRun}`, async () => {
    const apply = await synthAndApply(password, { verify: { timeout: "15s", caFile: certs.ca.caFile } });
    expect(apply.output).toContain("verify --fabric demo --connection alerts --timeout 15s --ca ");
    expect(apply.output).toMatch(/demo\/alerts: ok: the server accepted the credentials/);
    expect(apply.code).toBe(0);
  });

  it.skipIf(!terraform)(`terraform plan names the fields that changed, the new destination among them${notRun}`, async () => {
    expect((await synthAndApply(password)).code).toBe(0);
    const out = await synth({ port: smtp.port + 1 });
    const plan = await runTerraform(terraform!, ["plan", "-input=false"], { cwd: out, home: work.dir });
    expect(plan.code).toBe(0);
    expect(plan.output).toContain("# terraform_data.demo__alerts must be replaced");
    expect(plan.output).toMatch(new RegExp(`~ port +?= "${smtp.port}" -> "${smtp.port + 1}"`));
    expect(plan.output).toMatch(new RegExp(`~ delivery +?= "127\\.0\\.0\\.1:${smtp.port} \\(private CA sha256:[0-9a-f]{8}\\)" -> "127\\.0\\.0\\.1:${smtp.port + 1} `));
    expect(plan.output).not.toMatch(/~ (host|username|password|tls) /);
    expect(plan.output).toContain("Plan: 1 to add, 0 to change, 1 to destroy.");
  });

  it.skipIf(!terraform)(`applies a CDK app's stack directory, verifying without any YAML${notRun}`, async () => {
    const before = smtp.authAttempts.length;
    const apply = await initAndApply(synthCdkApp(), password);
    expect(apply.output).toContain("verify --fabric demo --connection alerts --synthesized .");
    expect(apply.output).toMatch(/demo\/alerts: ok: the server accepted the credentials/);
    expect(apply.code).toBe(0);
    expect(smtp.authAttempts.slice(before)).toEqual([expect.objectContaining({ username: user, accepted: true })]);
  });
});
