// fabricate plan through the built CLI: add, change, remove, no-op; secrets only as references (a canary
// secret in the environment never appears); the markdown plan against its golden file; json against
// the schema; codeowners on the examples.
import Ajv2020 from "ajv/dist/2020.js";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliPath, repoRoot, runCli, tempDir } from "../helpers/cli.js";
import { gmail, sendgrid, writeConfig, type FabricSpec } from "../plan/configFixture.js";

const canary = "canary-s3cr3t-value-7f3a";
const env = { GMAIL_ALERTS_PASSWORD: canary, SENDGRID_API_KEY: canary, SENDGRID_API_KEY_V2: canary };

let dir: string;
let cleanup: () => void;
let config: string;
let state: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  config = join(dir, "fabrics");
  state = join(dir, "state", "state.json");
});
afterEach(() => cleanup());

const marketing = (connections: FabricSpec["connections"], description?: string): FabricSpec => ({ name: "marketing-prod", team: "marketing", description, connections });
const finance = (connections: FabricSpec["connections"]): FabricSpec => ({ name: "finance-prod", team: "finance", connections });

const plan = (...args: string[]) => runCli(["plan", config, "--state", state, ...args], { cwd: dir, env });
// Plans are the subject here; the connections point at servers that do not exist, so apply skips verify.
const apply = (...args: string[]) => runCli(["apply", config, "--state", state, "--auto-approve", "--skip-verify", ...args], { cwd: dir, env });

