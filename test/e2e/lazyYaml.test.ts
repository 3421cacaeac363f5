// The yaml package is loaded only when a file needs its full composer: plain files (every example)
// take the fast path, and loading yaml cost about 20 ms of every command's start-up. A file outside the
// fast path, or a mistake whose position must be shown, still gets it, as does a plan value that is
// not plain beyond doubt (flowValue.ts).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { repoRoot, runCli, tempDir } from "../helpers/cli.js";

const probe = {
  NODE_OPTIONS: `--require ${join(repoRoot, "test", "helpers", "reportModuleLoads.cjs")}`,
  FABRICATE_TEST_REPORT_LOADS: "(^|/)yaml(/dist/index\\.js)?$",
};

let work: string;
let cleanup: () => void;
beforeEach(() => ({ dir: work, cleanup } = tempDir()));
afterEach(() => cleanup());

it("validate of plain files never loads yaml, nor does plan when every value is written plain", async () => {
  const validate = await runCli(["validate", "examples/fabrics"], { env: probe });
  expect(validate.code).toBe(0);
  expect(validate.stderr).toBe("");
  writeFileSync(
    join(work, "fabrics.yaml"),
    "version: 1\nteams:\n  - name: t\n    members: [a@example.com]\nfabrics:\n  - name: f\n    team: t\n    description: The f fabric\n    connections:\n" +
      "      - name: c\n        type: smtp\n        url: smtp.example.com\n        port: 587\n        username: a@example.com\n        password:\n          secret: P\n",
  );
  const plan = await runCli(["plan", work, "--state", join(work, "state.json")], { env: probe });
  expect(plan.code).toBe(0);
  expect(plan.stdout).toContain("+ description: The f fabric");
  expect(plan.stderr).toBe("");
});

it("a connection with a caFile does not load yaml either (its position is needed only for a problem)", async () => {
  writeFileSync(join(work, "ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  writeFileSync(
    join(work, "fabrics.yaml"),
    "version: 1\nteams:\n  - name: t\n    members: [a@example.com]\nfabrics:\n  - name: f\n    team: t\n    connections:\n" +
      "      - name: c\n        type: smtp\n        url: smtp.example.com\n        port: 587\n        username: a@example.com\n        password:\n          secret: P\n        caFile: ca.pem\n",
  );
  const r = await runCli(["validate", work], { env: probe });
  expect(r.code).toBe(0);
  expect(r.stderr).toBe("");
});

it("a file the fast path does not take loads yaml and is read as before", async () => {
  writeFileSync(join(work, "teams.yaml"), "version: 1\nteams:\n  - name: &t marketing\n    members: [a@example.com]\n");
  const r = await runCli(["validate", work], { env: probe });
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^loaded .*yaml/m);
  expect(r.stdout).toBe("ok: 1 file(s), 1 team(s), 0 fabric(s), 0 connection(s)\n");
});

it("a mistake in a plain file loads yaml for its position", async () => {
  writeFileSync(join(work, "teams.yaml"), "version: 1\nteams:\n  - name: marketing\n    members: [not-an-address]\n");
  const r = await runCli(["validate", work], { env: probe });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^loaded .*yaml/m);
  expect(r.stderr).toMatch(/teams\.yaml:4:\d+: error: /);
});
