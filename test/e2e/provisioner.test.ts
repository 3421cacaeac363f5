// The provisioner command of a synthesized stack, run by /bin/sh as Terraform's local-exec runs it:
// `npx --no-install fabricate …` never downloads a package called fabricate (in CI it would run with the
// secrets), and says in one line what to do when fabricate is not installed; where it is installed, it
// runs verify and keeps verify's exit status.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultVerifySettings } from "../../src/terraform/verifySettings.js";
import { cliPath, runCli, tempDir } from "../helpers/cli.js";
import { writeTestConfig } from "../helpers/smtpConfig.js";
import { unusedPort } from "../helpers/smtpServers.js";

const absent =
  "fabricate: error: cannot start fabricate with `npx --no-install fabricate`: install it in this project (npm install --save-dev fabricate); the provisioner never downloads it";

let work: { dir: string; cleanup: () => void };
let command: string;
let stackDir: string;

beforeAll(async () => {
  work = tempDir("fabricate-provisioner-");
  const project = join(work.dir, "project");
  mkdirSync(project);
  const config = writeTestConfig(project, [{ name: "ops", connections: [{ name: "mail", port: await unusedPort(), secret: "UNSET_PROVISIONER_PASSWORD" }] }]);
  stackDir = join(project, "stack");
  expect((await runCli(["synth", config, "--out", stackDir, "--target", "terraform"])).code).toBe(0);
  const tf = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { resource: { terraform_data: Record<string, { provisioner: { "local-exec": { command: string } }[] }> } };
  command = tf.resource.terraform_data["ops__mail"]!.provisioner[0]!["local-exec"].command;
});
afterAll(() => work.cleanup());

/** local-exec's way: `/bin/sh -c COMMAND` in the stack directory; npm offline, with its own cache to inspect. */
function provision(cwd: string) {
  const cache = join(work.dir, `npm-cache-${Math.random().toString(36).slice(2)}`);
  const run = spawnSync("/bin/sh", ["-c", command], {
    cwd,
    encoding: "utf8",
    timeout: 25_000,
    env: { ...process.env, npm_config_offline: "true", npm_config_cache: cache, npm_config_update_notifier: "false", UNSET_PROVISIONER_PASSWORD: undefined },
  });
  return { ...run, downloaded: existsSync(join(cache, "_npx")) };
}

describe("the provisioner command", () => {
  it("is verify through npx --no-install, with a plain-words fallback", () => {
    expect(defaultVerifySettings.fabricate).toBe("npx --no-install fabricate");
    expect(command).toBe(
      "npx --no-install fabricate verify --fabric ops --connection mail --synthesized . --trust-new-hosts || { status=$?; npx --no-install fabricate --version >/dev/null 2>&1 || echo " +
        `'${absent}' >&2; exit $status; }`,
    );
  });

  it("where fabricate is not installed, downloads nothing and says what to do", () => {
    const run = provision(stackDir);
    expect(run.status).not.toBe(0);
    expect(run.stderr.trimEnd().split("\n").at(-1)).toBe(absent);
    expect(run.downloaded).toBe(false);
  });

  it("where fabricate is installed, runs its verify and keeps verify's exit status", () => {
    const project = join(work.dir, "project");
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "stack-project", private: true }));
    mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
    symlinkSync(cliPath, join(project, "node_modules", ".bin", "fabricate"));
    const run = provision(stackDir);
    expect(run.stdout).toContain("ops/mail: secret: env:UNSET_PROVISIONER_PASSWORD: environment variable UNSET_PROVISIONER_PASSWORD is not set");
    expect(run.status).toBe(1);
    expect(run.stderr).not.toContain("cannot start fabricate");
    expect(run.downloaded).toBe(false);
  });
});
