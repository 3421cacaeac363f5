// Saved plans (`plan --out FILE`, `apply FILE`): the json rendering of the Plan, written atomically
// (temporary file and rename, so a killed plan never leaves half a file), read back only after it
// passes the schema's generated validator.
import { randomUUID } from "node:crypto";
import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import validatePlan from "../generated/validatePlan.js";
import type { Plan } from "./plan.js";
import { renderPlanJson } from "./renderPlanJson.js";

export function writeSavedPlan(path: string, plan: Plan): void {
  const temporary = `${path}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    writeFileSync(temporary, renderPlanJson(plan), { flag: "wx" });
    renameSync(temporary, path);
  } catch (e) {
    try {
      unlinkSync(temporary);
    } catch {
      // Never written.
    }
    throw e;
  }
}

/** The plan in `path`, or the reason it is not one. */
export function readSavedPlan(path: string): { plan: Plan } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return { error: `cannot read the saved plan ${path}: ${(e as Error).message}` };
  }
  if (!validatePlan(value)) {
    const first = validatePlan.errors?.[0];
    return { error: `${path} is not a saved fabricate plan: ${first ? `${first.instancePath || "/"} ${first.message}` : "invalid"}` };
  }
  return { plan: value as Plan };
}
