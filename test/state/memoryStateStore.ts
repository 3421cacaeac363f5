// A state store held in memory: the third store the contract test runs against (beside the local file
// and PostgreSQL), and a quick store for tests of what runs on top of stores. It keeps the state as
// canonical text, as the real stores do, so that what a caller gets back is always a copy.
import { newLockInfo, whoAmI } from "../../src/state/lockHolder.js";
import { parseState, serializeState } from "../../src/state/stateDocument.js";
import {
  StateConflictError,
  StateError,
  StateLockedError,
  versionOf,
  type HistoryEntry,
  type LockInfo,
  type State,
  type StateStore,
  type StateVersion,
  type WriteMeta,
} from "../../src/state/stateStore.js";

export class MemoryStateStore implements StateStore {
  private text: string | undefined;
  private holder: LockInfo | undefined;
  private readonly entries: HistoryEntry[] = [];
  /** Every state written, for tests that follow checkpoints. */
  readonly written: State[] = [];

  describe(): string {
    return "memory";
  }

  async read(): Promise<State | undefined> {
    return this.text === undefined ? undefined : parseState(this.text, "memory");
  }

  async lock(operation: string): Promise<LockInfo> {
    if (this.holder) throw new StateLockedError("memory", this.holder);
    this.holder = newLockInfo(operation);
    return this.holder;
  }

  async write(next: State, lock: LockInfo, expected: StateVersion | undefined, meta: WriteMeta): Promise<void> {
    if (this.holder?.id !== lock.id) throw new StateError(`the lock on memory is no longer ours (lock ID ${lock.id}); nothing was written`);
    const found = versionOf(await this.read());
    if (found?.serial !== expected?.serial || found?.lineage !== expected?.lineage) throw new StateConflictError("memory", expected, found);
    this.text = serializeState(next);
    this.written.push(parseState(this.text, "memory"));
    this.entries.push({ serial: next.serial, lineage: next.lineage, at: new Date().toISOString(), who: whoAmI(), ...meta });
  }

  async unlock(lock: LockInfo): Promise<void> {
    if (this.holder?.id !== lock.id) throw new StateError(`the lock on memory is no longer ours (lock ID ${lock.id})`);
    this.holder = undefined;
  }

  async lockHolder(): Promise<LockInfo | undefined> {
    return this.holder;
  }

  async forceUnlock(id: string): Promise<LockInfo> {
    const holder = this.holder;
    if (!holder) throw new StateError("the state memory is not locked");
    if (holder.id !== id) throw new StateError(`the state memory is locked under ID ${holder.id}, not ${id}; nothing was unlocked`);
    this.holder = undefined;
    return holder;
  }

  async history(): Promise<readonly HistoryEntry[]> {
    return this.entries.map((e) => ({ ...e }));
  }

  async close(): Promise<void> {}
}
