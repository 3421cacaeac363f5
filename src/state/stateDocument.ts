// The state as a document: its canonical bytes, and the check that bytes read back are a state. Shared by
// every store, so that a local file and a shared store hold the same document and refuse the same
// damage. What was read is never quoted back: a path that should hold a state may hold anything (a
// credentials file, a binary), and Node's own JSON.parse messages quote the input.
//
// A state of a million connections is longer than the longest string V8 holds (about 512 MiB), so
// the file store writes it in pieces and parses it as it reads (stateChunks, parseStateChunks); the
// PostgreSQL store, which sends and receives one text, uses the string forms.
import { canonicalChunks, canonicalJson } from "../json/canonical.js";
import { parseJsonChunks } from "../json/chunkedJson.js";
import validateState from "../generated/validateState.js";
import { StateError, type State } from "./stateStore.js";

export function serializeState(state: State): string {
  return canonicalJson(state);
}

/** The state's canonical text in pieces, which concatenated are serializeState(state). */
export function stateChunks(state: State): Generator<string, void, undefined> {
  return canonicalChunks(state);
}

/** The state in `text`; a StateError naming `where` when it is not one (never a partial guess). */
export function parseState(text: string, where: string, recovery = "it was left as it is"): State {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notJson(where, recovery);
  }
  return checkState(value, where, recovery);
}

/** parseState for a text read in chunks; errors of the reading itself pass through. */
export async function parseStateChunks(chunks: AsyncIterable<Uint8Array>, where: string, recovery = "it was left as it is"): Promise<State> {
  let value: unknown;
  try {
    value = await parseJsonChunks(chunks);
  } catch (e) {
    if (e instanceof SyntaxError) throw notJson(where, recovery);
    throw e;
  }
  return checkState(value, where, recovery);
}

function notJson(where: string, recovery: string): StateError {
  return new StateError(`the state ${where} is not valid JSON; ${recovery}`);
}

function checkState(value: unknown, where: string, recovery: string): State {
  if (!validateState(value)) {
    const first = validateState.errors?.[0];
    const at = first ? `${first.instancePath || "the document"} ${first.message ?? "is not valid"}` : "its shape is wrong";
    throw new StateError(`the state ${where} is not a fabricate state (${at}); ${recovery}`);
  }
  return value as State;
}

/** The serial after `serial`; a state that has used every safe integer cannot be written again. */
export function nextSerial(serial: number | undefined, where: string): number {
  const next = (serial ?? 0) + 1;
  if (!Number.isSafeInteger(next)) throw new StateError(`the state ${where} is at serial ${serial}, the largest there is: it cannot be written again (start a new state with fabricate state push --force)`);
  return next;
}
