// Saved plans (`plan --out FILE`, `apply FILE`): the json rendering of the Plan, written atomically
// (temporary file and rename, so a killed plan never leaves half a file), read back only after it
// passes the schema's generated validator. The file read may be anything under that name (a FIFO, a
// huge file, a key), so it is read bounded and its problems are told without quoting it.
import { readBoundedFileSync } from "../files/readBoundedFile.js";
import { writeFileAtomicSync } from "../files/writeFileAtomic.js";
import validatePlan from "../generated/validatePlan.js";
import { describeSchemaError, parseJson } from "../json/untrustedJson.js";
import type { Plan } from "./plan.js";
import { renderPlanJson } from "./renderPlanJson.js";

/** Far above the saved plan of 10,000 connections (about 20 MiB). */
const maxSavedPlanBytes = 256 * 1024 * 1024;

export function writeSavedPlan(path: string, plan: Plan): void {
  writeFileAtomicSync(path, renderPlanJson(plan));
}

/** The plan in `path`, or the reason it is not one (naming the file, never quoting it). */
export function readSavedPlan(path: string): { plan: Plan } | { error: string } {
  const read = readBoundedFileSync(path, maxSavedPlanBytes);
  if (!read.ok) return { error: `cannot read the saved plan ${path}: it ${read.reason}` };
  const parsed = parseJson(read.bytes);
  if (!parsed.ok) return { error: `${path} is not a saved fabricate plan: it is not valid JSON` };
  if (!validatePlan(parsed.value)) return { error: `${path} is not a saved fabricate plan (schemas/plan.schema.json): ${describeSchemaError(validatePlan.errors)}` };
  return { plan: parsed.value as Plan };
}
