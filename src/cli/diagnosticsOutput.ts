// Prints diagnostics the way the chosen format wants them: text to stderr (quoting the source line
// on a terminal), json and github annotations to stdout, where scripts and the Actions runner read.
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnosticsRenderers, type DiagnosticsFormat } from "../diagnostics/renderer.js";

export function printDiagnostics(diagnostics: readonly Diagnostic[], format: DiagnosticsFormat, texts?: ReadonlyMap<string, string>): void {
  if (format === "text") {
    const lineCache = new Map<string, string[]>();
    const sourceLines = process.stderr.isTTY && texts
      ? (file: string) => {
          if (!lineCache.has(file)) lineCache.set(file, (texts.get(file) ?? "").split(/\r?\n/));
          return lineCache.get(file);
        }
      : undefined;
    process.stderr.write(diagnosticsRenderers.text(diagnostics, { sourceLines }));
  } else {
    process.stdout.write(diagnosticsRenderers[format](diagnostics, {}));
  }
}

/** Prints the diagnostics as text on stderr and says whether the stage may go on. */
export function reportDiagnostics(diagnostics: readonly Diagnostic[], texts?: ReadonlyMap<string, string>): boolean {
  if (diagnostics.length > 0) printDiagnostics(diagnostics, "text", texts);
  return !hasErrors(diagnostics);
}
