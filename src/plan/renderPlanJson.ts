// The plan for machines: the Plan value as canonical JSON, documented by schemas/plan.schema.json. It is
// also the saved plan file that `apply FILE` reads.
import { canonicalChunks } from "../json/canonical.js";
import type { Plan } from "./plan.js";

export function renderPlanJson(plan: Plan): Generator<string, void, undefined> {
  return canonicalChunks(plan);
}
