// `path:line:col: error: message`, the shape compilers use and editors and terminals link. On a
// terminal the offending source line follows with a caret, unless the diagnostic is sensitive.
import type { Diagnostic } from "./diagnostic.js";

export interface TextOptions {
  /** Source lines per file, to quote under each diagnostic; absent when not on a terminal. */
  readonly sourceLines?: (file: string) => readonly string[] | undefined;
}

export function formatWhere(d: Pick<Diagnostic, "file" | "line" | "col">): string {
  if (!d.file) return "fabricate";
  if (d.line === undefined) return d.file;
  return `${d.file}:${d.line}:${d.col ?? 1}`;
}

export function renderDiagnosticText(d: Diagnostic, options: TextOptions = {}): string {
  let out = `${formatWhere(d)}: ${d.severity}: ${d.summary}\n`;
  if (d.detail) out += d.detail.replace(/^/gm, "  ") + "\n";
  const lines = d.file && d.line !== undefined && !d.sensitive ? options.sourceLines?.(d.file) : undefined;
  const source = lines?.[d.line! - 1];
  if (source !== undefined && source.length <= 500) {
    out += `  ${source}\n  ${" ".repeat(Math.max(0, (d.col ?? 1) - 1))}^\n`;
  }
  return out;
}

export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], options: TextOptions = {}): string {
  return diagnostics.map((d) => renderDiagnosticText(d, options)).join("");
}
