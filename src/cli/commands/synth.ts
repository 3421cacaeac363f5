// fabricate synth [paths] --out DIR --target fabric|terraform: one fabric config per fabric (and, for
// terraform, the stack's cdk.tf.json, as the CDK constructs would write it), swapped into DIR only when
// all of it succeeded. Neither target loads cdktf.
import { Option, type Command } from "commander";
import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Model } from "../../model.js";
import { fabricConfigFiles } from "../../synth/fabricConfigFiles.js";
import { writeOutputDir } from "../../synth/writeOutputDir.js";
import { terraformFilesFromModel } from "../../terraform/terraformFiles.js";
import { defaultVerifySettings, verifyResourceKinds, type VerifyResourceKind } from "../../terraform/verifySettings.js";
import { loadCheckedConfig } from "../desiredFabrics.js";
import { reportDiagnostics } from "../diagnosticsOutput.js";
import { exitFailed, exitOk } from "../exitCodes.js";

const targets = ["fabric", "terraform"] as const;
type Target = (typeof targets)[number];

interface SynthOptions {
  readonly out: string;
  readonly target: Target;
  readonly verifyResource: VerifyResourceKind;
  readonly fabricate: string;
}

function outputFiles(model: Model, options: SynthOptions): { files: Map<string, string>; diagnostics: Diagnostic[] } {
  if (options.target === "fabric") return fabricConfigFiles(model);
  return terraformFilesFromModel(model, { verifyResource: options.verifyResource, fabricate: options.fabricate });
}

export function registerSynth(program: Command): void {
  program
    .command("synth")
    .description("write one fabric config per fabric (OUT/<fabric>.json) and OUT/manifest.json")
    .argument("[paths...]", "config files or directories (default: ./fabrics if it exists, else .)")
    .option("--out <dir>", "output directory, replaced as a whole", "fabricate.out")
    .addOption(new Option("--target <target>", "fabric: fabric configs; terraform: also the Terraform JSON (cdk.tf.json)").choices(targets).default("fabric"))
    .addOption(new Option("--verify-resource <kind>", "terraform: the resource each connection adds").choices(verifyResourceKinds).default(defaultVerifySettings.verifyResource))
    .option("--fabricate <command>", "terraform: how the provisioner starts fabricate", defaultVerifySettings.fabricate)
    .action(async (paths: string[], options: SynthOptions) => {
      const loaded = loadCheckedConfig(paths);
      if (!loaded) {
        process.exitCode = exitFailed;
        return;
      }
      const { files, diagnostics } = outputFiles(loaded.model, options);
      const written = hasErrors(diagnostics) ? diagnostics : [...diagnostics, ...writeOutputDir(options.out, files)];
      if (!reportDiagnostics(written, loaded.texts)) {
        process.exitCode = exitFailed;
        return;
      }
      process.stdout.write(`wrote ${files.size} file(s) and manifest.json to ${options.out}\n`);
      process.exitCode = exitOk;
    });
}
