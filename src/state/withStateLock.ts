// Waiting for the state lock, in one place for every store (after Terraform's statemgr.LockWithContext):
// each store's `lock` tries once; this helper retries with a doubling delay until the deadline, says
// once whom it waits for, and gives up at once on anything but a held lock. Then it runs the body and
// always lets go of the lock, whatever the body does: a lock left behind by a live process would block
// every later apply until someone force-unlocks it.
import { setTimeout as sleep } from "node:timers/promises";
import { StateLockedError, type LockInfo, type StateStore } from "./stateStore.js";

const firstDelayMs = 50;
const longestDelayMs = 2000;

export interface LockWaitOptions {
  /** How long to wait for a held lock; 0 tries once. */
  readonly timeoutMs: number;
  /** Called once, when the first try finds the lock held and the run is going to wait. */
  readonly onWait?: (error: StateLockedError) => void;
}

/** Takes the lock, waiting up to `timeoutMs` for its holder to let go. */
export async function lockState(store: StateStore, operation: string, options: LockWaitOptions): Promise<LockInfo> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = firstDelayMs;
  let told = false;
  for (;;) {
    try {
      return await store.lock(operation);
    } catch (e) {
      if (!(e instanceof StateLockedError)) throw e;
      const left = deadline - Date.now();
      if (left <= 0) throw e;
      if (!told) options.onWait?.(e);
      told = true;
      // A little jitter, so that runners that found the lock held together do not all retry together.
      await sleep(Math.min(left, delay * (0.75 + Math.random() / 2)));
      delay = Math.min(delay * 2, longestDelayMs);
    }
  }
}

export async function withStateLock<T>(store: StateStore, operation: string, options: LockWaitOptions, body: (lock: LockInfo) => Promise<T>): Promise<T> {
  const lock = await lockState(store, operation, options);
  try {
    return await body(lock);
  } finally {
    await store.unlock(lock);
  }
}
