// The work of `fabricate plan`: load the config, read the state (and, with a prophecy block, what
// Prophecy holds for it, read with the applied settings), diff, print, and save on --out.
import { stateLocation, usingStateStore } from "../../state/openStateStore.js";
import { planHasChanges } from "../../plan/plan.js";
import type { PlanFormat } from "../../plan/planFormat.js";
import { planRenderers } from "../../plan/renderer.js";
import { writeSavedPlan } from "../../plan/savedPlan.js";
import { refreshApplied } from "../../prophecy/index.js";
import { synthFabrics } from "../../synth/fabricConfig.js";
import { loadCheckedConfig } from "../desiredFabrics.js";
import { printError } from "../errorOutput.js";
import { exitChanges, exitFailed, exitOk } from "../exitCodes.js";
import { parseProphecyFlags, type ProphecyFlags } from "../prophecyOptions.js";
import { reportingStateErrors } from "../stateCommand.js";
import { writeOutput } from "../writeOutput.js";
import { makePlan } from "../targetPlan.js";

export interface PlanOptions extends ProphecyFlags {
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
    const flags = parseProphecyFlags(options);
    if ("error" in flags) {
      printError("usage", flags.error);
      process.exitCode = exitFailed;
      return;
    }
    const checked = loadCheckedConfig(paths);
    if (!checked) {
      process.exitCode = exitFailed;
      return;
    }
    const prior = await usingStateStore(stateLocation(options.state), (store) => store.read());
    const { refresh, timeoutMs, parallelism } = flags.value;
    // A refresh uses only what the state records as applied: never the URL, CA or token a pull request brings.
    // Synthesized against the state read: unchanged connections keep their applied fingerprints (synthFabrics).
    const made = await makePlan(checked, synthFabrics(checked.model, prior?.fabrics), prior, refresh ? (applied) => refreshApplied(applied, { timeoutMs, parallelism }) : undefined);
    if (!made) {
      process.exitCode = exitFailed;
      return;
    }
    const { plan } = made;
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
