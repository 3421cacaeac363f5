// The json format, a contract for scripts: {"results": [...], "ok": N, "failed": N}, each result as
// VerifyResult (fabric, connection, host, port, tls, username, secret reference, result class, message,
// stage, serverText (before AUTH) or serverReply (from AUTH on: a code only), stages [{stage, ms}],
// durationMs, transcript with --verbose).
import { canonicalJson } from "../json/canonical.js";
import { countResults, type VerifyResult } from "./verifyResult.js";

export function renderVerifyJson(results: readonly VerifyResult[]): string {
  return canonicalJson({ results, ...countResults(results) });
}
