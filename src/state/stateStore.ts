// The state store: what has been applied. A small interface with no files in its signature, so that the
// embedded local JSON file and a shared store (PostgreSQL, for teams whose CI runs on many machines)
// are interchangeable and pass one contract test. The state itself is plain data, like Terraform's
// states.State; its shape is schemas/state.schema.json, checked on every read.
//
// Two rules keep every store simple and every caller safe, after Terraform's statemgr:
// - `lock` tries exactly once and names the holder when it fails; waiting and retrying live once,
//   outside the stores, in withStateLock.
// - `write` is a compare-and-swap: it names the state it replaces (serial and lineage), and a store
//   whose state has moved on refuses and changes nothing, so a writer whose lock was broken cannot
//   overwrite its successor's work.
import type { FabricConfig } from "../synth/fabricConfig.js";
import type * as Schema from "../generated/State.js";

export type { PendingCalls, ProphecyFabricState, ProphecyTargetState } from "../generated/State.js";

export interface State extends Omit<Schema.State, "fabrics" | "targets"> {
  readonly version: 1;
  /** Grows by one with every write. */
  readonly serial: number;
  /** Identifies one state's history: a saved plan for another lineage is refused. */
  readonly lineage: string;
  /** The applied fabric configs, sorted by name. */
  readonly fabrics: readonly FabricConfig[];
  /** What apply targets beyond the state hold (ids they gave); absent when none was ever used. */
  readonly targets?: Schema.TargetsState;
}

export type TargetsState = Schema.TargetsState;

/** Which state a write replaces, or a saved plan was made against. */
export interface StateVersion {
  readonly serial: number;
  readonly lineage: string;
}

export function versionOf(state: State | undefined): StateVersion | undefined {
  return state && { serial: state.serial, lineage: state.lineage };
}

export interface LockInfo {
  readonly id: string;
  /** Who holds it: user@host pid N, for the message a second writer sees. */
  readonly who: string;
  readonly operation: string;
  /** ISO 8601. */
  readonly created: string;
  /** Host name and process id of the holder, when known: lets a later writer tell a dead holder on the same host. */
  readonly host?: string;
  readonly pid?: number;
}

/** What a write is, for the history. */
export interface WriteMeta {
  /** `apply`, `state push`… */
  readonly operation: string;
  /** The plan that the write carries out, when there is one. */
  readonly planHash?: string;
}

/** One write of the state, in an append-only history. */
export interface HistoryEntry extends WriteMeta {
  readonly serial: number;
  readonly lineage: string;
  /** ISO 8601. */
  readonly at: string;
  /** user@host pid N of the writer. */
  readonly who: string;
}

export interface StateStore {
  /** Where the state lives, for messages: never with a password in it. */
  describe(): string;
  /** The current state, or undefined when nothing has been applied yet. */
  read(): Promise<State | undefined>;
  /** Takes the lock if it is free; a held lock is a StateLockedError naming its holder. Tries once. */
  lock(operation: string): Promise<LockInfo>;
  /**
   * Replaces the state, all or nothing, and appends the write to the history: only while `lock` is
   * held and the current state is still `expected` (undefined: no state yet). Otherwise a StateError,
   * and nothing is written.
   */
  write(next: State, lock: LockInfo, expected: StateVersion | undefined, meta: WriteMeta): Promise<void>;
  unlock(lock: LockInfo): Promise<void>;
  /** Who holds the lock now, if anyone. */
  lockHolder(): Promise<LockInfo | undefined>;
  /** Breaks the lock if its ID is `id` (a holder that died); returns the holder it broke. */
  forceUnlock(id: string): Promise<LockInfo>;
  /** Every write, oldest first. */
  history(): Promise<readonly HistoryEntry[]>;
  /** Lets go of connections; the store is not used afterwards. */
  close(): Promise<void>;
}

/**
 * A problem with the state store that the user must act on (a held lock, a corrupt file, a state that
 * moved on): the CLI prints its message as `fabricate: error: …` and exits 1. Messages never hold
 * secrets (states hold references) nor bytes of a file that is not a state.
 */
export class StateError extends Error {
  override readonly name: string = "StateError";
}

export class StateLockedError extends StateError {
  override readonly name = "StateLockedError";
  constructor(
    readonly where: string,
    readonly holder: LockInfo | undefined,
    /** Set when the holder is known to have died (same host, no such process). */
    holderIsDead = false,
  ) {
    super(
      !holder
        ? `the state ${where} is locked, and the lock's holder cannot be read`
        : holderIsDead
          ? `the state ${where} is locked by ${describeHolder(holder)}, ` +
            `but that process is no longer running.\nIf no other fabricate runs: fabricate force-unlock ${holder.id}`
          : `the state ${where} is locked by ${describeHolder(holder)}.\n` +
            `Wait for it (--lock-timeout), or if that process is dead: fabricate force-unlock ${holder.id}`,
    );
  }
}

/** `alice@ci-7 pid 4242 (apply) since 2026-11-29T13:00:00.000Z, lock ID …`: the words every lock message uses. */
export function describeHolder(holder: LockInfo): string {
  return `${holder.who} (${holder.operation}) since ${holder.created}, lock ID ${holder.id}`;
}

/** The state moved on between reading it and writing it: someone else wrote in between. */
export class StateConflictError extends StateError {
  override readonly name = "StateConflictError";
  constructor(where: string, expected: StateVersion | undefined, found: StateVersion | undefined) {
    super(
      `the state ${where} changed while this run held it (expected ${expected ? `serial ${expected.serial} of lineage ${expected.lineage}` : "no state"}, ` +
        `found ${found ? `serial ${found.serial} of lineage ${found.lineage}` : "no state"}): was the lock broken? Nothing was written; run again`,
    );
  }
}
