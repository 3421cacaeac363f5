// The contract every state store passes (after Terraform's statemgr TestFull): one suite, run against
// the local file, PostgreSQL and the in-memory store, so that anything built on StateStore works the
// same on each. A store under test is fresh (empty) for every case.
import { describe, expect, it } from "vitest";
import { StateConflictError, StateError, StateLockedError, type State, type StateStore } from "../../src/state/stateStore.js";

export interface StoreUnderTest {
  readonly store: StateStore;
  /** A second handle on the same state, as another process would have. */
  readonly other: () => Promise<StateStore>;
  readonly cleanup: () => Promise<void>;
}

export function stateOf(serial: number, description = `v${serial}`, lineage = "11111111-2222-3333-4444-555555555555"): State {
  return {
    version: 1,
    serial,
    lineage,
    fabrics: [
      {
        name: "f",
        teamName: "t",
        description,
        team: { members: ["alice@example.com"], reviewers: [] },
        secretProviders: { default: "env" },
        trustedHosts: [],
        connections: [],
      },
    ],
  };
}

export function describeStateStoreContract(name: string, make: () => Promise<StoreUnderTest>): void {
  const withStore = (body: (t: StoreUnderTest) => Promise<void>) => async () => {
    const t = await make();
    try {
      await body(t);
    } finally {
      await t.store.close();
      await t.cleanup();
    }
  };

  describe(`${name} state store contract`, () => {
    it("reads nothing before the first write, and has no history", withStore(async ({ store }) => {
      expect(await store.read()).toBeUndefined();
      expect(await store.history()).toEqual([]);
      expect(await store.lockHolder()).toBeUndefined();
    }));

    it("writes under the lock, reads back an equal copy (not an alias), and records each write in its history", withStore(async ({ store }) => {
      const lock = await store.lock("apply");
      const first = stateOf(1);
      await store.write(first, lock, undefined, { operation: "apply", planHash: "sha256:aa" });
      await store.write(stateOf(2), lock, { serial: 1, lineage: first.lineage }, { operation: "state push" });
      await store.unlock(lock);
      const read = (await store.read())!;
      expect(read).toEqual(stateOf(2));
      (read.fabrics[0]!.team.members as string[]).push("mallory@example.com");
      expect(await store.read()).toEqual(stateOf(2));
      const history = await store.history();
      expect(history.map((h) => [h.serial, h.lineage, h.operation, h.planHash])).toEqual([
        [1, first.lineage, "apply", "sha256:aa"],
        [2, first.lineage, "state push", undefined],
      ]);
      expect(history[0]!.who).toMatch(/@.+ pid \d+$/);
      expect(Number.isNaN(Date.parse(history[0]!.at))).toBe(false);
    }));

    it("refuses a write whose expected version is not the current one, and changes nothing", withStore(async ({ store }) => {
      const lock = await store.lock("apply");
      await store.write(stateOf(1), lock, undefined, { operation: "apply" });
      await expect(store.write(stateOf(2), lock, undefined, { operation: "apply" })).rejects.toBeInstanceOf(StateConflictError);
      await expect(store.write(stateOf(2), lock, { serial: 7, lineage: stateOf(1).lineage }, { operation: "apply" })).rejects.toBeInstanceOf(StateConflictError);
      await expect(store.write(stateOf(2), lock, { serial: 1, lineage: "another" }, { operation: "apply" })).rejects.toThrow(/lineage another/);
      expect(await store.read()).toEqual(stateOf(1));
      expect(await store.history()).toHaveLength(1);
      await store.unlock(lock);
    }));

    it("tries the lock once: a second taker fails at once with the holder named", withStore(async ({ store, other }) => {
      const held = await store.lock("apply");
      const second = await other();
      try {
        const error = await second.lock("apply").catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StateLockedError);
        expect((error as StateLockedError).holder).toMatchObject({ id: held.id, who: held.who, operation: "apply" });
        expect((error as Error).message).toContain(`lock ID ${held.id}`);
        expect(await second.lockHolder()).toMatchObject({ id: held.id, operation: "apply" });
      } finally {
        await second.close();
      }
      await store.unlock(held);
      expect(await store.lockHolder()).toBeUndefined();
    }));

    it("refuses to write without holding the lock", withStore(async ({ store }) => {
      const held = await store.lock("apply");
      await store.forceUnlock(held.id);
      await expect(store.write(stateOf(1), held, undefined, { operation: "apply" })).rejects.toBeInstanceOf(StateError);
      expect(await store.read()).toBeUndefined();
    }));

    it("force-unlocks only the lock with the given ID, and says whose lock it broke", withStore(async ({ store, other }) => {
      const held = await store.lock("apply");
      const second = await other();
      try {
        await expect(second.forceUnlock("not-the-id")).rejects.toThrow(`locked under ID ${held.id}, not not-the-id`);
        expect(await second.forceUnlock(held.id)).toMatchObject({ id: held.id, who: held.who, operation: "apply" });
        await expect(second.forceUnlock(held.id)).rejects.toThrow(/is not locked/);
        const next = await second.lock("apply");
        await second.unlock(next);
      } finally {
        await second.close();
      }
    }));

    it("a second handle sees what the first wrote", withStore(async ({ store, other }) => {
      const lock = await store.lock("apply");
      await store.write(stateOf(1), lock, undefined, { operation: "apply" });
      await store.unlock(lock);
      const second = await other();
      try {
        expect(await second.read()).toEqual(stateOf(1));
        const next = await second.lock("apply");
        await second.write(stateOf(2), next, { serial: 1, lineage: stateOf(1).lineage }, { operation: "apply" });
        await second.unlock(next);
      } finally {
        await second.close();
      }
      expect(await store.read()).toEqual(stateOf(2));
      const lock2 = await store.lock("apply");
      await expect(store.write(stateOf(2, "stale"), lock2, { serial: 1, lineage: stateOf(1).lineage }, { operation: "apply" })).rejects.toBeInstanceOf(StateConflictError);
      await store.unlock(lock2);
    }));
  });
}
