// The work of `fabricate apply`: a saved plan checked against the config and the state, or a plan made
// and confirmed under the lock; then applyPlan, and a report of what happened. With a prophecy block,
// the plan is carried out on Prophecy's API: the token goes there only if the trust rules allow it
// (the applied settings, or --trust-new-hosts), what Prophecy holds is read first, and each step is
// recorded as it succeeds.
import { existsSync, statSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { canonicalDigest } from "../../json/canonicalDigest.js";
import type { ApplyStep } from "../../apply/applyTarget.js";
import { applyPlan, savedPlanProblem, type ApplyCheck, type ApplyOptions, type ApplyOutcome, type StepReport } from "../../apply/applyPlan.js";
import { configHash } from "../../plan/configHash.js";
import { planHasChanges, type Plan } from "../../plan/plan.js";
import { renderPlanText } from "../../plan/renderPlanText.js";
import { readSavedPlan } from "../../plan/savedPlan.js";
import { checkPushable, openProphecyTarget, targetSettingsOf, type ProphecyTarget, type RotationReport } from "../../prophecy/index.js";
import { nextSerial } from "../../state/stateDocument.js";
import { stateLocation, usingStateStore } from "../../state/openStateStore.js";
import { versionOf, type LockInfo, type State, type StateStore } from "../../state/stateStore.js";
import { withStateLock } from "../../state/withStateLock.js";
import { secretRefOf, synthFabrics, type FabricConfig } from "../../synth/fabricConfig.js";
import { printDiagnostics, reportDiagnostics } from "../diagnosticsOutput.js";
import { loadCheckedConfig, type CheckedConfig } from "../desiredFabrics.js";
import { exitFailed, exitOk } from "../exitCodes.js";
import { lockWait, reportingStateErrors } from "../stateCommand.js";
import { applyVerification } from "../applyVerification.js";
import type { ApplyVerificationFlags } from "../applyVerificationOptions.js";
import { printError } from "../errorOutput.js";
import { writeOutput } from "../writeOutput.js";
import { parseProphecyFlags, type ProphecyFlags, type ProphecyRunSettings } from "../prophecyOptions.js";
import { makePlan, targetInput } from "../targetPlan.js";

export interface ApplyCommandOptions extends ApplyVerificationFlags, ProphecyFlags {
  state?: string;
  autoApprove?: boolean;
  lockTimeout: number;
  /** true: every secret; names: those (SECRET or FABRIC/SECRET). */
  rotateSecrets?: true | string[];
  /** ANSI colours in the printed plan (src/cli/colour.ts decides). */
  color: boolean;
}

interface Run {
  readonly options: ApplyCommandOptions;
  readonly settings: ProphecyRunSettings;
  readonly check: ApplyCheck | undefined;
  readonly rotate: readonly string[] | undefined;
}

export function runApply(args: string[], options: ApplyCommandOptions): Promise<void> {
  return reportingStateErrors(async () => {
    const verification = applyVerification(options);
    const settings = parseProphecyFlags(options);
    if ("error" in verification || "error" in settings) {
      printError("usage", "error" in verification ? verification.error : (settings as { error: string }).error);
      process.exitCode = exitFailed;
      return;
    }
    const rotate = options.rotateSecrets === undefined ? undefined : options.rotateSecrets === true ? [] : options.rotateSecrets;
    const run: Run = { options, settings: settings.value, check: verification.value, rotate };
    const planFile = savedPlanArgument(args);
    process.exitCode = await usingStateStore(stateLocation(options.state), (store) => (planFile ? applySaved(planFile, store, run) : planAndApply(args, store, run)));
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

async function applySaved(file: string, store: StateStore, run: Run): Promise<number> {
  const read = await readSavedPlan(file);
  if ("error" in read) return fail(read.error);
  const plan = read.plan;
  const checked = loadCheckedConfig(plan.configPaths);
  if (!checked) return exitFailed;
  const desired = synthFabrics(checked.model);
  if (configHash(desired) !== plan.configHash) {
    return fail(`the config (${checked.paths.join(", ")}) has changed since the plan ${file} was made: run \`fabricate plan\` again and review the new plan`);
  }
  // The hash covers connections by their fingerprints, so compare the recorded configs in full as well
  // (by digest: at a million connections their text is longer than a string can be).
  if (canonicalDigest(plan.desired) !== canonicalDigest(desired)) {
    return fail(`the saved plan ${file} was altered after it was made: its fabric configs are not what the config declares`);
  }
  const rotation = rotationProblem(run.rotate, desired);
  if (rotation) return fail(rotation);
  return withStateLock(store, "apply", lockWait(run.options.lockTimeout), async (lock) => {
    const prior = await store.read();
    return withTarget(checked, prior, run, async (target) => {
      // The plan recorded whether it was refreshed; what Prophecy holds is read again to compare.
      const prophecy = checked.model.prophecy;
      const fresh = prophecy && (await targetInput(targetSettingsOf(prophecy), prior, target && plan.target?.refreshed ? (applied) => target.refresh(applied) : undefined));
      if (fresh && "error" in fresh) return fail(`cannot read what Prophecy holds: ${fresh.error}`);
      const held = fresh ? fresh.held : prior;
      const problem = savedPlanProblem(plan, held, store.describe(), fresh?.input);
      if (problem) return fail(problem);
      if (prophecy && !reportDiagnostics(checkPushable(checked.model, held), checked.texts)) return exitFailed;
      return carryOut(plan, prior, held, store, lock, run, target);
    });
  });
}

async function planAndApply(paths: readonly string[], store: StateStore, run: Run): Promise<number> {
  const canAsk = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (!run.options.autoApprove && !canAsk) {
    printError("usage", "apply needs --auto-approve when it cannot ask for confirmation (not on a terminal)");
    return exitFailed;
  }
  const checked = loadCheckedConfig(paths);
  if (!checked) return exitFailed;
  const desired = synthFabrics(checked.model);
  const rotation = rotationProblem(run.rotate, desired);
  if (rotation) return fail(rotation);
  return withStateLock(store, "apply", lockWait(run.options.lockTimeout), async (lock) => {
    const prior = await store.read();
    return withTarget(checked, prior, run, async (target) => {
      const made = await makePlan(checked, desired, prior, target && run.settings.refresh ? (applied) => target.refresh(applied) : undefined);
      if (!made) return exitFailed;
      const { plan, held } = made;
      await writeOutput(renderPlanText(plan, { color: run.options.color }));
      if (!planHasChanges(plan) && !(target && run.rotate)) {
        await recordRefreshed(held, prior, store, lock, target);
        return exitOk;
      }
      if (!run.options.autoApprove && !(await confirm())) {
        printError("apply.cancelled", "apply cancelled; nothing was changed");
        return exitFailed;
      }
      return carryOut(plan, prior, held, store, lock, run, target);
    });
  });
}

/**
 * Opens the Prophecy target when the config has a prophecy block (the trust rules decide first whether
 * the token may go to its URL), and closes it after `body`.
 */
async function withTarget(checked: CheckedConfig, prior: State | undefined, run: Run, body: (target: ProphecyTarget | undefined) => Promise<number>): Promise<number> {
  const prophecy = checked.model.prophecy;
  if (!prophecy) return run.rotate ? fail("--rotate-secrets uploads secrets to Prophecy, and the config has no prophecy block") : body(undefined);
  const target = await openProphecyTarget(prophecy, prior, { trustNewHosts: run.options.trustNewHosts ?? false, timeoutMs: run.settings.timeoutMs, parallelism: run.settings.parallelism });
  if ("error" in target) return fail(`${target.error}; nothing was sent to Prophecy`);
  try {
    return await body(target);
  } finally {
    await target.close();
  }
}

/** applyPlan with this run's wiring, then any rotation, then the report. */
async function carryOut(plan: Plan, prior: State | undefined, held: State | undefined, store: StateStore, lock: LockInfo, run: Run, target: ProphecyTarget | undefined): Promise<number> {
  // The trust rules of verification bind to what was applied and reviewed, never to what a refresh read.
  const check = run.check && ((p: Plan) => run.check!(p, prior));
  const wiring: ApplyOptions = { ...(check && { check }), ...(target && { target, parallelism: run.settings.parallelism }) };
  const outcome = await applyPlan(plan, held, store, lock, wiring);
  let code = report(outcome, store, wiring, target);
  // Values are uploaded again once the plan is carried out, into the fabrics and secrets it leaves.
  if (target && run.rotate && (outcome.kind === "applied" || outcome.kind === "unchanged")) {
    const reports = await target.rotate(plan.desired, run.rotate, outcome.kind === "applied" ? outcome.state : held);
    if (!reportRotation(reports)) code = exitFailed;
  }
  return code;
}

/**
 * Records what a refresh settled (unknown outcomes, secrets' ids) when the plan itself changes nothing,
 * and the target's settings as applied (a new URL, CA or token setting this run was trusted with).
 */
async function recordRefreshed(held: State | undefined, prior: State | undefined, store: StateStore, lock: LockInfo, target: ProphecyTarget | undefined): Promise<void> {
  if (!held || !prior) return;
  const next = target ? { ...held, targets: target.withSettings(held.targets) } : held;
  // By digest: a state of a million connections is longer than a string can be.
  if (canonicalDigest(next) === canonicalDigest(prior)) return;
  await store.write({ ...next, serial: nextSerial(prior.serial, store.describe()) }, lock, versionOf(prior), { operation: "refresh" });
}

/** Why --rotate-secrets names something that is not a Prophecy secret with a value source, if it does. */
function rotationProblem(names: readonly string[] | undefined, desired: readonly FabricConfig[]): string | undefined {
  if (!names) return undefined;
  const known = new Set<string>();
  for (const f of desired) {
    for (const c of f.connections) {
      const ref = secretRefOf(c.properties.smtpPassword);
      if (ref.provider === "prophecy" && ref.from) known.add(ref.secret).add(`${f.name}/${ref.secret}`);
    }
  }
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length === 0) return undefined;
  return `--rotate-secrets: ${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not the name of a prophecy secret with from in the config (name SECRET or FABRIC/SECRET; put config paths before --rotate-secrets)`;
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

function report(outcome: ApplyOutcome, store: StateStore, wiring: ApplyOptions, target: ProphecyTarget | undefined): number {
  switch (outcome.kind) {
    case "vetoed":
      printDiagnostics(outcome.diagnostics, "text");
      return fail(`apply stopped before ${target ? "anything was sent to Prophecy or recorded" : "recording anything"}: the changed connections did not pass the check`);
    case "unchanged":
      process.stdout.write(`No changes. The state ${store.describe()} is unchanged.\n`);
      return exitOk;
    case "applied": {
      if (outcome.diagnostics.length > 0) printDiagnostics(outcome.diagnostics, "text");
      if (target) process.stdout.write(`\n${target.describe()}: ${doneCounts(outcome.steps)}.`);
      process.stdout.write(`\nApply complete! ${appliedCounts(outcome.plan)}. State ${store.describe()}: serial ${outcome.state.serial}.\n`);
      if (!wiring.check) process.stdout.write("Not verified (--skip-verify): the new and changed connections were recorded without logging in to them.\n");
      return exitOk;
    }
    case "partial": {
      if (outcome.diagnostics.length > 0) printDiagnostics(outcome.diagnostics, "text");
      const unfinished = outcome.steps.filter((s) => s.result !== "done");
      process.stdout.write(`\nApply stopped partway: ${outcome.steps.length - unfinished.length} of ${outcome.steps.length} steps done${target ? ` (${target.describe()}: ${doneCounts(outcome.steps)})` : ""}. State ${store.describe()}: serial ${outcome.state.serial}, recording exactly the steps done.\n`);
      for (const s of unfinished) {
        // The API's messages name their call, which is often the step itself: say it once.
        const step = describeStep(s.step);
        const message = (s.message ?? "").startsWith(`${step}: `) ? s.message!.slice(step.length + 2) : s.message ?? "";
        process.stdout.write(`  ${s.result}: ${step}: ${message}\n`);
      }
      return fail(`${unfinished.length} step(s) of the plan were not done; fix the cause and run apply again: it carries out only what is left`);
    }
  }
}

/** `2 fabric(s) created, 20 connection(s) created`: what was done, by kind and action. */
function doneCounts(steps: readonly StepReport[]): string {
  const counts = new Map<string, number>();
  const past = { create: "created", update: "updated", delete: "deleted" } as const;
  for (const s of steps.filter((x) => x.result === "done")) {
    const key = `${s.step.kind}(s) ${past[s.step.action]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts.size === 0 ? "nothing needed doing" : [...counts].map(([what, n]) => `${n} ${what}`).join(", ");
}

function reportRotation(reports: readonly RotationReport[]): boolean {
  process.stdout.write(`\nSecrets uploaded again (--rotate-secrets):${reports.length === 0 ? " none matched" : ""}\n`);
  for (const r of reports) process.stdout.write(`  ${r.result}: ${r.fabric}/${r.secret}${r.message ? `: ${r.message}` : ""}\n`);
  const failed = reports.filter((r) => r.result === "failed").length;
  if (failed > 0) printError("apply.rotate", `${failed} secret(s) could not be uploaded again`);
  return failed === 0;
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
