// The json format, a stable contract for scripts: {"diagnostics": [...], "errors": N, "warnings": N},
// each diagnostic {severity, code, summary, detail?, file?, line?, col?, path?} with path as an array.
import { canonicalJson } from "../json/canonical.js";
import type { Diagnostic } from "./diagnostic.js";

export function renderDiagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  return canonicalJson({
    diagnostics: diagnostics.map(({ sensitive: _sensitive, ...d }) => d),
    errors: diagnostics.filter((d) => d.severity === "error").length,
    warnings: diagnostics.filter((d) => d.severity === "warning").length,
  });
}
