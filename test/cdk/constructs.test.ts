import { provider, resource } from "@cdktf/provider-null";
import { App, DataResource, Testing, TerraformStack } from "cdktf";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Fabric, FabricateConfigError, FabricateStack, SecretRef, SmtpConnection, Team, type SecretReference, type VerifyProps } from "../../src/cdk/index.js";
import { verifyCommand, verifyTriggers } from "../../src/terraform/verifyResource.js";
import { loadConfig } from "../../src/config/loadConfig.js";
import { synthFabrics, type FabricConfig } from "../../src/synth/fabricConfig.js";
import validateFabricConfig from "../../src/generated/validateFabricConfig.js";
import { tempDir } from "../helpers/cli.js";
import "../helpers/cdktfMatchers.js";

// Testing.app() leaves cdktf.outdir.* folders in the temporary directory: remove the ones this file made.
const outdirsBefore = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith("cdktf.outdir.")));
afterAll(() => {
  for (const n of readdirSync(tmpdir())) if (n.startsWith("cdktf.outdir.") && !outdirsBefore.has(n)) rmSync(join(tmpdir(), n), { recursive: true, force: true });
});

/** The same declarations as marketingYaml, as constructs. */
function declareMarketing(stack: TerraformStack, port = 587): { team: Team; fabric: Fabric; gmail: SmtpConnection } {
  const team = new Team(stack, "marketing", { members: ["bob@example.com", "alice@example.com"] });
  const fabric = new Fabric(stack, "marketing-prod", { team, provider: "databricks" });
  const gmail = new SmtpConnection(fabric, "gmail-alerts", { url: "smtp.gmail.com", port, username: "alerts@example.com", password: SecretRef.env("GMAIL_ALERTS_PASSWORD") });
  new SmtpConnection(fabric, "sendgrid", { url: "smtp.sendgrid.net", username: "apikey", password: SecretRef.of("SENDGRID_API_KEY") });
  return { team, fabric, gmail };
}

const marketingYaml = `version: 1
teams:
  - name: marketing
    members: [alice@example.com, bob@example.com]
fabrics:
  - name: marketing-prod
    team: marketing
    provider: databricks
    connections:
      - { name: sendgrid, type: smtp, url: smtp.sendgrid.net, username: apikey, password: { secret: SENDGRID_API_KEY } }
      - { name: gmail-alerts, type: smtp, url: smtp.gmail.com, port: 587, username: alerts@example.com, password: { secret: GMAIL_ALERTS_PASSWORD, provider: env } }
`;

/** The fabric config the YAML path synthesizes from marketingYaml. */
function yamlConfig(): FabricConfig {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, "marketing.yaml"), marketingYaml);
    const { model, diagnostics } = loadConfig([dir]);
    expect(diagnostics).toEqual([]);
    return synthFabrics(model!)[0]!;
  } finally {
    cleanup();
  }
}

/** The Terraform triggers the YAML path computes for a connection of marketingYaml. */
function yamlTriggers(connection: string): Record<string, string> {
  const config = yamlConfig();
  return verifyTriggers(config, config.connections.find((c) => c.name === connection)!);
}

function tfJson(synthesized: string): { resource: Record<string, Record<string, Record<string, unknown>>>; provider?: unknown; terraform?: { required_providers?: unknown } } {
  return JSON.parse(synthesized);
}

describe("constructs in a plain TerraformStack (Testing.synthScope)", () => {
  const synthesized = Testing.synthScope((stack) => void declareMarketing(stack as TerraformStack));

  it("adds one terraform_data per connection, and no provider", () => {
    const json = tfJson(synthesized);
    expect(Object.keys(json.resource)).toEqual(["terraform_data"]);
    expect(Object.keys(json.resource.terraform_data!).sort()).toEqual(["marketing-prod__gmail-alerts", "marketing-prod__sendgrid"]);
    expect(json.provider).toBeUndefined();
    expect(json.terraform?.required_providers).toBeUndefined();
  });

  it("triggers on the fields the YAML path computes, and verifies exactly that connection", () => {
    for (const name of ["gmail-alerts", "sendgrid"]) {
      expect(synthesized).toHaveResourceWithProperties(DataResource, {
        triggers_replace: yamlTriggers(name),
        provisioner: [{ "local-exec": { command: verifyCommand("npx --no-install fabricate", "marketing-prod", name) } }],
      });
    }
    expect(yamlTriggers("gmail-alerts")).toEqual({
      host: "smtp.gmail.com",
      port: "587",
      tls: "starttls",
      insecure: "false",
      username: "alerts@example.com",
      password: "env:GMAIL_ALERTS_PASSWORD",
      delivery: "smtp.gmail.com:587",
      fingerprint: yamlConfig().connections.find((c) => c.name === "gmail-alerts")!.fingerprint,
    });
  });

  it("changes a connection's triggers when its port changes, and only that one", () => {
    const moved = tfJson(Testing.synthScope((stack) => void declareMarketing(stack as TerraformStack, 2525))).resource.terraform_data!;
    const before = tfJson(synthesized).resource.terraform_data!;
    expect(moved["marketing-prod__gmail-alerts"]!.triggers_replace).toMatchObject({ port: "2525", delivery: "smtp.gmail.com:2525" });
    expect(moved["marketing-prod__sendgrid"]!.triggers_replace).toEqual(before["marketing-prod__sendgrid"]!.triggers_replace);
  });
});

