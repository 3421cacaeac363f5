// What `fabricate state push` may write over the current state, after Terraform's `state push`: by
// default only a newer serial of the same lineage (a copy of this state that moved on elsewhere, or the
// first state of an empty store); --force takes anything. A forced state never goes back in serial:
// it gets at least the current serial + 1, so that a saved plan made against the state it replaces can
// never match it.
import { nextSerial } from "./stateDocument.js";
import type { State } from "./stateStore.js";

export type PushDecision = { readonly ok: true; readonly next: State } | { readonly ok: false; readonly problem: string };

export function decidePush(incoming: State, current: State | undefined, force: boolean, where: string): PushDecision {
  if (current === undefined) return { ok: true, next: incoming };
  if (!force) {
    if (incoming.lineage !== current.lineage) {
      return { ok: false, problem: `the state ${where} has lineage ${current.lineage}, and the pushed state ${incoming.lineage}: it is another state's history (--force replaces it anyway)` };
    }
    if (incoming.serial <= current.serial) {
      return { ok: false, problem: `the state ${where} is at serial ${current.serial}, and the pushed state at ${incoming.serial}, which is not newer (--force replaces it anyway)` };
    }
    return { ok: true, next: incoming };
  }
  return { ok: true, next: { ...incoming, serial: Math.max(incoming.serial, nextSerial(current.serial, where)) } };
}
