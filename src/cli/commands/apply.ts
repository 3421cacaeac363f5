// fabricate apply [PLANFILE | paths]: records a reviewed plan in the state store. A saved plan is applied
// only while it still fits: the same state (serial, lineage) and the same config. Without one, apply
// plans under the lock and asks for `yes` (or takes --auto-approve where nobody can answer, as in CI).
// With a prophecy block, the plan is carried out on Prophecy's API. Only the flags and the wiring live
// here; the work is loaded when the command runs (applyRun.ts).
import type { Command } from "commander";
import { addApplyVerificationOptions } from "../applyVerificationOptions.js";
import { stdoutWantsColor } from "../colour.js";
import { addProphecyOptions } from "../prophecyOptions.js";
import { lockTimeoutOption, stateOption } from "../stateCommand.js";
import type { ApplyCommandOptions } from "./applyRun.js";

export function registerApply(program: Command): void {
  const command = program
    .command("apply")
    .description("apply a saved plan, or plan and apply the config, recording it in the state; new and changed connections are verified first")
    .argument("[planfile-or-paths...]", "a plan saved by `plan --out`, or config files or directories")
    .addOption(stateOption())
    .option("--auto-approve", "apply without asking for yes (required when not on a terminal)")
    .addOption(lockTimeoutOption())
    .option("--rotate-secrets [names...]", "with a prophecy block: upload the values of these Prophecy secrets (SECRET or FABRIC/SECRET; all with from when none is named) again from their from");
  addProphecyOptions(addApplyVerificationOptions(command), { refresh: true }).action(async (args: string[], options: Omit<ApplyCommandOptions, "color">) =>
    (await import("./applyRun.js")).runApply(args, { ...options, color: stdoutWantsColor(command) }),
  );
}

