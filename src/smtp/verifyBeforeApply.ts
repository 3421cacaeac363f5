// What `apply` runs before it records anything (docs/design.md: apply verifies what changed, as Prophecy
// tests a connection before it lets you save it): verify every connection of the desired fabric
// configs that is new or changed against the prior state, with the prior state feeding the trust
// rules, and turn failures into error diagnostics that veto the apply.
import { canonicalJson } from "../json/canonical.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { State } from "../state/stateStore.js";
import type { ConnectionConfig, FabricConfig } from "../synth/fabricConfig.js";
import { describeServerWords } from "./serverReply.js";
import { verifyConnections, type VerifyOptions } from "./verifyConnections.js";
import type { VerifyResult } from "./verifyResult.js";

/**
 * New or changed since `prior`: a connection whose fingerprint differs, or any connection of a fabric
 * whose secret provider settings changed (the same reference may now resolve to another value).
 */
export function changedSince(prior: State | undefined): (fabric: FabricConfig, connection: ConnectionConfig) => boolean {
  return (fabric, connection) => {
    const before = prior?.fabrics.find((f) => f.name === fabric.name);
    if (!before || canonicalJson(before.secretProviders) !== canonicalJson(fabric.secretProviders)) return true;
    return before.connections.find((c) => c.name === connection.name)?.fingerprint !== connection.fingerprint;
  };
}

export async function verifyChangedConnections(
  desired: readonly FabricConfig[],
  prior: State | undefined,
  options: Omit<VerifyOptions, "applied" | "include">,
): Promise<VerifyResult[]> {
  return verifyConnections(desired, { ...options, applied: prior, include: changedSince(prior) });
}

/** One error per failed connection, in the words verify prints. */
export function verifyDiagnostics(results: readonly VerifyResult[]): Diagnostic[] {
  return results
    .filter((r) => r.result !== "ok")
    .map((r) => ({
      severity: "error" as const,
      code: `verify.${r.result}`,
      summary: [`${r.fabric}/${r.connection}: ${r.result}: ${r.message}`, describeServerWords(r)].filter((s) => s !== undefined).join("; "),
    }));
}
