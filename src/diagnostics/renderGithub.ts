// GitHub Actions workflow commands, which the runner turns into annotations on the pull request's
// files: `::error file=…,line=…,col=…,title=…::message`.
import type { Diagnostic } from "./diagnostic.js";

// Property and message values must escape these, or a newline ends the command early
// (see actions/toolkit packages/core/src/command.ts).
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function renderDiagnosticsGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const props = [
        d.file && `file=${escapeProperty(d.file)}`,
        d.line !== undefined && `line=${d.line}`,
        d.col !== undefined && `col=${d.col}`,
        `title=${escapeProperty(d.code)}`,
      ].filter(Boolean);
      const message = d.detail ? `${d.summary}\n${d.detail}` : d.summary;
      return `::${d.severity} ${props.join(",")}::${escapeData(message)}\n`;
    })
    .join("");
}
