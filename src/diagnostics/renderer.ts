// Diagnostics renderers, one file per format behind one small interface (after kubeconform's
// pkg/output): adding a format is adding a file and a line here.
import type { Diagnostic } from "./diagnostic.js";
import { renderDiagnosticsGithub } from "./renderGithub.js";
import { renderDiagnosticsJson } from "./renderJson.js";
import { renderDiagnosticsText, type TextOptions } from "./renderText.js";

export type DiagnosticsFormat = "text" | "json" | "github";
export const diagnosticsFormats: readonly DiagnosticsFormat[] = ["text", "json", "github"];

export type DiagnosticsRenderer = (diagnostics: readonly Diagnostic[], options: TextOptions) => string;

export const diagnosticsRenderers: Record<DiagnosticsFormat, DiagnosticsRenderer> = {
  text: renderDiagnosticsText,
  json: renderDiagnosticsJson,
  github: renderDiagnosticsGithub,
};
