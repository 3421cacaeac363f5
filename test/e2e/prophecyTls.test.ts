// A self-hosted Prophecy behind a private CA: apply trusts prophecy.caFile (certificates are always
// verified, and a certificate failure is said as such, without retrying it); the CA is recorded as
// applied, and a pull request that brings another CA is refreshed with the applied one and marked.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { startProphecyStandIn, type ProphecyStandIn } from "../../src/demo/prophecyStandIn/index.js";
import type { State } from "../../src/state/stateStore.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { heldPerStandIn, heldPerState, pushed, tokenVariable, valuesOf, writeProphecyConfig, type PushedFabric } from "../helpers/prophecyConfig.js";
import { teams } from "../helpers/prophecyStandIn.js";
import { makeTestCertificates, type TestCertificates } from "../helpers/tlsCertificates.js";

const token = "tls-token";
let certificates: TestCertificates;
let standIn: ProphecyStandIn;
let dir: string;
let config: string;
let statePath: string;
const fabrics: PushedFabric[] = [{ name: "marketing-prod", team: "marketing", connections: [pushed("gmail-alerts")] }];
const cli = (...args: string[]) => runCli([...args, "--state", statePath], { cwd: dir, env: { [tokenVariable]: token, ...valuesOf(fabrics) } });
const apply = (...args: string[]) => cli("apply", config, "--auto-approve", "--skip-verify", ...args);

beforeAll(async () => {
  certificates = makeTestCertificates();
  standIn = await startProphecyStandIn({ teams, tokens: { [token]: { user: "ci@example.com", teams: ["marketing"] } }, tls: { cert: certificates.server.certPem, key: certificates.server.keyPem } });
});
afterAll(async () => {
  await standIn.close();
  certificates.cleanup();
});
beforeEach((context) => {
  standIn.reset();
  const temp = tempDir();
  dir = temp.dir;
  config = join(dir, "fabrics");
  statePath = join(dir, "state.json");
  context.onTestFinished(() => temp.cleanup());
});

it("refuses a certificate it cannot verify at once, saying so, and pushes with prophecy.caFile", async () => {
  expect(standIn.url.startsWith("https://127.0.0.1:")).toBe(true);
  writeProphecyConfig(config, standIn.url, fabrics);
  const untrusted = await apply("--trust-new-hosts");
  expect(untrusted.code).toBe(1);
  expect(untrusted.stdout).toContain("TLS failed: ");
  expect(untrusted.stdout).toContain("(a self-hosted instance with a private CA needs prophecy.caFile)");
  expect(standIn.requests()).toEqual([]);

  writeProphecyConfig(config, standIn.url, fabrics, { prophecy: "  caFile: ca.pem" });
  copyFileSync(certificates.ca.caFile, join(config, "ca.pem"));
  const r = await apply("--trust-new-hosts");
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const state = JSON.parse(readFileSync(statePath, "utf8")) as State;
  expect(heldPerState(state)).toEqual(heldPerStandIn(standIn.data()));
  expect(state.targets!.prophecy).toMatchObject({ caSha256: expect.stringMatching(/^sha256:/), caPem: certificates.ca.caPem });
});

it("refreshes a pull request's plan with the applied CA, and marks the new one", async () => {
  writeProphecyConfig(config, standIn.url, fabrics, { prophecy: "  caFile: ca.pem" });
  copyFileSync(certificates.ca.caFile, join(config, "ca.pem"));
  expect((await apply("--trust-new-hosts")).code).toBe(0);
  // The pull request points caFile at a certificate that does not sign the server's.
  writeFileSync(join(config, "ca.pem"), readFileSync(certificates.selfSigned.certFile));
  const before = standIn.requests().length;
  const plan = await cli("plan", config);
  expect(plan.code, plan.stderr).toBe(0);
  expect(plan.stdout).toContain(`would be sent to ${standIn.url} (until now: ${standIn.url}; changed: caFile)`);
  expect(standIn.requests().length).toBeGreaterThan(before);
  const refused = await apply();
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/refusing to send env:PROPHECY_TOKEN to Prophecy at https:\/\/127\.0\.0\.1:\d+ \(private CA sha256:[0-9a-f]+\): the applied state sends env:PROPHECY_TOKEN only to Prophecy at https:\/\/127\.0\.0\.1:\d+ \(private CA sha256:[0-9a-f]+\)/);
});
