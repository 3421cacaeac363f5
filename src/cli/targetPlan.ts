// What plan and apply share to make a plan: without a prophecy block, the diff of the config against
// the state, as always; with one, against what Prophecy holds (refreshed first, unless the run says
// --refresh=false), after the checks that must hold before anything can be pushed there. Failures are
// printed here; the caller only exits.
import { warningAt } from "../diagnostics/diagnostic.js";
import type { RefreshedState } from "../apply/applyTarget.js";
import { diffFabrics, type TargetInput } from "../plan/diffFabrics.js";
import type { Plan } from "../plan/plan.js";
import { checkPushable, targetSettingsOf } from "../prophecy/index.js";
import type { State } from "../state/stateStore.js";
import type { FabricConfig } from "../synth/fabricConfig.js";
import type { CheckedConfig } from "./desiredFabrics.js";
import { printDiagnostics, reportDiagnostics } from "./diagnosticsOutput.js";
import { printError } from "./errorOutput.js";

export type Refresh = (applied: State | undefined) => Promise<RefreshedState | { readonly error: string }>;

export interface TargetedPlan {
  readonly plan: Plan;
  /** What the plan was made against: the state, or what Prophecy holds. */
  readonly held: State | undefined;
  /** The target's part of the plan, to check a saved plan against. */
  readonly target?: TargetInput;
}

/** The plan for `checked` against `prior`; undefined when it cannot be made (the reason is printed). */
export async function makePlan(checked: CheckedConfig, desired: readonly FabricConfig[], prior: State | undefined, refresh: Refresh | undefined): Promise<TargetedPlan | undefined> {
  const prophecy = checked.model.prophecy;
  if (!prophecy) {
    const pushed = prior?.targets?.prophecy;
    if (pushed && Object.keys(pushed.fabrics).length > 0) {
      printDiagnostics(
        [warningAt({}, "prophecy.no-block", `the state records fabrics pushed to Prophecy at ${pushed.url}, but the config has no prophecy block: this run changes the state only and leaves Prophecy as it is`)],
        "text",
      );
    }
    return { plan: diffFabrics(desired, prior, checked.paths), held: prior };
  }
  const target = await targetInput(targetSettingsOf(prophecy), prior, refresh);
  if ("error" in target) {
    printError("prophecy.refresh", `cannot read what Prophecy holds: ${target.error}`, "nothing was planned; fix the cause, or plan against the state as recorded with --refresh=false");
    return undefined;
  }
  if (!reportDiagnostics(checkPushable(checked.model, target.held), checked.texts)) return undefined;
  return { plan: diffFabrics(desired, target.held, checked.paths, target.input), held: target.held, target: target.input };
}

/** The target's input to a plan: refreshed, or the state as recorded. */
export async function targetInput(settings: TargetInput["settings"], prior: State | undefined, refresh: Refresh | undefined): Promise<{ input: TargetInput; held: State | undefined } | { error: string }> {
  if (!refresh) return { input: { settings }, held: prior };
  const refreshed = await refresh(prior);
  if ("error" in refreshed) return { error: refreshed.error };
  return { input: { settings, refresh: { drift: refreshed.drift, unknownOutcomes: refreshed.unknownOutcomes, recorded: prior } }, held: refreshed.state };
}
