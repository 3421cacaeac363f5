// The state store: what has been applied. A small interface with no files in its signature, so that a
// shared store (PostgreSQL) can join the embedded local JSON file for teams whose CI runs on many
// machines. The state itself is plain data, like Terraform's states.State.
import type { FabricConfig } from "../synth/fabricConfig.js";

export interface State {
  readonly version: 1;
  /** Grows by one with every apply. */
  readonly serial: number;
  /** Identifies one state's history: a saved plan for another lineage is refused. */
  readonly lineage: string;
  /** The applied fabric configs, sorted by name. */
  readonly fabrics: readonly FabricConfig[];
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

export interface StateStore {
  /** Where the state lives, for messages. */
  describe(): string;
  /** The current state, or undefined when nothing has been applied yet. */
  read(): Promise<State | undefined>;
  /**
   * Takes the lock, waiting up to `timeoutMs`; fails with a StateLockedError naming the holder.
   * Every write happens under it.
   */
  lock(operation: string, timeoutMs: number): Promise<LockInfo>;
  /** Replaces the state atomically; `lock` must be the held lock. */
  write(state: State, lock: LockInfo): Promise<void>;
  unlock(lock: LockInfo): Promise<void>;
  /** Clears a lock left by a dead process. */
  forceUnlock(id: string): Promise<void>;
}

/**
 * A problem with the state store that the user must act on (a held lock, a corrupt file): the CLI prints
 * its message as `fabricate: error: …` and exits 1. Messages never hold secrets: states hold references.
 */
export class StateError extends Error {
  override readonly name = "StateError";
}

export class StateLockedError extends StateError {
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
          ? `the state ${where} is locked by ${holder.who} (${holder.operation}) since ${holder.created}, lock ID ${holder.id}, ` +
            `but that process is no longer running.\nIf no other fabricate runs: fabricate force-unlock ${holder.id}`
          : `the state ${where} is locked by ${holder.who} (${holder.operation}) since ${holder.created}, lock ID ${holder.id}.\n` +
            `Wait for it (--lock-timeout), or if that process is dead: fabricate force-unlock ${holder.id}`,
    );
  }
}
