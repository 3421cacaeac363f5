// The work of `fabricate apply`: a saved plan checked against the config and the state, or a plan made
// and confirmed under the lock; then applyPlan, and a report of what happened.
import { existsSync, statSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { canonicalDigest } from "../../json/canonicalDigest.js";
import type { ApplyStep } from "../../apply/applyTarget.js";
import { applyPlan, savedPlanProblem, type ApplyOptions, type ApplyOutcome } from "../../apply/applyPlan.js";
import { configHash } from "../../plan/configHash.js";
import { diffFabrics } from "../../plan/diffFabrics.js";
import { planHasChanges, type Plan } from "../../plan/plan.js";
import { renderPlanText } from "../../plan/renderPlanText.js";
import { readSavedPlan } from "../../plan/savedPlan.js";
import { stateLocation, usingStateStore } from "../../state/openStateStore.js";
import type { StateStore } from "../../state/stateStore.js";
import { withStateLock } from "../../state/withStateLock.js";
import { printDiagnostics } from "../diagnosticsOutput.js";
import { desiredFabrics, loadCheckedConfig, loadDesiredFabrics } from "../desiredFabrics.js";
import { exitFailed, exitOk } from "../exitCodes.js";
import { lockWait, reportingStateErrors } from "../stateCommand.js";
import { applyVerification } from "../applyVerification.js";
import type { ApplyVerificationFlags } from "../applyVerificationOptions.js";
import { printError } from "../errorOutput.js";
import { writeOutput } from "../writeOutput.js";

export interface ApplyCommandOptions extends ApplyVerificationFlags {
  state?: string;
  autoApprove?: boolean;
  lockTimeout: number;
  /** ANSI colours in the printed plan (src/cli/colour.ts decides). */
  color: boolean;
}

export function runApply(args: string[], options: ApplyCommandOptions): Promise<void> {
  return reportingStateErrors(async () => {
    const verification = applyVerification(options);
    if ("error" in verification) {
      printError("usage", verification.error);
      process.exitCode = exitFailed;
      return;
    }
    const wiring: ApplyOptions = { ...(verification.value && { check: verification.value }) };
    const planFile = savedPlanArgument(args);
    process.exitCode = await usingStateStore(stateLocation(options.state), (store) =>
      planFile ? applySaved(planFile, store, options, wiring) : planAndApply(args, store, options, wiring),
    );
  });
}

/**
 * A single argument naming something that is not YAML and not a directory is a saved plan (a FIFO or a
 * device too: reading it as a plan refuses it with a message that says what it is).
 */
function savedPlanArgument(args: readonly string[]): string | undefined {
  const [only] = args;
  if (args.length !== 1 || only === undefined || /\.ya?ml$/i.test(only)) return undefined;
  return existsSync(only) && !statSync(only).isDirectory() ? only : undefined;
}

async function applySaved(file: string, store: StateStore, options: ApplyCommandOptions, wiring: ApplyOptions): Promise<number> {
  const read = await readSavedPlan(file);
  if ("error" in read) return fail(read.error);
  const plan = read.plan;
  const loaded = loadDesiredFabrics(plan.configPaths);
  if (!loaded) return exitFailed;
  if (configHash(loaded.desired) !== plan.configHash) {
    return fail(`the config (${loaded.paths.join(", ")}) has changed since the plan ${file} was made: run \`fabricate plan\` again and review the new plan`);
  }
  // The hash covers connections by their fingerprints, so compare the recorded configs in full as well
  // (by digest: at a million connections their text is longer than a string can be).
  if (canonicalDigest(plan.desired) !== canonicalDigest(loaded.desired)) {
    return fail(`the saved plan ${file} was altered after it was made: its fabric configs are not what the config declares`);
  }
  return withStateLock(store, "apply", lockWait(options.lockTimeout), async (lock) => {
    const prior = await store.read();
    const problem = savedPlanProblem(plan, prior, store.describe());
    if (problem) return fail(problem);
    return report(await applyPlan(plan, prior, store, lock, wiring), store, wiring);
  });
}

async function planAndApply(paths: readonly string[], store: StateStore, options: ApplyCommandOptions, wiring: ApplyOptions): Promise<number> {
  const canAsk = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (!options.autoApprove && !canAsk) {
    printError("usage", "apply needs --auto-approve when it cannot ask for confirmation (not on a terminal)");
    return exitFailed;
  }
  const checked = loadCheckedConfig(paths);
  if (!checked) return exitFailed;
  return withStateLock(store, "apply", lockWait(options.lockTimeout), async (lock) => {
    const prior = await store.read();
    const loaded = desiredFabrics(checked, prior?.fabrics);
    const plan = diffFabrics(loaded.desired, prior, loaded.paths);
    await writeOutput(renderPlanText(plan, { color: options.color }));
    if (!planHasChanges(plan)) return exitOk;
    if (!options.autoApprove && !(await confirm())) {
      printError("apply.cancelled", "apply cancelled; nothing was changed");
      return exitFailed;
    }
    return report(await applyPlan(plan, prior, store, lock, wiring), store, wiring);
  });
}

async function confirm(): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question("\nDo you want to apply these changes? Only 'yes' will be accepted: ");
    return answer.trim() === "yes";
  } finally {
    prompt.close();
  }
}

function report(outcome: ApplyOutcome, store: StateStore, wiring: ApplyOptions): number {
  switch (outcome.kind) {
    case "vetoed":
      printDiagnostics(outcome.diagnostics, "text");
      return fail("apply stopped before recording anything: the changed connections did not pass the check");
    case "unchanged":
      process.stdout.write(`No changes. The state ${store.describe()} is unchanged.\n`);
      return exitOk;
    case "applied": {
      if (outcome.diagnostics.length > 0) printDiagnostics(outcome.diagnostics, "text");
      process.stdout.write(`\nApply complete! ${appliedCounts(outcome.plan)}. State ${store.describe()}: serial ${outcome.state.serial}.\n`);
      if (!wiring.check) process.stdout.write("Not verified (--skip-verify): the new and changed connections were recorded without logging in to them.\n");
      return exitOk;
    }
    case "partial": {
      if (outcome.diagnostics.length > 0) printDiagnostics(outcome.diagnostics, "text");
      const unfinished = outcome.steps.filter((s) => s.result !== "done");
      process.stdout.write(`\nApply stopped partway: ${outcome.steps.length - unfinished.length} of ${outcome.steps.length} steps done. State ${store.describe()}: serial ${outcome.state.serial}, recording exactly the steps done.\n`);
      for (const s of unfinished) process.stdout.write(`  ${s.result}: ${describeStep(s.step)}: ${s.message ?? ""}\n`);
      return fail(`${unfinished.length} step(s) of the plan were not done; fix the cause and run apply again: it carries out only what is left`);
    }
  }
}

function describeStep(step: ApplyStep): string {
  return step.kind === "fabric" ? `${step.action} fabric ${step.fabric}` : `${step.action} connection ${step.fabric}/${step.connection}`;
}

function appliedCounts(plan: Plan): string {
  const c = plan.summary.connections;
  return `Connections: ${c.add} added, ${c.change} changed, ${c.destroy} destroyed`;
}

function fail(message: string): number {
  printError("apply", message);
  return exitFailed;
}
