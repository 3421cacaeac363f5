// The work of `fabricate synth`: load and check the config, build the output files (the fabric configs,
// and the Terraform JSON for --target terraform), and swap them into the output directory.
import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Model } from "../../model.js";
import { fabricConfigFiles } from "../../synth/fabricConfigFiles.js";
import { writeOutputDir } from "../../synth/writeOutputDir.js";
import { terraformFilesFromModel } from "../../terraform/terraformFiles.js";
import type { VerifyResourceKind } from "../../terraform/verifySettings.js";
import { loadCheckedConfig } from "../desiredFabrics.js";
import { reportDiagnostics } from "../diagnosticsOutput.js";
import { exitFailed, exitOk } from "../exitCodes.js";

export interface SynthOptions {
  readonly out: string;
  readonly target: "fabric" | "terraform";
  readonly verifyResource: VerifyResourceKind;
  readonly fabricate: string;
}

function outputFiles(model: Model, options: SynthOptions): { files: Map<string, string>; diagnostics: Diagnostic[] } {
  if (options.target === "fabric") return fabricConfigFiles(model);
  return terraformFilesFromModel(model, { verifyResource: options.verifyResource, fabricate: options.fabricate });
}

export async function runSynth(paths: string[], options: SynthOptions): Promise<void> {
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
}
