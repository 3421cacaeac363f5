// The config stage's entry point: paths → files → YAML documents → schema check → Model. Later stages
// and the CLI call only this (and checkSources, for declarations that do not come from files).
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Model } from "../model.js";
import { buildModel } from "./buildModel.js";
import { checkSchema } from "./checkSchema.js";
import type { ConfigSource } from "./configSource.js";
import { parseYamlSources } from "./parseYaml.js";
import { wellFormedPart } from "./wellFormedParts.js";
import { resolve } from "node:path";
import { decodeConfigText, findConfigFiles, readConfigFile } from "./sourceFiles.js";

export interface LoadedConfig {
  /** Absent when any error was found: later stages never see a half-valid model. */
  readonly model?: Model;
  readonly diagnostics: readonly Diagnostic[];
  readonly files: readonly string[];
  /**
   * The text of each file that parsed as YAML without errors, for quoting source lines under
   * diagnostics. Only those: a file with YAML errors may be no config at all (a link to a token file,
   * a binary), and none of its bytes may be printed.
   */
  readonly texts: ReadonlyMap<string, string>;
}

/**
 * Checks declarations however they were written (YAML or CDK) and builds the Model. The semantic checks
 * run on whatever parts passed the schema, so that one run reports every mistake. `partial` says that
 * some of the config could not be read at all: a reference to a team may point into it, so such
 * references are not reported as unknown.
 */
export function checkSources(sources: readonly ConfigSource[], partial = false): { model?: Model; diagnostics: Diagnostic[] } {
  const schema = sources.map((source) => ({ source, diagnostics: checkSchema(source) }));
  const wellFormed = schema.map((s) => wellFormedPart(s.source, s.diagnostics)).filter((s): s is ConfigSource => s !== undefined);
  const schemaDiagnostics = schema.flatMap((s) => s.diagnostics);
  const incomplete = partial || wellFormed.length < sources.length;
  const built = buildModel(wellFormed);
  const semantic = incomplete ? built.diagnostics.filter((d) => d.code !== "config.unknown-team") : built.diagnostics;
  const all = sortDiagnostics([...schemaDiagnostics, ...semantic]);
  return hasErrors(all) ? { diagnostics: all } : { model: built.model, diagnostics: all };
}

/** A file's content given instead of read from disk: what an editor or a pre-commit hook pipes in. */
export interface ConfigOverlay {
  /** The path it stands for: in the config it replaces that file (or joins it), and diagnostics name it. */
  readonly file: string;
  readonly bytes: Buffer;
}

export function loadConfig(paths: readonly string[], overlay?: ConfigOverlay): LoadedConfig {
  const found = findConfigFiles(paths);
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const read = new Map<string, string>();
  const texts = new Map<string, string>();
  const sources: ConfigSource[] = [];
  const overlaid = overlay && found.files.find((f) => resolve(f) === resolve(overlay.file));
  const files = overlay && !overlaid ? [...found.files, overlay.file] : found.files;
  for (const file of files) {
    const result = overlay && file === (overlaid ?? overlay.file) ? decodeConfigText(file, overlay.bytes) : readConfigFile(file);
    diagnostics.push(...result.diagnostics);
    if (result.text !== undefined) read.set(file, result.text);
  }
  for (const [file, text] of read) {
    const parsed = parseYamlSources(file, text);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.length === 0) texts.set(file, text);
    if (parsed.sources.length === 0 && parsed.diagnostics.length === 0) {
      diagnostics.push({ severity: "error", code: "file.empty", summary: "file holds no document: a config file starts with `version: 1`", file, line: 1, col: 1 });
    }
    sources.push(...parsed.sources);
  }
  // Files that could not be read or parsed do not stop the others from being checked in full.
  const checked = checkSources(sources, hasErrors(diagnostics));
  const all = sortDiagnostics([...diagnostics, ...checked.diagnostics]);
  return { ...(!hasErrors(all) && checked.model && { model: checked.model }), diagnostics: all, files, texts };
}
