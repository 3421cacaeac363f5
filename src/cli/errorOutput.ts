// Errors that belong to no file: `fabricate: error: message` on stderr, in the shape the diagnostics
// text renderer uses for the same case.
import { renderDiagnosticsText } from "../diagnostics/renderText.js";

export function printError(code: string, summary: string, detail?: string): void {
  process.stderr.write(renderDiagnosticsText([{ severity: "error", code, summary, ...(detail !== undefined && { detail }) }]));
}
