// Apply: carries a Plan out and records it in the state store. It takes a Plan, not a config (the plan
// is what was reviewed), under a lock the caller holds, with the state the plan was made against.
//
// First an optional check runs against the plan and that state: verification of the changed
// connections plugs in here (apply verifies what changed, as Prophecy tests a connection before it lets
// you save it). An error diagnostic vetoes the apply and nothing is done or written.
//
// Without a target, the state is the only thing changed: one write, all or nothing. With a target
// (Prophecy's API), each step is a remote call: steps run fabric by fabric with at most `parallelism`
// at once, each success is recorded as it happens and checkpointed, a failed step skips what depends on
// it (the connections of a fabric that could not be created), and the outcome lists what was done and
// what failed, in the target's words.
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { canonicalJson } from "../json/canonical.js";
import { canonicalDigest } from "../json/canonicalDigest.js";
import { diffFabrics, type TargetInput } from "../plan/diffFabrics.js";
import { planHasChanges, type Plan } from "../plan/plan.js";
import type { LockInfo, State, StateStore } from "../state/stateStore.js";
import { mapConcurrently } from "../concurrency.js";
import type { ApplyStep, ApplyTarget, StepContext } from "./applyTarget.js";
import { planSteps, type FabricSteps } from "./applySteps.js";
import { StateRecorder } from "./stateRecorder.js";

/** Inspects a plan before anything is done; any error diagnostic vetoes the apply. */
export type ApplyCheck = (plan: Plan, prior: State | undefined) => Promise<readonly Diagnostic[]>;

export interface StepReport {
  readonly step: ApplyStep;
  readonly result: "done" | "failed" | "skipped";
  /** The target's words for a failure; what it waited on for a skip. */
  readonly message?: string;
}

export type ApplyOutcome =
  /** Every step was done (`steps` is empty without a target). */
  | { readonly kind: "applied"; readonly plan: Plan; readonly state: State; readonly diagnostics: readonly Diagnostic[]; readonly steps: readonly StepReport[] }
  /** Some steps failed or were skipped; the state records exactly the steps that were done. */
  | { readonly kind: "partial"; readonly plan: Plan; readonly state: State; readonly diagnostics: readonly Diagnostic[]; readonly steps: readonly StepReport[] }
  | { readonly kind: "unchanged" }
  | { readonly kind: "vetoed"; readonly diagnostics: readonly Diagnostic[] };

export interface ApplyOptions {
  readonly check?: ApplyCheck;
  readonly target?: ApplyTarget;
  /** Steps in flight at once with a target. Default 8 (Terraform's -parallelism). */
  readonly parallelism?: number;
  /** Called as each step ends, for progress output. */
  readonly onStep?: (report: StepReport) => void;
}

export const defaultParallelism = 8;

/**
 * The hash the history records for a plan: the state it was made against and the configs it applies
 * decide its changes, so they identify it (hashing the whole plan would cost a second serialisation).
 */
export function planHash(plan: Plan): string {
  return canonicalDigest({ prior: plan.prior ?? null, configHash: plan.configHash, summary: plan.summary });
}

/**
 * Why a saved plan cannot be applied to `prior` (the state now), or undefined when it can: the state
 * moved on, or the plan's list of changes is not what its configs and that state give (it was edited,
 * or made by another version), or, with a target, its settings or what it holds differ from the plan's
 * (`target` is the config's settings and a fresh refresh). An in-process plan, made under the same lock,
 * needs no such check.
 */
