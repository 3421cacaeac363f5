// A Plan → the steps a target carries out, grouped by fabric and ordered so that each step finds what it
// needs: a fabric exists before its connections are created, connections are deleted before the
// connections that replace them are created, and a fabric's delete takes its connections with it.
// Fabrics are independent of each other, so their groups may run at once; the steps of one phase of a
// fabric may run at once too. Pure: the plan and the state it was made against in, steps out.
import type { ConnectionChange, FabricChange, Plan } from "../plan/plan.js";
import type { State } from "../state/stateStore.js";
import type { ConnectionConfig, FabricConfig } from "../synth/fabricConfig.js";
import type { ApplyStep, ConnectionStep } from "./applyTarget.js";

export interface FabricSteps {
  readonly fabric: string;
  /** Run one after another; the steps within a phase do not depend on each other. */
  readonly phases: readonly (readonly ApplyStep[])[];
}

function byName<T extends { readonly name: string }>(items: readonly T[] | undefined): Map<string, T> {
  return new Map((items ?? []).map((item) => [item.name, item]));
}

function connectionSteps(change: FabricChange, before: FabricConfig | undefined, after: FabricConfig): { deletes: ConnectionStep[]; writes: ConnectionStep[] } {
  const applied = byName<ConnectionConfig>(before?.connections);
  const wanted = byName<ConnectionConfig>(after.connections);
  const deletes: ConnectionStep[] = [];
  const writes: ConnectionStep[] = [];
  const step = (c: ConnectionChange, action: ConnectionStep["action"]): ConnectionStep => {
    const was = action === "create" ? undefined : applied.get(c.name);
    const will = action === "delete" ? undefined : wanted.get(c.name);
    return { kind: "connection", action, fabric: change.name, connection: c.name, ...(was && { before: was }), ...(will && { after: will }), fabricConfig: after };
  };
  for (const c of change.connections) {
    if (c.action === "delete") deletes.push(step(c, "delete"));
    if (c.action === "replace" && change.action !== "replace") deletes.push(step(c, "delete"));
    if (c.action === "create" || c.action === "replace") writes.push(step(c, "create"));
    if (c.action === "update") writes.push(step(c, "update"));
  }
  return { deletes, writes };
}

function fabricSteps(change: FabricChange, before: FabricConfig | undefined, after: FabricConfig | undefined): FabricSteps {
  const fabric = change.name;
  if (change.action === "delete") return { fabric, phases: [[{ kind: "fabric", action: "delete", fabric, before: before! }]] };
  const desired = after!;
  const { deletes, writes } = connectionSteps(change, before, desired);
  const phases: ApplyStep[][] = [];
  // A replaced fabric's delete takes its connections with it; its connections are then all created.
  if (change.action === "replace") phases.push([{ kind: "fabric", action: "delete", fabric, before: before! }]);
  if (change.action === "create" || change.action === "replace") phases.push([{ kind: "fabric", action: "create", fabric, after: desired }]);
  if (change.action === "update") phases.push([{ kind: "fabric", action: "update", fabric, before: before!, after: desired }]);
  phases.push(deletes, writes);
  return { fabric, phases: phases.filter((p) => p.length > 0) };
}

/** Every step of `plan`, made against `prior`, by fabric; fabrics without a change have none. */
export function planSteps(plan: Plan, prior: State | undefined): FabricSteps[] {
  const applied = byName(prior?.fabrics);
  const desired = byName(plan.desired);
  return plan.fabrics
    .map((change) => fabricSteps(change, applied.get(change.name), desired.get(change.name)))
    .filter((group) => group.phases.length > 0);
}
