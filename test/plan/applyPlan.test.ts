// applyPlan's seam for verification: a check that runs under the lock before anything is recorded,
// sees the plan and the state it was made on, and can veto with diagnostics.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { errorAt, warningAt } from "../../src/diagnostics/diagnostic.js";
import { applyPlan, type ApplyCheck } from "../../src/plan/applyPlan.js";
import { diffFabrics } from "../../src/plan/diffFabrics.js";
import type { Plan } from "../../src/plan/plan.js";
import { LocalStateStore } from "../../src/state/localStateStore.js";
import type { State } from "../../src/state/stateStore.js";
import { withStateLock } from "../../src/state/withStateLock.js";
import { tempDir } from "../helpers/cli.js";
import { gmail, sendgrid } from "./configFixture.js";
import { configsOf } from "./modelFixture.js";

let dir: string;
let cleanup: () => void;
let store: LocalStateStore;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  store = new LocalStateStore(join(dir, "state.json"));
});
afterEach(() => cleanup());

const desired = configsOf([{ name: "marketing-prod", team: "marketing", connections: [gmail(), sendgrid()] }]);
const apply = (plan: Plan, check?: ApplyCheck) => withStateLock(store, "apply", 0, (lock) => applyPlan(plan, store, lock, { check }));

describe("applyPlan", () => {
  it("records the plan's configs as serial 1 of a new lineage, then serial 2 of the same", async () => {
    const first = await apply(diffFabrics(desired));
    expect(first.kind).toBe("applied");
    const s1 = (await store.read())!;
    expect(s1).toMatchObject({ version: 1, serial: 1, fabrics: desired });
    const changed = configsOf([{ name: "marketing-prod", team: "marketing", connections: [gmail()] }]);
    expect((await apply(diffFabrics(changed, s1))).kind).toBe("applied");
    expect(await store.read()).toMatchObject({ serial: 2, lineage: s1.lineage, fabrics: changed });
  });

  it("runs the check under the lock with the plan and the prior state; an error vetoes and nothing is written", async () => {
    let seen: { plan: Plan; prior: State | undefined; locked: boolean } | undefined;
    const plan = diffFabrics(desired);
    const veto: ApplyCheck = async (p, prior) => {
      seen = { plan: p, prior, locked: existsSync(join(dir, "state.json.lock")) };
      return [errorAt({}, "verify.auth-failed", "marketing-prod/gmail-alerts: authentication failed (535)")];
    };
    const outcome = await apply(plan, veto);
    expect(outcome).toEqual({ kind: "vetoed", diagnostics: [expect.objectContaining({ code: "verify.auth-failed" })] });
    expect(seen).toEqual({ plan, prior: undefined, locked: true });
    expect(await store.read()).toBeUndefined();
  });

  it("records the plan when the check returns only warnings, and hands them back", async () => {
    const outcome = await apply(diffFabrics(desired), async () => [warningAt({}, "verify.slow", "slow greeting")]);
    expect(outcome.kind).toBe("applied");
    expect(outcome.kind === "applied" && outcome.diagnostics.map((d) => d.code)).toEqual(["verify.slow"]);
  });

  it("does not run the check, nor write, when nothing changes", async () => {
    await apply(diffFabrics(desired));
    const s1 = (await store.read())!;
    let ran = false;
    const outcome = await apply(diffFabrics(desired, s1), async () => ((ran = true), []));
    expect(outcome.kind).toBe("unchanged");
    expect(ran).toBe(false);
    expect((await store.read())!.serial).toBe(1);
  });
});
