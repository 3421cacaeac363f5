// What the commands that read a config share: config paths → checked Model (→ desired fabric configs),
// with every diagnostic printed; undefined when the config has errors (nothing further may run).
import { loadConfig } from "../config/loadConfig.js";
import { configPaths } from "../config/sourceFiles.js";
import type { Model } from "../model.js";
import { synthFabrics, type FabricConfig } from "../synth/fabricConfig.js";
import { reportDiagnostics } from "./diagnosticsOutput.js";

export interface CheckedConfig {
  readonly model: Model;
  /** The paths the config was read from, as given (or the default). */
  readonly paths: readonly string[];
  /** Each file's text, for quoting source lines under later diagnostics. */
  readonly texts: ReadonlyMap<string, string>;
}

export function loadCheckedConfig(given: readonly string[]): CheckedConfig | undefined {
  const paths = configPaths(given);
  const loaded = loadConfig(paths);
  if (!reportDiagnostics(loaded.diagnostics, loaded.texts) || !loaded.model) return undefined;
  return { model: loaded.model, paths, texts: loaded.texts };
}

export interface DesiredFabrics {
  readonly desired: FabricConfig[];
  /** The paths the config was read from, as given (or the default). */
  readonly paths: readonly string[];
}

export function loadDesiredFabrics(given: readonly string[]): DesiredFabrics | undefined {
  const checked = loadCheckedConfig(given);
  return checked && { desired: synthFabrics(checked.model), paths: checked.paths };
}
