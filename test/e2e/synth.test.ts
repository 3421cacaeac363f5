import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import type { FabricConfig } from "../../src/synth/fabricConfig.js";
import { verifyCommand, verifyTriggers } from "../../src/terraform/verifyResource.js";
import validateFabricConfig from "../../src/generated/validateFabricConfig.js";
import { repoRoot, runCli, tempDir } from "../helpers/cli.js";
import { dirSnapshot, filesOf } from "../helpers/dirSnapshot.js";

const examples = join(repoRoot, "examples", "fabrics");
const exampleFabrics = ["finance-prod", "marketing-prod", "platform-prod"];

let work: string;
let cleanup: () => void;
beforeEach(() => ({ dir: work, cleanup } = tempDir()));
afterEach(() => cleanup());


/**
 * Runs the example CDK app as `cdktf synth` would from `dir`: the `app` command its cdktf.json names, in
 * a shell, with CDKTF_OUTDIR set (cdktf-cli itself is 400 MB and not a dependency). The app says
 * where it wrote.
 */
function synthCdkExample(outdir: string, env: Record<string, string> = {}, dir = repoRoot): Record<string, string> {
  const { app } = JSON.parse(readFileSync(join(dir, "cdktf.json"), "utf8")) as { app: string };
  const r = spawnSync("/bin/sh", ["-c", app], { cwd: dir, env: { ...process.env, ...env, CDKTF_OUTDIR: outdir }, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const stack = join(outdir, "stacks", "fabrics");
  expect(r.stdout).toBe(`wrote ${relative(dir, stack)}: cdk.tf.json, finance-prod.json, manifest.json, marketing-prod.json, platform-prod.json\n`);
  return filesOf(stack);
}

describe("fabricate synth", () => {
  it("writes one schema-valid fabric config per fabric and a manifest of their hashes", async () => {
    const out = join(work, "out");
    const r = await runCli(["synth", examples, "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote 3 file(s) and manifest.json to ${out}\n`);
    const files = filesOf(out);
    expect(Object.keys(files)).toEqual([...exampleFabrics.map((f) => `${f}.json`), "manifest.json"].sort());
    for (const f of exampleFabrics) {
      const config = JSON.parse(files[`${f}.json`]!);
      expect(validateFabricConfig(config), JSON.stringify(validateFabricConfig.errors)).toBe(true);
      expect(config.name).toBe(f);
    }
    const manifest = JSON.parse(files["manifest.json"]!);
    expect(manifest.files).toEqual(
      exampleFabrics.map((f) => ({ path: `${f}.json`, bytes: Buffer.byteLength(files[`${f}.json`]!), sha256: createHash("sha256").update(files[`${f}.json`]!).digest("hex") })),
    );
  });

  it("the schema validator rejects a config that breaks the format (so the check above can fail)", async () => {
    const out = join(work, "out");
    await runCli(["synth", examples, "--out", out]);
    const config = JSON.parse(readFileSync(join(out, "marketing-prod.json"), "utf8"));
    config.connections[0].properties.smtpPassword = "hunter2";
    expect(validateFabricConfig(config)).toBe(false);
  });

  it("gives identical bytes whatever the order of files and of entries in them", async () => {
    const reference = join(work, "reference");
    expect((await runCli(["synth", examples, "--out", reference])).code).toBe(0);
    const shuffle = <T>(items: T[], k: number): T[] => (k % 2 === 0 ? [...items].reverse() : [...items.slice(1), ...items.slice(0, 1)]);
    const listed = ["teams", "fabrics", "connections", "members", "reviewers", "trustedHosts"];
    const reorder = (value: unknown, k: number): unknown => {
      if (Array.isArray(value)) return value.map((v) => reorder(v, k));
      if (value === null || typeof value !== "object") return value;
      const entries = Object.entries(value).map(([key, v]) => [key, listed.includes(key) && Array.isArray(v) ? shuffle(v, k).map((x) => reorder(x, k)) : reorder(v, k)] as const);
      return Object.fromEntries(k % 2 === 0 ? entries.reverse() : entries);
    };
    const docs = readdirSync(examples)
      .sort()
      .flatMap((f) => parseAllDocuments(readFileSync(join(examples, f), "utf8")).map((d) => d.toJS()));
    for (const k of [0, 1]) {
      const dir = join(work, `shuffled-${k}`);
      mkdirSync(dir);
      // Other file names (so another load order), and teams and fabrics regrouped differently.
      shuffle(docs, k).forEach((doc, i) => writeFileSync(join(dir, `${String.fromCharCode(122 - i)}.yaml`), stringify(reorder(doc, k))));
      const out = join(work, `out-${k}`);
      const r = await runCli(["synth", dir, "--out", out]);
      expect(r.stderr).toBe("");
      expect(filesOf(out)).toEqual(filesOf(reference));
    }
  });

  it.each(["fabric", "terraform"])("leaves the previous output byte-identical when the config is invalid (--target %s)", async (target) => {
    const out = join(work, "out");
    expect((await runCli(["synth", examples, "--out", out, "--target", target])).code).toBe(0);
    const broken = join(work, "broken");
    cpSync(examples, broken, { recursive: true });
    writeFileSync(
      join(broken, "broken.yaml"),
      "version: 1\nfabrics:\n  - name: broken\n    team: marketing\n    connections:\n      - { name: relay, type: smtp, url: mail.example.com, tls: none, username: u, password: { secret: P } }\n",
    );
    const before = dirSnapshot(work);
    const r = await runCli(["synth", broken, "--out", out, "--target", target]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml:6:\d+: error: tls: none sends the password in clear text/);
    expect(r.stdout).toBe("");
    expect(dirSnapshot(work)).toEqual(before);
  });

  it("removes the files of fabrics that no longer exist", async () => {
    const out = join(work, "out");
    await runCli(["synth", examples, "--out", out]);
    const r = await runCli(["synth", join(examples, "marketing.yaml"), "--out", out]);
    expect(r.code).toBe(0);
    expect(Object.keys(filesOf(out))).toEqual(["manifest.json", "marketing-prod.json"]);
  });

  it.each([
    ["a fabric", "name: ../../escape\n    team: t\n"],
    ["a connection", "name: f\n    team: t\n    connections:\n      - { name: ../../escape, type: smtp, url: smtp.example.com, username: u, password: { secret: P } }\n"],
  ])("refuses a hostile %s name and writes nothing anywhere", async (_, fabric) => {
    const config = join(work, "deep", "config.yaml");
    mkdirSync(join(work, "deep"));
    writeFileSync(config, `version: 1\nteams:\n  - name: t\nfabrics:\n  - ${fabric}`);
    const before = dirSnapshot(work);
    const r = await runCli(["synth", config, "--out", join(work, "deep", "out")], { cwd: join(work, "deep") });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/config\.yaml:\d+:\d+: error: name "\.\.\/\.\.\/escape" is not valid/);
    expect(dirSnapshot(work)).toEqual(before);
  });

  it("refuses to replace a directory it did not write", async () => {
    const out = join(work, "src");
    mkdirSync(out);
    writeFileSync(join(out, "index.ts"), "precious\n");
    const r = await runCli(["synth", examples, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${out}: error: refusing to replace output directory ${out}: it was not written by fabricate synth (no manifest.json of ours in it)\n`);
    expect(filesOf(out)).toEqual({ "index.ts": "precious\n" });
  });

  it("refuses a directory whose manifest.json is a FIFO at once, instead of waiting for a writer", async () => {
    const out = join(work, "piped");
    mkdirSync(out);
    execFileSync("mkfifo", [join(out, "manifest.json")]);
    const r = await runCli(["synth", examples, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${out}: error: refusing to replace output directory ${out}: it was not written by fabricate synth (no manifest.json of ours in it)\n`);
  });

  it("exits 1 on an unknown target, as on any error", async () => {
    const r = await runCli(["synth", examples, "--target", "pulumi", "--out", join(work, "out")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Allowed choices are fabric, terraform");
  });
});

/** examples/fabrics/platform.yaml's terraform.verify, which every provisioner of the stack passes to verify. */
const platformVerify = { timeout: "20s", secretProviders: { prophecy: "exec" as const } };

describe("fabricate synth --target terraform", () => {
  it("adds one terraform_data per connection, triggered by its fields and verifying exactly it, with no provider", async () => {
    const out = join(work, "out");
    const r = await runCli(["synth", examples, "--out", out, "--target", "terraform"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const files = filesOf(out);
    expect(Object.keys(files)).toEqual(["cdk.tf.json", ...exampleFabrics.map((f) => `${f}.json`), "manifest.json"].sort());
    const tf = JSON.parse(files["cdk.tf.json"]!);
    const flags = platformVerify;
    const expected = exampleFabrics.flatMap((name) => {
      const fabric = JSON.parse(files[`${name}.json`]!) as FabricConfig;
      return fabric.connections.map((c) => [
        `${name}__${c.name}`,
        { triggers_replace: verifyTriggers(fabric, c, flags), provisioner: [{ "local-exec": { command: verifyCommand("npx --no-install fabricate", name, c.name, flags) } }] },
      ]);
    });
    expect(expected).toHaveLength(6);
    expect(Object.keys(tf.resource)).toEqual(["terraform_data"]);
    const resources = tf.resource.terraform_data as Record<string, Record<string, unknown>>;
    expect(Object.keys(resources).sort()).toEqual(expected.map(([id]) => id).sort());
    for (const [id, body] of expected) expect(resources[id as string]).toMatchObject(body as object);
    expect(resources["platform-prod__ses-runtime"]!.triggers_replace).toMatchObject({
      password: "prophecy:ses-smtp-password",
      delivery: expect.stringMatching(/^email-smtp\.eu-west-1\.amazonaws\.com:587, read by running \["aws",/),
    });
    expect(tf.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
    expect(tf.provider).toBeUndefined();
    expect(tf.terraform.required_providers).toBeUndefined();
  });

  it("offers null_resource, with triggers, the null provider and the given command", async () => {
    const out = join(work, "out");
    const r = await runCli(["synth", examples, "--out", out, "--target", "terraform", "--verify-resource", "null_resource", "--fabricate", "fabricate"]);
    expect(r.code).toBe(0);
    const tf = JSON.parse(readFileSync(join(out, "cdk.tf.json"), "utf8"));
    expect(Object.keys(tf.resource)).toEqual(["null_resource"]);
    expect(Object.keys(tf.resource.null_resource)).toHaveLength(6);
    const marketing = JSON.parse(readFileSync(join(out, "marketing-prod.json"), "utf8")) as FabricConfig;
    const gmail = marketing.connections.find((c) => c.name === "gmail-alerts")!;
    expect(tf.resource.null_resource["marketing-prod__gmail-alerts"]).toMatchObject({
      triggers: verifyTriggers(marketing, gmail),
      provisioner: [{ "local-exec": { command: verifyCommand("fabricate", "marketing-prod", "gmail-alerts", platformVerify) } }],
    });
    expect(tf.provider).toEqual({ null: [{}] });
    expect(tf.terraform.required_providers).toEqual({ null: { source: "null", version: "3.2.4" } });
  });

  it("refuses a second terraform block that differs, pointing at both", async () => {
    const config = join(work, "fabrics");
    cpSync(examples, config, { recursive: true });
    writeFileSync(join(config, "more.yaml"), "version: 1\nterraform:\n  verify:\n    timeout: 30s\n");
    const r = await runCli(["synth", config, "--out", join(work, "out"), "--target", "terraform"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/platform\.yaml:\d+:\d+: error: a second terraform block that differs from the first: a config is one Terraform stack/);
  });
});

describe("fabricate synth --target terraform, refusals", () => {
  it("points at the YAML when two connections would share a Terraform resource name", async () => {
    const config = join(work, "clash.yaml");
    writeFileSync(
      config,
      `version: 1
teams: [{ name: t }]
fabrics:
  - name: a__b
    team: t
    connections: [{ name: c, type: smtp, url: smtp.example.com, username: u, password: { secret: P } }]
  - name: a
    team: t
    connections: [{ name: b__c, type: smtp, url: smtp.example.com, username: u, password: { secret: P } }]
`,
    );
    expect((await runCli(["synth", config, "--out", join(work, "fabric")])).code).toBe(0);
    const r = await runCli(["synth", config, "--out", join(work, "tf"), "--target", "terraform"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/clash\.yaml:\d+:\d+: error: connection a__b\/c would get the same Terraform resource name "a__b__c" as a\/b__c/);
  });
});

describe("YAML and CDK agree to the byte", () => {
  it.each([
    ["the repository's cdktf.json", repoRoot],
    ["examples/cdk/cdktf.json", join(repoRoot, "examples", "cdk")],
  ])("the example CDK app run by %s writes exactly what synth writes from examples/fabrics (both targets)", async (_, dir) => {
    const cdk = synthCdkExample(join(work, "cdktf.out"), {}, dir);
    const terraform = join(work, "terraform");
    const fabric = join(work, "fabric");
    expect((await runCli(["synth", examples, "--out", terraform, "--target", "terraform"])).code).toBe(0);
    expect((await runCli(["synth", examples, "--out", fabric])).code).toBe(0);
    expect(cdk).toEqual(filesOf(terraform));
    const configs = filesOf(fabric);
    for (const f of exampleFabrics) expect(cdk[`${f}.json`]).toBe(configs[`${f}.json`]);
  });

  it("a canary secret in the environment appears in no file, by either path", async () => {
    const canary = "canary-7f3a9c-secret-value";
    const secrets = ["GMAIL_ALERTS_PASSWORD", "SENDGRID_API_KEY", "office365-invoices", "mailgun-smtp", "prod/ses/smtp-password", "ses-smtp-password"];
    const env = Object.fromEntries(secrets.map((s) => [s, canary]));
    const outputs = [synthCdkExample(join(work, "cdktf.out"), env)];
    for (const target of ["fabric", "terraform"]) {
      const out = join(work, target);
      const r = await runCli(["synth", examples, "--out", out, "--target", target], { env });
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(canary);
      outputs.push(filesOf(out));
    }
    const everything = outputs.flatMap((files) => Object.values(files)).join("\n");
    expect(everything).toContain("GMAIL_ALERTS_PASSWORD");
    expect(everything).not.toContain(canary);
  });
});

describe("a CDK app with a mistake", () => {
  it("fails before anything is written, naming the construct path", () => {
    const app = join(work, "app.mjs");
    writeFileSync(
      app,
      `import { App } from ${JSON.stringify(join(repoRoot, "node_modules", "cdktf", "lib", "index.js"))};
import { Fabric, FabricateConfigError, FabricateStack, SecretRef, SmtpConnection, Team } from ${JSON.stringify(join(repoRoot, "dist", "cdk", "index.js"))};
const app = new App();
const stack = new FabricateStack(app, "fabrics");
const prod = new Fabric(stack, "prod", { team: new Team(stack, "ops") });
new SmtpConnection(prod, "relay", { url: "mail.example.com", tls: "none", username: "u", password: SecretRef.env("P") });
try { app.synth(); } catch (e) { if (!FabricateConfigError.isFabricateConfigError(e)) throw e; process.stderr.write(e.message); process.exitCode = 1; }
`,
    );
    const outdir = join(work, "cdktf.out");
    const r = spawnSync(process.execPath, [app], { cwd: work, env: { ...process.env, CDKTF_OUTDIR: outdir }, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "fabricate declarations failed the checks:\nfabrics/prod/relay: error: tls: none sends the password in clear text; it is allowed only with insecure: true on this connection\n",
    );
    expect(dirSnapshot(outdir)).toEqual({});
  });
});
