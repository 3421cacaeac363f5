// The state as a document: its canonical bytes and the check that bytes read back are a state. Shared by
// every store, so that a local file and a shared store hold the same document.
import { canonicalJson } from "../json/canonical.js";
import { StateError, type State } from "./stateStore.js";

export function serializeState(state: State): string {
  return canonicalJson(state);
}

/** The state in `text`; a StateError naming `where` when it is not one (never a partial guess). */
export function parseState(text: string, where: string): State {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new StateError(`the state ${where} is not valid JSON (${(e as Error).message}); it was left as it is: restore it from ${where}.backup or fix it by hand`);
  }
  const problem = stateProblem(value);
  if (problem) throw new StateError(`the state ${where} is not a fabricate state: ${problem}; it was left as it is`);
  return value as State;
}

function stateProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "not an object";
  const v = value as Record<string, unknown>;
  if (v.version !== 1) return `version ${JSON.stringify(v.version)} is not 1`;
  if (!Number.isSafeInteger(v.serial) || (v.serial as number) < 1) return "serial is not a positive integer";
  if (typeof v.lineage !== "string" || v.lineage === "") return "lineage is not a string";
  if (!Array.isArray(v.fabrics)) return "fabrics is not an array";
  for (const [i, f] of v.fabrics.entries()) {
    if (!isFabricConfig(f)) return `fabrics[${i}] is not a fabric config`;
  }
  return undefined;
}

/** The parts of a fabric config that plan and the runtime rely on to find and compare things. */
function isFabricConfig(value: unknown): boolean {
  const f = value as Record<string, unknown> | null;
  if (f === null || typeof f !== "object" || typeof f.name !== "string" || typeof f.teamName !== "string") return false;
  const team = f.team as Record<string, unknown> | null | undefined;
  if (!team || !Array.isArray(team.members) || !Array.isArray(team.reviewers) || !Array.isArray(f.connections)) return false;
  return f.connections.every((c: unknown) => {
    const conn = c as Record<string, unknown> | null;
    return conn !== null && typeof conn === "object" && typeof conn.name === "string" && typeof conn.kind === "string";
  });
}
