// fabricate show PLANFILE: a saved plan (`plan --out`) printed again, in any of plan's formats, as
// `terraform show` does: the reviewer of an apply job reads exactly what will be applied. The file is
// read as untrusted input, checked against the plan's schema.
import { Option, type Command } from "commander";
import { planFormats, type PlanFormat } from "../../plan/planFormat.js";
import { stdoutWantsColor } from "../colour.js";
import { printError } from "../errorOutput.js";
import { markdownLimitOption } from "../planOptions.js";
import { exitFailed, exitOk } from "../exitCodes.js";

export function registerShow(program: Command): void {
  program
    .command("show")
    .description("print a plan saved by `plan --out`, in any of plan's formats")
    .argument("<planfile>", "a plan saved by `fabricate plan --out`")
    .addOption(new Option("--format <format>", "output format").choices(planFormats).default("text"))
    .addOption(markdownLimitOption())
    .action(async (file: string, options: { format: PlanFormat; markdownLimit: number }, command: Command) => {
      const { readSavedPlan } = await import("../../plan/savedPlan.js");
      const { planRenderers } = await import("../../plan/renderer.js");
      const read = readSavedPlan(file);
      if ("error" in read) {
        printError("plan.read", read.error);
        process.exitCode = exitFailed;
        return;
      }
      process.stdout.write(planRenderers[options.format](read.plan, { color: stdoutWantsColor(command), markdownLimit: options.markdownLimit }));
      process.exitCode = exitOk;
    });
}
