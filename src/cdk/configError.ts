// The error a CDK app's synthesis ends with when its declarations fail the checks: the same
// diagnostics YAML users get, each naming the construct path instead of file:line:col.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderDiagnosticsText } from "../diagnostics/renderText.js";

const configErrorSymbol = Symbol.for("fabricate/cdk.FabricateConfigError");

export class FabricateConfigError extends Error {
  /** By symbol, so that it holds across copies of this module (as cdk8s does for its constructs). */
  static isFabricateConfigError(x: unknown): x is FabricateConfigError {
    return x !== null && typeof x === "object" && configErrorSymbol in x;
  }

  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    super(`fabricate declarations failed the checks:\n${renderDiagnosticsText(diagnostics.filter((d) => d.severity === "error"))}`);
    this.name = "FabricateConfigError";
    this.diagnostics = diagnostics;
    Object.defineProperty(this, configErrorSymbol, { value: true });
  }
}
