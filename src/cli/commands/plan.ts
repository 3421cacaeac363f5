// fabricate plan [paths]: what apply would change, for a terminal, a pull-request comment or a machine;
// --out saves it for `fabricate apply FILE`.
import { Option, type Command } from "commander";
import { openStateStore } from "../../state/localStateStore.js";
import { diffFabrics } from "../../plan/diffFabrics.js";
import { planHasChanges } from "../../plan/plan.js";
import { planFormats, planRenderers, type PlanFormat } from "../../plan/renderer.js";
import { writeSavedPlan } from "../../plan/savedPlan.js";
import { loadDesiredFabrics, stdoutWantsColor } from "../desiredFabrics.js";
import { exitFailed, exitOk, exitUsage } from "../exitCodes.js";
import { reportingStateErrors, stateOption } from "../stateCommand.js";

interface PlanOptions {
  state: string;
  out?: string;
  format: PlanFormat;
  detailedExitcode?: boolean;
}

export function registerPlan(program: Command): void {
  program
    .command("plan")
    .description("show what apply would change in the state, per fabric and connection")
    .argument("[paths...]", "config files or directories (default: ./fabrics if it exists, else .)")
    .addOption(stateOption())
    .option("--out <planfile>", "save the plan for `fabricate apply PLANFILE`")
    .addOption(new Option("--format <format>", "output format").choices(planFormats).default("text"))
    .option("--detailed-exitcode", "exit 0 when nothing changes, 2 when something does, 1 on error")
    .action((paths: string[], options: PlanOptions) =>
      reportingStateErrors(async () => {
        const loaded = loadDesiredFabrics(paths);
        if (!loaded) {
          process.exitCode = exitFailed;
          return;
        }
        const plan = diffFabrics(loaded.desired, await openStateStore(options.state).read(), loaded.paths);
        process.stdout.write(planRenderers[options.format](plan, { color: stdoutWantsColor() }));
        if (options.out) {
          try {
            writeSavedPlan(options.out, plan);
          } catch (e) {
            process.stderr.write(`fabricate: error: cannot write the plan to ${options.out}: ${(e as Error).message}\n`);
            process.exitCode = exitFailed;
            return;
          }
          process.stderr.write(`Saved the plan to ${options.out}. To apply exactly this plan: fabricate apply ${options.out}\n`);
        }
        process.exitCode = options.detailedExitcode && planHasChanges(plan) ? exitUsage : exitOk;
      }),
    );
}
