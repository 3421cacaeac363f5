// Waiting for the lock lives once, outside the stores: lockState retries a store's single try until the
// deadline, says once whom it waits for, and gives up at once on anything but a held lock.
import { describe, expect, it } from "vitest";
import { StateError, StateLockedError, type LockInfo } from "../../src/state/stateStore.js";
import { lockState, withStateLock } from "../../src/state/withStateLock.js";
import { MemoryStateStore } from "./memoryStateStore.js";

describe("lockState", () => {
  it("waits for the holder to let go, telling whom it waits for once", async () => {
    const store = new MemoryStateStore();
    const held = await store.lock("apply");
    const told: LockInfo[] = [];
    const waiting = lockState(store, "apply", { timeoutMs: 20_000, onWait: (e) => told.push(e.holder!) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await store.unlock(held);
    const next = await waiting;
    expect(next.id).not.toBe(held.id);
    expect(told.map((h) => h.id)).toEqual([held.id]);
  });

  it("gives up after the timeout with the holder's error; a timeout of 0 tries once", async () => {
    const store = new MemoryStateStore();
    const held = await store.lock("apply");
    await expect(lockState(store, "apply", { timeoutMs: 300 })).rejects.toThrow(`lock ID ${held.id}.`);
    let told = 0;
    await expect(lockState(store, "apply", { timeoutMs: 0, onWait: () => told++ })).rejects.toBeInstanceOf(StateLockedError);
    expect(told).toBe(0);
  });

  it("gives up at once on an error that is not a held lock", async () => {
    const store = new MemoryStateStore();
    let tries = 0;
    store.lock = async () => {
      tries++;
      throw new StateError("cannot reach the database");
    };
    await expect(lockState(store, "apply", { timeoutMs: 10_000 })).rejects.toThrow("cannot reach the database");
    expect(tries).toBe(1);
  });

  it("withStateLock lets go of the lock when its body throws", async () => {
    const store = new MemoryStateStore();
    await expect(withStateLock(store, "apply", { timeoutMs: 0 }, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await store.lockHolder()).toBeUndefined();
  });
});