describe("FabricateStack", () => {
  it("offers null_resource with triggers, the null provider once and the given fabricate command", () => {
    const stack = new FabricateStack(Testing.app(), "fabrics", { verifyResource: "null_resource", fabricate: "node ./bin/fabricate.js" });
    declareMarketing(stack);
    const synthesized = Testing.synth(stack, true);
    expect(synthesized).toHaveProvider(provider.NullProvider);
    expect(tfJson(synthesized).provider).toEqual({ null: [{}] });
    expect(synthesized).toHaveResourceWithProperties(resource.Resource, {
      triggers: yamlTriggers("gmail-alerts"),
      provisioner: [{ "local-exec": { command: verifyCommand("node ./bin/fabricate.js", "marketing-prod", "gmail-alerts") } }],
    });
    expect(synthesized).not.toHaveResourceWithProperties(DataResource);
  });

  it("passes its verify props to every provisioner, in the delivery the triggers show too", () => {
    const stack = new FabricateStack(Testing.app(), "fabrics", { verify: { timeout: "20s", caFile: "/etc/ssl/ca 1.pem", secretProviders: { prophecy: "env", databricks: "file" } } });
    declareMarketing(stack);
    const command = (tfJson(Testing.synth(stack, true)).resource.terraform_data!["marketing-prod__sendgrid"]!.provisioner as { "local-exec": { command: string } }[])[0]!["local-exec"].command;
    expect(command).toMatch(
      /^npx --no-install fabricate verify --fabric marketing-prod --connection sendgrid --timeout 20s --ca '\/etc\/ssl\/ca 1\.pem' --secret-provider databricks=file --secret-provider prophecy=env --synthesized \. --trust-new-hosts \|\| /,
    );
  });

  it.each([
    [{ timeout: "2 minutes" }, "schema.pattern", "timeout \"2 minutes\" is not valid"],
    [{ timeout: "25h" }, "config.duration", 'timeout "25h" is too long: at most 24h'],
    [{ secretProviders: { prophecy: "databricks" } }, "schema.enum", "unknown prophecy \"databricks\""],
  ])("checks its verify props as YAML's terraform.verify: %j", (verify, code, summary) => {
    const app = Testing.app();
    declareMarketing(new FabricateStack(app, "fabrics", { verify: verify as VerifyProps }));
    expect(() => app.synth()).toThrow(FabricateConfigError);
    try {
      app.synth();
    } catch (e) {
      expect((e as FabricateConfigError).diagnostics).toEqual([expect.objectContaining({ file: "fabrics", code, summary: expect.stringContaining(summary) })]);
    }
  });

  it("writes the fabric configs and a manifest beside cdk.tf.json, with a relative state path and no machine paths", () => {
    const outdir = join(tmpdir(), `cdktf.outdir.fabricate-${process.pid}`);
    const app = new App({ outdir, stackTraces: false });
    declareMarketing(new FabricateStack(app, "fabrics"));
    app.synth();
    const dir = join(outdir, "stacks", "fabrics");
    expect(readdirSync(dir).sort()).toEqual(["cdk.tf.json", "manifest.json", "marketing-prod.json"]);
    const config = JSON.parse(readFileSync(join(dir, "marketing-prod.json"), "utf8"));
    expect(validateFabricConfig(config)).toBe(true);
    expect(config).toEqual(JSON.parse(JSON.stringify(yamlConfig())));
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(["cdk.tf.json", "marketing-prod.json"]);
    const tf = readFileSync(join(dir, "cdk.tf.json"), "utf8");
    expect(JSON.parse(tf).terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
    expect(tf).not.toContain(tmpdir());
    expect(tf).not.toContain(process.cwd());
  });
});

describe("checks: the same as YAML, naming the construct path", () => {
  /** Synthesizes as an app does (app.synth()), since some checks have no lazy value to hang on. */
  function synthError(declare: (stack: TerraformStack) => void): FabricateConfigError {
    const app = Testing.app();
    declare(new TerraformStack(app, "stack"));
    try {
      app.synth();
    } catch (e) {
      if (FabricateConfigError.isFabricateConfigError(e)) return e;
      throw e;
    }
    throw new Error("synthesis did not fail");
  }

  it.each([
    {
      name: "tls: none without insecure",
      declare: (stack: TerraformStack) => {
        const f = new Fabric(stack, "prod", { team: new Team(stack, "t") });
        new SmtpConnection(f, "relay", { url: "mail.example.com", tls: "none", username: "u", password: SecretRef.env("P") });
      },
      expected: { file: "stack/prod/relay", code: "config.tls-none" },
    },
    {
      name: "a name that is not a slug",
      declare: (stack: TerraformStack) => {
        const f = new Fabric(stack, "prod", { team: new Team(stack, "t") });
        new SmtpConnection(f, "Gmail Alerts", { url: "smtp.gmail.com", username: "u", password: SecretRef.env("P") });
      },
      expected: { file: "stack/prod/Gmail Alerts", code: "schema.pattern" },
    },
    {
      name: "a hostile fabric name",
      declare: (stack: TerraformStack) => void new Fabric(stack, "prod", { name: "../../evil", team: new Team(stack, "t") }),
      expected: { file: "stack/prod", code: "schema.pattern" },
    },
    {
      name: "an undeclared team",
      declare: (stack: TerraformStack) => void new Fabric(stack, "prod", { team: "nobody" }),
      expected: { file: "stack/prod", code: "config.unknown-team" },
    },
    {
      name: "a fabric named like the manifest",
      declare: (stack: TerraformStack) => void new Fabric(stack, "manifest", { team: new Team(stack, "t") }),
      expected: { file: "stack/manifest", code: "config.reserved-name" },
    },
    {
      name: "two connections whose resources would share a name",
      declare: (stack: TerraformStack) => {
        const team = new Team(stack, "t");
        const ref = SecretRef.env("P");
        new SmtpConnection(new Fabric(stack, "a__b", { team }), "c", { url: "smtp.example.com", username: "u", password: ref });
        new SmtpConnection(new Fabric(stack, "a", { team }), "b__c", { url: "smtp.example.com", username: "u", password: ref });
      },
      expected: { code: "synth.resource-name" },
    },
  ])("$name", ({ declare, expected }) => {
    const e = synthError(declare);
    expect(e.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ severity: "error", ...expected })]));
    if ("file" in expected) expect(e.message).toContain(`${expected.file}: error: `);
  });

  it("refuses a plaintext password from plain JavaScript without ever quoting it", () => {
    const canary = "canary-plaintext-4d2e";
    const e = synthError((stack) => {
      const f = new Fabric(stack, "prod", { team: new Team(stack, "t") });
      new SmtpConnection(f, "relay", { url: "smtp.example.com", username: "u", password: canary as unknown as SecretReference });
    });
    expect(e.diagnostics).toMatchObject([{ file: "stack/prod/relay", code: "config.plaintext-password" }]);
    expect(e.message).not.toContain(canary);
    expect(JSON.stringify(e.diagnostics)).not.toContain(canary);
  });

  it("reports warnings as cdktf annotations on their construct, and still synthesizes", () => {
    const app = Testing.app();
    const stack = new FabricateStack(app, "fabrics");
    const f = new Fabric(stack, "prod", { team: new Team(stack, "t") });
    const relay = new SmtpConnection(f, "relay", { url: "smtp.example.com", port: 465, tls: "starttls", username: "u", password: SecretRef.env("P") });
    app.synth();
    expect(relay.node.metadata).toMatchObject([{ type: "@cdktf/warn", data: "port 465 is the implicit-TLS port; did you mean tls: implicit?" }]);
  });

  it("a connection outside any Fabric is refused where it is declared", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    expect(() => new SmtpConnection(stack, "loose", { url: "smtp.example.com", username: "u", password: SecretRef.env("P") })).toThrow(/stack\/loose is not inside a Fabric/);
  });
});

describe("construct identity, cdk8s style", () => {
  it("recognises each construct by symbol and finds a connection's fabric", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    const { team, fabric, gmail } = declareMarketing(stack);
    expect(Fabric.of(gmail)).toBe(fabric);
    expect([Team.isTeam(team), Team.isTeam(fabric), Fabric.isFabric(fabric), SmtpConnection.isSmtpConnection(gmail), SmtpConnection.isSmtpConnection(fabric)]).toEqual([
      true,
      false,
      true,
      true,
      false,
    ]);
    expect(FabricateStack.isFabricateStack(stack)).toBe(false);
  });
});
