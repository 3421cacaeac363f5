// The Plan: a plain value (like Terraform's plans.Plan) that diffFabrics computes, renderers print, a
// file saves and apply takes. Its types come from schemas/plan.schema.json, which documents the json
// format and the saved plan; only `desired` is typed more precisely here, as the fabric configs it holds.
import type { FabricConfig } from "../synth/fabricConfig.js";
import type * as Schema from "../generated/Plan.js";

export type {
  ConnectionChange,
  DestinationChange,
  DriftItem,
  FabricChange,
  FieldChange,
  PlanAction,
  PlanCounts,
  PlanScalar,
  PlanSummary,
  PlanValue,
  PriorState,
  TargetDestinationChange,
  TargetPlan,
  UnknownOutcome,
} from "../generated/Plan.js";

export interface Plan extends Omit<Schema.Plan, "desired"> {
  readonly desired: readonly FabricConfig[];
}

/** True when applying the plan would change the state. */
export function planHasChanges(plan: Plan): boolean {
  const { connections: c, fabrics: f } = plan.summary;
  return c.add + c.change + c.destroy + f.add + f.change + f.destroy > 0;
}

/** `Plan: 1 to add, 2 to change, 0 to destroy.`: the line every text and markdown plan ends with. */
export function summaryLine(plan: Plan): string {
  if (!planHasChanges(plan)) return "No changes.";
  const c = plan.summary.connections;
  return `Plan: ${c.add} to add, ${c.change} to change, ${c.destroy} to destroy.`;
}

/** `Fabrics: 0 to add, 1 to change, 0 to destroy.`, when a fabric itself changes; undefined otherwise. */
export function fabricsSummaryLine(plan: Plan): string | undefined {
  const f = plan.summary.fabrics;
  return f.add + f.change + f.destroy > 0 ? `Fabrics: ${f.add} to add, ${f.change} to change, ${f.destroy} to destroy.` : undefined;
}
