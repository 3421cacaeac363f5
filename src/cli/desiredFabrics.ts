// What plan, apply and codeowners share: config paths → checked Model → desired fabric configs, with
// every diagnostic printed; undefined when the config has errors (nothing further may run).
import { loadConfig } from "../config/loadConfig.js";
import { defaultConfigPaths } from "../config/sourceFiles.js";
import { synthFabrics, type FabricConfig } from "../synth/fabricConfig.js";
import { reportDiagnostics } from "./diagnosticsOutput.js";

export interface DesiredFabrics {
  readonly desired: FabricConfig[];
  /** The paths the config was read from, as given (or the default). */
  readonly paths: readonly string[];
}

export function loadDesiredFabrics(given: readonly string[]): DesiredFabrics | undefined {
  const paths = given.length > 0 ? given : defaultConfigPaths();
  const loaded = loadConfig(paths);
  if (!reportDiagnostics(loaded.diagnostics, loaded.texts) || !loaded.model) return undefined;
  return { desired: synthFabrics(loaded.model), paths };
}

/** Colours on a terminal, unless NO_COLOR (https://no-color.org) says otherwise. */
export function stdoutWantsColor(): boolean {
  return process.stdout.isTTY === true && !process.env.NO_COLOR;
}
