// The oracle for the YAML path's Terraform JSON: a Model declared through the constructs a CDK app uses,
// in a FabricateStack named "fabrics", and synthesized by cdktf itself. `synth --target terraform`
// (src/terraform/, no cdktf) must write exactly the stack directory this returns.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { App } from "cdktf";
import { FabricateConfigError } from "../../src/cdk/configError.js";
import { Fabric, type SecretsSettingsProps } from "../../src/cdk/fabric.js";
import { FabricateStack, type FabricateStackProps } from "../../src/cdk/fabricateStack.js";
import { SmtpConnection } from "../../src/cdk/smtpConnection.js";
import { StackDeclarations } from "../../src/cdk/stackDeclarations.js";
import { Team } from "../../src/cdk/team.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { Model, SecretsSettings } from "../../src/model.js";
import { terraformStackName } from "../../src/terraform/terraformFiles.js";

/** The model's exec command is never empty (the schema says minItems 1); the props' type says so too. */
function nonEmpty([program, ...args]: readonly string[]): readonly [string, ...string[]] {
  return [program!, ...args];
}

function secretsProps(s: SecretsSettings): SecretsSettingsProps {
  return {
    provider: s.provider,
    ...(s.file && { file: s.file }),
    ...(s.exec && { exec: { command: nonEmpty(s.exec.command), timeout: `${s.exec.timeoutMs}ms` } }),
    ...(s.vault && { vault: s.vault }),
  };
}

/** Declares every team, fabric and connection of `model` in `stack`, construct ids being their names. */
function declareModel(stack: FabricateStack, model: Model): void {
  for (const t of model.teams) new Team(stack, t.name, { description: t.description, members: t.members, reviewers: t.reviewers });
  for (const f of model.fabrics) {
    const fabric = new Fabric(stack, f.name, {
      team: f.team,
      description: f.description,
      provider: f.provider,
      secrets: secretsProps(f.secrets),
      trustedHosts: f.trustedHosts,
    });
    for (const c of f.connections) {
      new SmtpConnection(fabric, c.name, {
        url: c.host,
        port: c.port,
        tls: c.tls,
        username: c.username,
        password: { secret: c.password.secret, provider: c.password.provider, ...(c.password.key !== undefined && { key: c.password.key }) },
        caFile: c.caFile,
        insecure: c.insecure,
      });
    }
  }
}

/** File name → content of the synthesized stack directory (without its manifest, which the writer renders). */
export function terraformFilesThroughCdktf(model: Model, settings: FabricateStackProps = {}): { files: Map<string, string>; diagnostics: Diagnostic[] } {
  const outdir = mkdtempSync(join(tmpdir(), "fabricate-cdktf-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    const stack = new FabricateStack(app, terraformStackName, { ...settings, ...(model.terraform && { verify: model.terraform.verify }) });
    declareModel(stack, model);
    try {
      app.synth();
    } catch (e) {
      if (FabricateConfigError.isFabricateConfigError(e)) return { files: new Map(), diagnostics: [...e.diagnostics] };
      throw e;
    }
    // The fabric configs are the bytes synthesis just wrote beside cdk.tf.json; only that is read back.
    const terraformJson = app.manifest.forStack(stack).synthesizedStackPath;
    const files = new Map([[basename(terraformJson), readFileSync(join(outdir, terraformJson), "utf8")], ...StackDeclarations.of(stack).check().files]);
    return { files, diagnostics: [] };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
