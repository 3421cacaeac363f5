// The work of `fabricate plan`: load the config, read the state, diff, print, and save on --out.
import { stateLocation, usingStateStore } from "../../state/openStateStore.js";
import { diffFabrics } from "../../plan/diffFabrics.js";
import { planHasChanges } from "../../plan/plan.js";
import type { PlanFormat } from "../../plan/planFormat.js";
import { planRenderers } from "../../plan/renderer.js";
import { writeSavedPlan } from "../../plan/savedPlan.js";
import { desiredFabrics, loadCheckedConfig } from "../desiredFabrics.js";
import { printError } from "../errorOutput.js";
import { exitChanges, exitFailed, exitOk } from "../exitCodes.js";
import { reportingStateErrors } from "../stateCommand.js";
import { writeOutput } from "../writeOutput.js";

export interface PlanOptions {
  state?: string;
  out?: string;
  format: PlanFormat;
  detailedExitcode?: boolean;
  markdownLimit: number;
  /** ANSI colours in the text format (src/cli/colour.ts decides). */
  color: boolean;
}

export function runPlan(paths: string[], options: PlanOptions): Promise<void> {
  return reportingStateErrors(async () => {
    const checked = loadCheckedConfig(paths);
    if (!checked) {
      process.exitCode = exitFailed;
      return;
    }
    const prior = await usingStateStore(stateLocation(options.state), (store) => store.read());
    const loaded = desiredFabrics(checked, prior?.fabrics);
    const plan = diffFabrics(loaded.desired, prior, loaded.paths);
    await writeOutput(planRenderers[options.format](plan, { color: options.color, markdownLimit: options.markdownLimit }));
    if (options.out) {
      try {
        await writeSavedPlan(options.out, plan);
      } catch (e) {
        printError("plan.write", `cannot write the plan to ${options.out}: ${(e as Error).message}`);
        process.exitCode = exitFailed;
        return;
      }
      process.stderr.write(`Saved the plan to ${options.out}. To apply exactly this plan: fabricate apply ${options.out}\n`);
    }
    process.exitCode = options.detailedExitcode && planHasChanges(plan) ? exitChanges : exitOk;
  });
}
