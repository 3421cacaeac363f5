import { provider, resource } from "@cdktf/provider-null";
import { App, DataResource, Testing, TerraformStack } from "cdktf";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Fabric, FabricateConfigError, FabricateStack, SecretRef, SmtpConnection, Team, type SecretReference } from "../../src/cdk/index.js";
import { verifyCommand } from "../../src/cdk/verifyResource.js";
import { loadConfig } from "../../src/config/loadConfig.js";
import { synthFabrics } from "../../src/synth/fabricConfig.js";
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

/** Fingerprints as the YAML path computes them, by connection name. */
function yamlFingerprints(): Record<string, string> {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, "marketing.yaml"), marketingYaml);
    const { model, diagnostics } = loadConfig([dir]);
    expect(diagnostics).toEqual([]);
    return Object.fromEntries(synthFabrics(model!)[0]!.connections.map((c) => [c.name, c.fingerprint]));
  } finally {
    cleanup();
  }
}

function tfJson(synthesized: string): { resource: Record<string, Record<string, Record<string, unknown>>>; provider?: unknown; terraform?: unknown } {
  return JSON.parse(synthesized);
}

describe("constructs in a plain TerraformStack (Testing.synthScope)", () => {
  const synthesized = Testing.synthScope((stack) => void declareMarketing(stack as TerraformStack));
  const fingerprints = yamlFingerprints();

  it("adds the null provider once and one null_resource per connection", () => {
    expect(synthesized).toHaveProvider(provider.NullProvider);
    const json = tfJson(synthesized);
    expect(Object.keys(json.resource)).toEqual(["null_resource"]);
    expect(Object.keys(json.resource.null_resource!).sort()).toEqual(["marketing-prod__gmail-alerts", "marketing-prod__sendgrid"]);
  });

  it("triggers on the fingerprint the YAML path computes, and verifies exactly that connection", () => {
    expect(synthesized).toHaveResourceWithProperties(resource.Resource, {
      triggers: { fingerprint: fingerprints["gmail-alerts"] },
      provisioner: [{ "local-exec": { command: verifyCommand("npx --no-install fabricate", "marketing-prod", "gmail-alerts") } }],
    });
    expect(synthesized).toHaveResourceWithProperties(resource.Resource, {
      triggers: { fingerprint: fingerprints["sendgrid"] },
      provisioner: [{ "local-exec": { command: verifyCommand("npx --no-install fabricate", "marketing-prod", "sendgrid") } }],
    });
    expect(synthesized).not.toHaveResourceWithProperties(DataResource);
  });

  it("changes a connection's trigger when its port changes, and only that one", () => {
    const moved = tfJson(Testing.synthScope((stack) => void declareMarketing(stack as TerraformStack, 2525))).resource.null_resource!;
    const before = tfJson(synthesized).resource.null_resource!;
    expect(moved["marketing-prod__gmail-alerts"]!.triggers).not.toEqual(before["marketing-prod__gmail-alerts"]!.triggers);
    expect(moved["marketing-prod__sendgrid"]!.triggers).toEqual(before["marketing-prod__sendgrid"]!.triggers);
  });
});

describe("FabricateStack", () => {
  it("uses terraform_data with triggers_replace and the given fabricate command, without any provider", () => {
    const stack = new FabricateStack(Testing.app(), "fabrics", { verifyResource: "terraform_data", fabricate: "node ./bin/fabricate.js" });
    declareMarketing(stack);
    const synthesized = Testing.synth(stack, true);
    expect(synthesized).toHaveResourceWithProperties(DataResource, {
      triggers_replace: { fingerprint: yamlFingerprints()["gmail-alerts"] },
      provisioner: [{ "local-exec": { command: verifyCommand("node ./bin/fabricate.js", "marketing-prod", "gmail-alerts") } }],
    });
    expect(synthesized).not.toHaveResourceWithProperties(resource.Resource);
    expect(tfJson(synthesized).provider).toBeUndefined();
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
    expect(config.connections.map((c: { fingerprint: string }) => c.fingerprint).sort()).toEqual(Object.values(yamlFingerprints()).sort());
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
      expected: { file: "stack/manifest", code: "synth.reserved-name" },
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
