// The hash a saved plan records of the desired fabric configs, taken over their canonical JSON: it
// changes when what the config files declare changes, not when a comment or the indentation does.
import { createHash } from "node:crypto";
import { canonicalJson } from "../json/canonical.js";
import type { FabricConfig } from "../synth/fabricConfig.js";

export function configHash(desired: readonly FabricConfig[]): string {
  return `sha256:${createHash("sha256").update(canonicalJson(desired)).digest("hex")}`;
}
