// apply's check (docs/design.md: apply verifies what changed, as Prophecy tests a connection before it lets
// you save it): every new or changed connection logs in for real before anything is recorded, and one
// failure records nothing. Its flags are verify's (applyVerificationOptions.ts), parsed by the same
// functions.
import type { ApplyCheck } from "../apply/applyPlan.js";
import type { ApplyVerificationFlags } from "./applyVerificationOptions.js";
import { parseSessionFlags, type Parsed } from "./smtpOptions.js";

/** The check to run before recording, none with --skip-verify, or the flag that is wrong. */
export function applyVerification(flags: ApplyVerificationFlags): Parsed<ApplyCheck | undefined> {
  if (flags.skipVerify) return { value: undefined };
  const session = parseSessionFlags(flags);
  if ("error" in session) return session;
  const { timeoutMs, concurrency, overrides } = session.value;
  const check: ApplyCheck = async (plan, prior) => {
    const { verifyChangedConnections, verifyDiagnostics } = await import("../smtp/verifyBeforeApply.js");
    const { verifyRenderers } = await import("../smtp/verifyRenderer.js");
    const results = await verifyChangedConnections(plan.desired, prior, {
      timeoutMs,
      concurrency,
      ...(flags.ca !== undefined && { caFile: flags.ca }),
      trustNewHosts: flags.trustNewHosts ?? false,
      secrets: { overrides },
    });
    if (results.length > 0) process.stdout.write(`\nVerifying new and changed connections:\n${verifyRenderers.text(results)}`);
    return verifyDiagnostics(results);
  };
  return { value: check };
}
