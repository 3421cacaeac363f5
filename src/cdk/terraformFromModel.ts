// `fabricate synth --target terraform`: a YAML user's Model declared through the same constructs a CDK
// app uses, in a FabricateStack named "fabrics", and synthesized by cdktf. The result is the stack's
// directory: cdk.tf.json and the fabric configs, byte for byte what the equivalent CDK app writes.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { App } from "cdktf";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Model, SecretsSettings } from "../model.js";
import { fabricConfigFiles } from "../synth/fabricConfigFiles.js";
import { FabricateConfigError } from "./configError.js";
import { Fabric, type SecretsSettingsProps } from "./fabric.js";
import { FabricateStack, type FabricateStackProps } from "./fabricateStack.js";
import { SmtpConnection } from "./smtpConnection.js";
import { StackDeclarations } from "./stackDeclarations.js";
import { Team } from "./team.js";
import { verifyResourceNameClashes } from "./verifyResource.js";

/** The stack's name, which cdk.tf.json records: a CDK app that should match the YAML path uses it too. */
export const terraformStackName = "fabrics";

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
export function declareModel(stack: FabricateStack, model: Model): void {
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
export function terraformFilesFromModel(model: Model, settings: FabricateStackProps = {}): { files: Map<string, string>; diagnostics: Diagnostic[] } {
  // Checked on the YAML Model first, so that these errors point at file:line:col, not at constructs.
  const early = [...fabricConfigFiles(model).diagnostics, ...verifyResourceNameClashes(model)];
  if (hasErrors(early)) return { files: new Map(), diagnostics: early };
  const outdir = mkdtempSync(join(tmpdir(), "fabricate-cdktf-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    const stack = new FabricateStack(app, terraformStackName, settings);
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
