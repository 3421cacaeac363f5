// Runs a body under the state lock and always lets go of it, whatever the body does: a lock left behind
// by a live process would block every later apply until someone force-unlocks it.
import type { LockInfo, StateStore } from "./stateStore.js";

export async function withStateLock<T>(store: StateStore, operation: string, timeoutMs: number, body: (lock: LockInfo) => Promise<T>): Promise<T> {
  const lock = await store.lock(operation, timeoutMs);
  try {
    return await body(lock);
  } finally {
    await store.unlock(lock);
  }
}
