// fabricate plan [paths]: what apply would change, for a terminal, a pull-request comment or a machine;
// --out saves it for `fabricate apply FILE`. With a prophecy block, it first reads what Prophecy holds.
// Only the flags live here; the work is loaded when the command runs (planRun.ts), so that other
// commands do not pay for it at start-up.
import { Option, type Command } from "commander";
import { planFormats } from "../../plan/planFormat.js";
import { stdoutWantsColor } from "../colour.js";
import { markdownLimitOption } from "../planOptions.js";
import { addProphecyOptions } from "../prophecyOptions.js";
import { stateOption } from "../stateCommand.js";
import type { PlanOptions } from "./planRun.js";

export function registerPlan(program: Command): void {
  const command = program
    .command("plan")
    .description("show what apply would change in the state, per fabric and connection")
    .argument("[paths...]", "config files or directories (default: ./fabrics if it exists, else .)")
    .addOption(stateOption())
    .option("--out <planfile>", "save the plan for `fabricate apply PLANFILE`")
    .addOption(new Option("--format <format>", "output format").choices(planFormats).default("text"))
    .option("--detailed-exitcode", "exit 0 when nothing changes, 2 when something does, 1 on error")
    .addOption(markdownLimitOption());
  addProphecyOptions(command, { refresh: true }).action(async (paths: string[], options: Omit<PlanOptions, "color">, command: Command) =>
    (await import("./planRun.js")).runPlan(paths, { ...options, color: stdoutWantsColor(command) }),
  );
}
