// apply's verification flags, verify's own under the same names, apart from the check they configure
// (applyVerification.ts) so that registering apply at start-up loads nothing of it.
import type { Command } from "commander";
import { defaultVerifyConcurrency } from "../smtp/verifyDefaults.js";
import { collect } from "./repeatableOption.js";
import type { SessionFlags } from "./smtpOptions.js";

export interface ApplyVerificationFlags extends SessionFlags {
  skipVerify?: boolean;
  ca?: string;
  trustNewHosts?: boolean;
}

export function addApplyVerificationOptions(command: Command): Command {
  return command
    .option("--skip-verify", "record the changes without logging in to the new and changed connections first")
    .option("--timeout <duration>", "verification: bound on each connection's whole session", "10s")
    .option("--concurrency <n>", "verification: connections checked at once", String(defaultVerifyConcurrency))
    .option("--ca <file>", "verification: a PEM file of a private CA to trust (beside each connection's caFile)")
    .option("--trust-new-hosts", "let secrets go to servers the applied state does not bind them to, and the Prophecy token and uploaded values to a Prophecy URL, CA or token setting not yet applied (after review)")
    .option("--secret-provider <from=to>", "verification: resolve FROM references with provider TO, as in prophecy=env (repeatable)", collect, []);
}
