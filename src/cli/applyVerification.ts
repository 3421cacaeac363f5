// apply's check (docs/design.md: apply verifies what changed, as Prophecy tests a connection before it lets
// you save it): every new or changed connection logs in for real before anything is recorded, and one
// failure records nothing. Its flags are verify's, parsed by the same functions.
import type { ApplyCheck } from "../apply/applyPlan.js";
import { collect, parseSessionFlags, type Parsed, type SessionFlags } from "./smtpOptions.js";
import type { Command } from "commander";

export interface ApplyVerificationFlags extends SessionFlags {
  skipVerify?: boolean;
  ca?: string;
  trustNewHosts?: boolean;
}

export function addApplyVerificationOptions(command: Command): Command {
  return command
    .option("--skip-verify", "record the changes without logging in to the new and changed connections first")
    .option("--timeout <duration>", "verification: bound on each connection's whole session", "10s")
    .option("--concurrency <n>", "verification: connections checked at once", "8")
    .option("--ca <file>", "verification: a PEM file of a private CA to trust (beside each connection's caFile)")
    .option("--trust-new-hosts", "let secrets go to servers the applied state does not bind them to, and the Prophecy token and uploaded values to a Prophecy URL, CA or token setting not yet applied (after review)")
    .option("--secret-provider <from=to>", "verification: resolve FROM references with provider TO, as in prophecy=env (repeatable)", collect, []);
}

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