export function savedPlanProblem(plan: Plan, prior: State | undefined, where: string, target?: TargetInput): string | undefined {
  const again = "run `fabricate plan` again and review the new plan";
  const p = plan.prior;
  if (!p && prior) return `the plan was made when nothing had been applied, but the state ${where} is now at serial ${prior.serial}: ${again}`;
  if (p && !prior) return `the plan was made against serial ${p.serial} of lineage ${p.lineage}, but the state ${where} does not exist: ${again}`;
  if (p && prior && p.lineage !== prior.lineage) {
    return `the plan was made against another state (lineage ${p.lineage}), but the state ${where} has lineage ${prior.lineage}: ${again}`;
  }
  if (p && prior && p.serial !== prior.serial) {
    return `the state ${where} has moved on since the plan was made (serial ${p.serial}, now ${prior.serial}): ${again}`;
  }
  const fresh = diffFabrics(plan.desired, prior, [], target);
  const settings = (t: Plan["target"]) => t && { ...t, refreshed: undefined, drift: undefined, unknownOutcomes: undefined, destination: undefined };
  if (canonicalJson(settings(fresh.target) ?? null) !== canonicalJson(settings(plan.target) ?? null)) {
    return `the prophecy block of the config is not what it was when the plan was made: ${again}`;
  }
  if (canonicalJson([fresh.target?.drift ?? [], fresh.target?.unknownOutcomes ?? []]) !== canonicalJson([plan.target?.drift ?? [], plan.target?.unknownOutcomes ?? []])) {
    return `what Prophecy holds has changed since the plan was made: ${again}`;
  }
  // By digest: at a million connections the list of changes is longer than a string can be.
  if (canonicalDigest([fresh.fabrics, fresh.summary, fresh.target ?? null]) !== canonicalDigest([plan.fabrics, plan.summary, plan.target ?? null])) {
    return "the plan's list of changes is not what its fabric configs and the state give: it was edited, or made by another version of fabricate (or what the target holds changed since); run `fabricate plan` again";
  }
  return undefined;
}

export async function applyPlan(plan: Plan, prior: State | undefined, store: StateStore, lock: LockInfo, options: ApplyOptions = {}): Promise<ApplyOutcome> {
  if (!planHasChanges(plan)) return { kind: "unchanged" };
  const diagnostics = options.check ? await options.check(plan, prior) : [];
  if (hasErrors(diagnostics)) return { kind: "vetoed", diagnostics };
  const recorder = new StateRecorder(store, lock, prior, { operation: "apply", planHash: planHash(plan) });
  if (!options.target) {
    recorder.recordFabrics(plan.desired);
    return { kind: "applied", plan, state: await recorder.finish(), diagnostics, steps: [] };
  }
  const steps = await runSteps(planSteps(plan, prior), options.target, recorder, options);
  const state = await recorder.finish();
  const complete = steps.every((s) => s.result === "done");
  return { kind: complete ? "applied" : "partial", plan, state, diagnostics, steps };
}

/** A pool of `limit` slots that steps of every fabric share. */
function slots(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let free = limit;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
}

async function runSteps(groups: readonly FabricSteps[], target: ApplyTarget, recorder: StateRecorder, options: ApplyOptions): Promise<StepReport[]> {
  const inSlot = slots(options.parallelism ?? defaultParallelism);
  const context: StepContext = {
    state: () => recorder.state(),
    targets: () => recorder.targets(),
    recordTargets: async (update, opts) => {
      recorder.recordTargets(update);
      if (opts?.durable) await recorder.flush();
      else recorder.schedule();
    },
  };
  const report = (r: StepReport): StepReport => {
    options.onStep?.(r);
    return r;
  };
  const runStep = (step: ApplyStep): Promise<StepReport> =>
    inSlot(async () => {
      if (recorder.failed) return report({ step, result: "skipped", message: "the state could not be written, so nothing more was done" });
      const outcome = await target.apply(step, context);
      if (!outcome.ok) return report({ step, result: "failed", message: outcome.message });
      recorder.recordStep(step);
      if (outcome.durable) await recorder.flush();
      else recorder.schedule();
      return report({ step, result: "done" });
    });

  const perFabric = await mapConcurrently(groups, groups.length, async (group) => {
    const reports: StepReport[] = [];
    // A connection's create waits on the delete that makes room for it (a replacement), and every
    // connection waits on its fabric's own step.
    const failedConnections = new Set<string>();
    let fabricFailed: string | undefined;
    for (const phase of group.phases) {
      const runnable: ApplyStep[] = [];
      for (const step of phase) {
        const blocked = fabricFailed ?? (step.kind === "connection" && failedConnections.has(step.connection) ? `the delete of ${step.fabric}/${step.connection} failed` : undefined);
        if (blocked) reports.push(report({ step, result: "skipped", message: blocked }));
        else runnable.push(step);
      }
      const done = await Promise.all(runnable.map(runStep));
      reports.push(...done);
      for (const r of done) {
        if (r.result !== "failed") continue;
        if (r.step.kind === "fabric") fabricFailed = `the ${r.step.action} of fabric ${r.step.fabric} failed`;
        else failedConnections.add(r.step.connection);
      }
    }
    return reports;
  });
  return perFabric.flat();
}