describe("fabricate plan", () => {
  it("plans connections to add when nothing is applied; --detailed-exitcode exits 2", async () => {
    writeConfig(config, [marketing([gmail(), sendgrid()])]);
    const r = await plan();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  + fabric marketing-prod (team marketing)\n");
    expect(r.stdout).toContain("      + connection gmail-alerts\n");
    expect(r.stdout).toContain("          + password: env:GMAIL_ALERTS_PASSWORD\n");
    expect(r.stdout.endsWith("Fabrics: 1 to add, 0 to change, 0 to destroy.\nPlan: 2 to add, 0 to change, 0 to destroy.\n")).toBe(true);
    expect((await plan("--detailed-exitcode")).code).toBe(2);
  });

  it("plans no changes after an apply; --detailed-exitcode exits 0", async () => {
    writeConfig(config, [marketing([gmail(), sendgrid()])]);
    expect((await apply()).code).toBe(0);
    const r = await plan("--detailed-exitcode");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("No changes.\n");
  });

  it("plans a changed field as before -> after and marks a new destination of a password", async () => {
    writeConfig(config, [marketing([gmail(), sendgrid()])]);
    await apply();
    writeConfig(config, [marketing([gmail({ url: "smtp.attacker.example" }), sendgrid()])]);
    const r = await plan("--detailed-exitcode");
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      "      ~ connection gmail-alerts\n" +
        "          ! new destination: env:GMAIL_ALERTS_PASSWORD would be sent to smtp.attacker.example:587 (until now: smtp.gmail.com:587)\n" +
        "          ~ url: smtp.gmail.com -> smtp.attacker.example\n",
    );
    expect(r.stdout).not.toContain("sendgrid-campaigns");
    expect(r.stdout.endsWith("\nPlan: 0 to add, 1 to change, 0 to destroy.\n")).toBe(true);
  });

  it("plans a removed connection and a removed fabric as destroys", async () => {
    writeConfig(config, [marketing([gmail(), sendgrid()]), finance([sendgrid({ name: "invoices" })])]);
    await apply();
    writeConfig(config, [marketing([gmail()])]);
    const r = await plan();
    expect(r.stdout).toContain("  ~ fabric marketing-prod (team marketing)\n      - connection sendgrid-campaigns\n");
    expect(r.stdout).toContain("  - fabric finance-prod (team finance)\n");
    expect(r.stdout.endsWith("Fabrics: 0 to add, 0 to change, 1 to destroy.\nPlan: 0 to add, 0 to change, 2 to destroy.\n")).toBe(true);
  });

  it("shows a changed secret reference as references, and no secret value reaches any output or file", async () => {
    writeConfig(config, [marketing([gmail(), sendgrid()])]);
    const first = await apply();
    writeConfig(config, [marketing([gmail(), sendgrid({ secret: "SENDGRID_API_KEY_V2" })])]);
    const outputs = [first];
    for (const format of ["text", "markdown", "json"]) outputs.push(await plan("--format", format, "--out", join(dir, `plan-${format}.json`)));
    const text = outputs[1]!.stdout;
    expect(text).toContain("          ~ password: env:SENDGRID_API_KEY -> env:SENDGRID_API_KEY_V2 (secret reference changed; secret values are never shown)\n");
    expect(outputs[2]!.stdout).toContain("- update connection `sendgrid-campaigns`: `password` (secret reference changed)");
    outputs.push(await apply());
    for (const r of outputs) expect(r.stdout + r.stderr).not.toContain(canary);
    const files = [...readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => join(dir, f)), state, `${state}.backup`];
    expect(files).toHaveLength(5);
    for (const file of files) expect(readFileSync(file, "utf8")).not.toContain(canary);
  });

  it.each([
    ["colours the text plan on a terminal", true, [], {}, true],
    ["honours NO_COLOR on a terminal", true, [], { NO_COLOR: "1" }, false],
    ["honours --no-color on a terminal, after the command", true, ["--no-color"], {}, false],
    ["honours --no-color before the command, even with FORCE_COLOR", true, ["--no-color", "BEFORE"], { FORCE_COLOR: "1" }, false],
    ["honours FORCE_COLOR=0 on a terminal", true, [], { FORCE_COLOR: "0" }, false],
    ["colours a pipe with FORCE_COLOR, which outranks NO_COLOR", false, [], { FORCE_COLOR: "1", NO_COLOR: "1" }, true],
    ["does not colour a pipe", false, [], {}, false],
  ])("%s", (_name, terminal, flags, extraEnv, coloured) => {
    writeConfig(config, [marketing([gmail()])]);
    const before = flags.includes("BEFORE") ? flags.filter((f) => f !== "BEFORE") : [];
    const after = flags.includes("BEFORE") ? [] : flags;
    const args = [...before, "plan", config, "--state", state, ...after];
    const { NO_COLOR: _n, FORCE_COLOR: _f, ...inherited } = process.env;
    const env = { ...inherited, ...extraEnv };
    // `script` gives the CLI a pseudo-terminal.
    const r = terminal
      ? spawnSync("script", ["-qec", [process.execPath, cliPath, ...args].map((a) => `'${a}'`).join(" "), "/dev/null"], { cwd: dir, encoding: "utf8", env })
      : spawnSync(process.execPath, [cliPath, ...args], { cwd: dir, encoding: "utf8", env });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(r.stdout.includes("\x1b[32m")).toBe(coloured);
  });

  it("prints the markdown plan of a pull request as in the golden file", async () => {
    writeConfig(config, [marketing([gmail(), sendgrid()]), finance([sendgrid({ name: "invoices", username: "invoices@example.com" })])]);
    await apply();
    writeConfig(config, [
      marketing([gmail({ port: 2525 }), sendgrid({ secret: "SENDGRID_API_KEY_V2" }), gmail({ name: "gmail-digest", username: "digest@example.com", secret: "GMAIL_DIGEST_PASSWORD" })], "Campaign mail"),
      finance([]),
    ]);
    const r = await plan("--format", "markdown");
    expect(r.code).toBe(0);
    const golden = join(repoRoot, "test", "plan", "golden", "plan.md");
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, r.stdout);
    expect(r.stdout).toBe(readFileSync(golden, "utf8"));
  });

  it("prints json valid against schemas/plan.schema.json, recording the state it was made against", async () => {
    writeConfig(config, [marketing([gmail()])]);
    await apply();
    writeConfig(config, [marketing([gmail({ port: 465 })])]);
    const r = await plan("--format", "json");
    const value = JSON.parse(r.stdout) as { prior: { serial: number; lineage: string }; configPaths: string[] };
    const schema = (name: string) => JSON.parse(readFileSync(join(repoRoot, "schemas", name), "utf8")) as object;
    // The plan names Prophecy's token as fabric configs name a secret: by $ref to their schema.
    const validate = new Ajv2020.default({ strict: true, allErrors: true }).addSchema(schema("fabric-config.schema.json")).compile(schema("plan.schema.json"));
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    // And by the validator the build generates from it, which `apply PLANFILE` uses, in a plain Node process.
    const generated = pathToFileURL(join(repoRoot, "dist", "generated", "validatePlan.js")).href;
    const check = spawnSync(process.execPath, ["--input-type=module", "-e", `import v from ${JSON.stringify(generated)}; process.stdout.write(String(v(JSON.parse(process.argv[1]))))`, r.stdout], { encoding: "utf8" });
    expect(check.stdout).toBe("true");
    const applied = JSON.parse(readFileSync(state, "utf8")) as { serial: number; lineage: string };
    expect(value.prior).toEqual({ serial: 1, lineage: applied.lineage });
    expect(value.configPaths).toEqual([config]);
  });

  it("reports config errors as path:line:col and exits 1 without touching the state", async () => {
    writeConfig(config, [marketing([gmail()])]);
    writeFileSync(join(config, "broken.yaml"), "version: 1\nfabrics:\n  - name: Not A Slug\n    team: marketing\n");
    const r = await plan();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml:3:\d+: error: /);
    expect(r.stdout).toBe("");
  });
});

