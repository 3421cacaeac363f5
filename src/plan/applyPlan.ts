// Apply: records a Plan in the state store, all or nothing. It takes a Plan, not a config (the plan is
// what was reviewed), under a lock the caller holds, and refuses a plan whose state has moved on.
//
// Before anything is recorded, an optional check runs against the plan and the state it was made on:
// this is where verification of the changed connections plugs in (DESIGN.md: apply verifies what
// changed). A check that returns an error diagnostic vetoes the apply and nothing is written.
import { randomUUID } from "node:crypto";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { LockInfo, State, StateStore } from "../state/stateStore.js";
import { canonicalJson } from "../json/canonical.js";
import { diffFabrics } from "./diffFabrics.js";
import { planHasChanges, type Plan } from "./plan.js";

/** Inspects a plan before it is recorded; any error diagnostic vetoes the apply. */
export type ApplyCheck = (plan: Plan, prior: State | undefined) => Promise<readonly Diagnostic[]>;

export type ApplyOutcome =
  | { readonly kind: "applied"; readonly plan: Plan; readonly state: State; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: "unchanged" }
  /** The plan does not fit the state (it has moved on) or its own configs (it was edited). */
  | { readonly kind: "refused"; readonly message: string }
  | { readonly kind: "vetoed"; readonly diagnostics: readonly Diagnostic[] };

export interface ApplyOptions {
  readonly check?: ApplyCheck;
}

export async function applyPlan(plan: Plan, store: StateStore, lock: LockInfo, options: ApplyOptions = {}): Promise<ApplyOutcome> {
  const prior = await store.read();
  const stale = staleness(plan, prior, store.describe());
  if (stale) return { kind: "refused", message: stale };
  // A saved plan is data read from a file: its list of changes (which the check trusts to find the
  // changed connections) must be what its configs and this state give.
  const fresh = diffFabrics(plan.desired, prior);
  if (canonicalJson([fresh.fabrics, fresh.summary]) !== canonicalJson([plan.fabrics, plan.summary])) {
    return { kind: "refused", message: "the plan's list of changes is not what its fabric configs and the state give: it was edited, or made by another version of fabricate; run `fabricate plan` again" };
  }
  if (!planHasChanges(plan)) return { kind: "unchanged" };
  const diagnostics = options.check ? await options.check(plan, prior) : [];
  if (hasErrors(diagnostics)) return { kind: "vetoed", diagnostics };
  const state: State = {
    version: 1,
    serial: (prior?.serial ?? 0) + 1,
    lineage: prior?.lineage ?? randomUUID(),
    fabrics: plan.desired,
  };
  await store.write(state, lock);
  return { kind: "applied", plan, state, diagnostics };
}

/** Why the plan no longer fits the state, or undefined when it does. */
function staleness(plan: Plan, state: State | undefined, where: string): string | undefined {
  const again = "run `fabricate plan` again and review the new plan";
  const p = plan.prior;
  if (!p && state) return `the plan was made when nothing had been applied, but the state ${where} is now at serial ${state.serial}: ${again}`;
  if (p && !state) return `the plan was made against serial ${p.serial} of lineage ${p.lineage}, but the state ${where} does not exist: ${again}`;
  if (p && state && p.lineage !== state.lineage) {
    return `the plan was made against another state (lineage ${p.lineage}), but the state ${where} has lineage ${state.lineage}: ${again}`;
  }
  if (p && state && p.serial !== state.serial) {
    return `the state ${where} has moved on since the plan was made (serial ${p.serial}, now ${state.serial}): ${again}`;
  }
  return undefined;
}
