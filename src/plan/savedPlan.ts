// Saved plans (`plan --out FILE`, `apply FILE`): the json rendering of the Plan, written atomically
// (temporary file and rename, so a killed plan never leaves half a file), read back only after it
// passes the schema's generated validator. The file read may be anything under that name (a FIFO, a
// huge file, a key), so it is read bounded and its problems are told without quoting it. The plan of a
// million connections is longer than the longest string V8 holds, so it is written in pieces and
// parsed as it is read.
import { readBoundedFileInChunks } from "../files/readBoundedFile.js";
import { writeFileAtomic } from "../files/writeFileAtomic.js";
import validatePlan from "../generated/validatePlan.js";
import { describeSchemaError, parseJsonInChunks } from "../json/untrustedJson.js";
import type { Plan } from "./plan.js";
import { renderPlanJson } from "./renderPlanJson.js";

/** Far above the saved plan of 1,000,000 connections (about 2 GiB). */
const maxSavedPlanBytes = 8 * 1024 * 1024 * 1024;

export async function writeSavedPlan(path: string, plan: Plan): Promise<void> {
  await writeFileAtomic(path, renderPlanJson(plan));
}

/** The plan in `path`, or the reason it is not one (naming the file, never quoting it). */
export async function readSavedPlan(path: string): Promise<{ plan: Plan } | { error: string }> {
  const read = await readBoundedFileInChunks(path, maxSavedPlanBytes, parseJsonInChunks);
  if (!read.ok) return { error: `cannot read the saved plan ${path}: it ${read.reason}` };
  const parsed = read.value;
  if (!parsed.ok) return { error: `${path} is not a saved fabricate plan: it is not valid JSON` };
  if (!validatePlan(parsed.value)) return { error: `${path} is not a saved fabricate plan (schemas/plan.schema.json): ${describeSchemaError(validatePlan.errors)}` };
  return { plan: parsed.value as Plan };
}