describe("fabricate codeowners", () => {
  it("routes each example file to its teams' reviewers", async () => {
    const r = await runCli(["codeowners", "examples/fabrics"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\n/examples/fabrics/marketing.yaml @acme/marketing-platform\n");
    expect(r.stdout).toContain("\n/examples/fabrics/finance.yaml @acme/finance-data @dave\n");
  });

  // A newline in a file name would let the name write a CODEOWNERS line of its own, such as `* @mallory`.
  it.each([
    ["x\n* @mallory.yaml", '"fabrics/x\\n* @mallory.yaml"', "a control character"],
    ["tab\there.yaml", '"fabrics/tab\\there.yaml"', "a control character"],
    ["any*.yaml", '"fabrics/any*.yaml"', "a character CODEOWNERS reads as a pattern (*, ?, [, ], !, \\, or # starting a name)"],
    ["#x.yaml", '"fabrics/#x.yaml"', "a character CODEOWNERS reads as a pattern (*, ?, [, ], !, \\, or # starting a name)"],
  ])("refuses a config file named %j, naming it escaped, with nothing on stdout", async (name, quoted, why) => {
    writeConfig(config, [marketing([gmail()])]);
    writeFileSync(join(config, name), "version: 1\nfabrics:\n  - name: ops-prod\n    team: marketing\n");
    const r = await runCli(["codeowners", "fabrics"], { cwd: dir });
    expect(r).toEqual({ code: 1, stdout: "", stderr: `fabricate: error: config file ${quoted} cannot be named in CODEOWNERS: its name holds ${why}; rename it\n` });
  });
});

describe("exit codes, as Terraform's", () => {
  it("a usage error under --detailed-exitcode exits 1, never the 2 that means changes", async () => {
    const r = await runCli(["plan", "--detailed-exitcode", "--lock-timeout", "2m"]);
    expect(r.stderr).toContain("unknown option '--lock-timeout'");
    expect(r.code).toBe(1);
  });
});

describe("fabricate show", () => {
  it("prints a saved plan again, byte for byte as plan printed it, in each format", async () => {
    writeConfig(config, [marketing([gmail(), sendgrid()])]);
    const saved = join(dir, "saved.plan");
    for (const format of ["text", "markdown", "json"]) {
      const planned = await plan("--format", format, "--out", saved);
      const shown = await runCli(["show", saved, "--format", format], { cwd: dir });
      expect(shown.code).toBe(0);
      expect(shown.stdout).toBe(planned.stdout);
    }
  });

  it("refuses a file that is not a saved plan, naming it and never quoting it", async () => {
    const bogus = join(dir, "bogus.plan");
    writeFileSync(bogus, "token=ghp_CANARYshow0123456789\n");
    const r = await runCli(["show", bogus]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^fabricate: error: .*${bogus.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`));
    expect(r.stderr).not.toContain("CANARY");
    expect(r.stdout).toBe("");
  });
});
