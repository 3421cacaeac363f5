// The Terraform side end to end, where a terraform binary exists: synth --target terraform writes the
// terraform_data variant for a config whose connection points at a real SMTP server on 127.0.0.1, then
// `terraform init` and `terraform apply` run it, and the provisioner's `fabricate verify` logs in (or,
// with a wrong password, fails the apply naming the connection). Nothing reaches the network: only the
// built-in terraform_data resource is used, and terraform runs with its checkpoint call disabled.
// Without a terraform binary on the PATH these tests are skipped, and their names say why.
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cliPath, runCli, tempDir } from "../helpers/cli.js";
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

/** Synthesizes the demo-like config into work/out and runs terraform init and apply there. */
async function synthAndApply(passwordGiven: string) {
  const config = writeTestConfig(work.dir, [{ name: "demo", trustedHosts: ["127.0.0.1"], connections: [{ name: "alerts", port: smtp.port, caFile: certs.ca.caFile }] }]);
  const out = join(work.dir, "out");
  // The provisioner runs in the stack directory and verifies the fabric configs synthesized there.
  const fabricate = `${quoted(process.execPath)} ${quoted(cliPath)}`;
  const synth = await runCli(["synth", config, "--out", out, "--target", "terraform", "--verify-resource", "terraform_data", "--fabricate", fabricate]);
  expect(synth.stderr).toBe("");
  expect(synth.code).toBe(0);
  const options = { cwd: out, home: work.dir, env: { SMTP_PASSWORD: passwordGiven } };
  const init = await runTerraform(terraform!, ["init", "-input=false"], options);
  expect(init.output).toContain("Terraform has been successfully initialized");
  expect(init.code).toBe(0);
  return runTerraform(terraform!, ["apply", "-auto-approve", "-input=false"], options);
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
});
