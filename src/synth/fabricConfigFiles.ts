// Model → the files of a synth output directory: one canonical `<fabric>.json` per fabric. Both
// targets (fabric configs, and Terraform JSON from the CDK constructs) write exactly these bytes.
import { errorAt, type Diagnostic } from "../diagnostics/diagnostic.js";
import { canonicalJson } from "../json/canonical.js";
import type { Model } from "../model.js";
import { synthFabrics, type FabricConfig } from "./fabricConfig.js";
import { manifestFileName } from "./writeOutputDir.js";

export function fabricConfigFileName(fabric: string): string {
  return `${fabric}.json`;
}

/**
 * File name → content, in fabric order. A fabric whose file would collide with the manifest is an error.
 * `configs` are the model's, for callers that already synthesized them.
 */
export function fabricConfigFiles(model: Model, configs: readonly FabricConfig[] = synthFabrics(model)): { files: Map<string, string>; diagnostics: Diagnostic[] } {
  const files = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  model.fabrics.forEach((fabric, i) => {
    const name = fabricConfigFileName(fabric.name);
    if (name === manifestFileName) {
      diagnostics.push(errorAt(fabric.origin, "synth.reserved-name", `fabric name "${fabric.name}" is reserved: synth writes ${manifestFileName} beside the fabric configs`));
    } else {
      files.set(name, canonicalJson(configs[i]));
    }
  });
  return { files, diagnostics };
}
