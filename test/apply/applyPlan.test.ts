// The apply engine: the verification check's veto, the one write of a run without a target, and, with
// a target, steps in dependency order, each success recorded, failures skipping what depends on them,
// and checkpoints that leave the state equal to what the target holds. The target here is a recording
// one written for these tests: it stands for no outside system, only for the ApplyTarget seam.
import { describe, expect, it } from "vitest";
import { errorAt, warningAt } from "../../src/diagnostics/diagnostic.js";
import { applyPlan, savedPlanProblem, type ApplyCheck, type ApplyOptions } from "../../src/apply/applyPlan.js";
import type { ApplyStep, ApplyTarget, StepOutcome } from "../../src/apply/applyTarget.js";
import { planSteps } from "../../src/apply/applySteps.js";
import { diffFabrics } from "../../src/plan/diffFabrics.js";
import type { Plan } from "../../src/plan/plan.js";
import type { State } from "../../src/state/stateStore.js";
import { withStateLock } from "../../src/state/withStateLock.js";
import { MemoryStateStore } from "../state/memoryStateStore.js";
import { gmail, sendgrid } from "../plan/configFixture.js";
import { configsOf } from "../plan/modelFixture.js";

const desired = configsOf([{ name: "marketing-prod", team: "marketing", connections: [gmail(), sendgrid()] }]);

function apply(store: MemoryStateStore, plan: Plan, prior: State | undefined, options: ApplyOptions = {}) {
  return withStateLock(store, "apply", { timeoutMs: 0 }, (lock) => applyPlan(plan, prior, store, lock, options));
}

const label = (s: ApplyStep) => (s.kind === "fabric" ? `${s.action} ${s.fabric}` : `${s.action} ${s.fabric}/${s.connection}`);

const token = { kind: "env", subKind: "text", type: "secret", properties: { name: "PROPHECY_TOKEN" } } as const;

/** Carries out nothing remote: says which steps it was given, fails the ones named, records an id per fabric. */
class RecordingTarget implements ApplyTarget {
  readonly seen: string[] = [];
  constructor(private readonly failing: ReadonlySet<string> = new Set()) {}
  describe() {
    return "a recording target";
  }
  async refresh(applied: State | undefined) {
    return { state: applied, drift: [], unknownOutcomes: [] };
  }
  async apply(step: ApplyStep, context: Parameters<ApplyTarget["apply"]>[1]): Promise<StepOutcome> {
    this.seen.push(label(step));
    if (this.failing.has(label(step))) return { ok: false, message: `refused ${label(step)}` };
    if (step.kind === "fabric" && step.action === "create") {
      const fabrics = { ...context.state().targets?.prophecy?.fabrics, [step.fabric]: { id: String(this.seen.length) } };
      await context.recordTargets((t) => ({ ...t, prophecy: { url: "https://prophecy.invalid", token, tokenSecrets: { default: "env" }, fabrics: { ...t?.prophecy?.fabrics, ...fabrics } } }), { durable: true });
    }
    return { ok: true };
  }
  async close() {}
}

describe("applyPlan without a target", () => {
  it("records the plan's configs as serial 1 of a new lineage, then serial 2 of the same, with one write and a history entry each", async () => {
    const store = new MemoryStateStore();
    expect((await apply(store, diffFabrics(desired), undefined)).kind).toBe("applied");
    const s1 = (await store.read())!;
    expect(s1).toMatchObject({ version: 1, serial: 1, fabrics: desired });
    const changed = configsOf([{ name: "marketing-prod", team: "marketing", connections: [gmail()] }]);
    expect((await apply(store, diffFabrics(changed, s1), s1)).kind).toBe("applied");
    expect(await store.read()).toMatchObject({ serial: 2, lineage: s1.lineage, fabrics: changed });
    expect(store.written).toHaveLength(2);
    expect((await store.history()).map((h) => [h.serial, h.operation, h.planHash?.slice(0, 7)])).toEqual([[1, "apply", "sha256:"], [2, "apply", "sha256:"]]);
  });

  it("runs the check under the lock with the plan and the prior state; an error vetoes and nothing is written", async () => {
    const store = new MemoryStateStore();
    let seen: { plan: Plan; prior: State | undefined; locked: boolean } | undefined;
    const plan = diffFabrics(desired);
    const veto: ApplyCheck = async (p, prior) => {
      seen = { plan: p, prior, locked: (await store.lockHolder()) !== undefined };
      return [errorAt({}, "verify.auth-failed", "marketing-prod/gmail-alerts: authentication failed (535)")];
    };
    expect(await apply(store, plan, undefined, { check: veto })).toEqual({ kind: "vetoed", diagnostics: [expect.objectContaining({ code: "verify.auth-failed" })] });
    expect(seen).toEqual({ plan, prior: undefined, locked: true });
    expect(await store.read()).toBeUndefined();
  });

  it("records the plan when the check returns only warnings, and hands them back", async () => {
    const outcome = await apply(new MemoryStateStore(), diffFabrics(desired), undefined, { check: async () => [warningAt({}, "verify.slow", "slow greeting")] });
    expect(outcome.kind === "applied" && outcome.diagnostics.map((d) => d.code)).toEqual(["verify.slow"]);
  });

  it("does not run the check, nor write, when nothing changes", async () => {
    const store = new MemoryStateStore();
    await apply(store, diffFabrics(desired), undefined);
    const s1 = (await store.read())!;
    let ran = false;
    expect((await apply(store, diffFabrics(desired, s1), s1, { check: async () => ((ran = true), []) })).kind).toBe("unchanged");
    expect(ran).toBe(false);
    expect(store.written).toHaveLength(1);
  });
});

describe("applyPlan with a target", () => {
  const prodAndStaging = configsOf([
    { name: "marketing-prod", team: "marketing", connections: [gmail(), sendgrid()] },
    { name: "marketing-staging", team: "marketing", connections: [gmail()] },
  ]);

  it("creates each fabric before its connections, records the target's ids, and ends with the desired configs", async () => {
    const store = new MemoryStateStore();
    const target = new RecordingTarget();
    const outcome = await apply(store, diffFabrics(prodAndStaging), undefined, { target, parallelism: 1 });
    expect(outcome.kind).toBe("applied");
    const prod = target.seen.filter((s) => s.includes("marketing-prod"));
    expect(prod).toEqual(["create marketing-prod", "create marketing-prod/gmail-alerts", "create marketing-prod/sendgrid-campaigns"]);
    const state = (await store.read())!;
    expect(state.fabrics).toEqual(prodAndStaging);
    expect(Object.keys(state.targets!.prophecy!.fabrics).sort()).toEqual(["marketing-prod", "marketing-staging"]);
    // Durable records before going on: at least one write per fabric created, each a serial more.
    expect(store.written.length).toBeGreaterThanOrEqual(2);
    expect(store.written.map((s) => s.serial)).toEqual(store.written.map((_s, i) => i + 1));
  });

  it("records only what was done: a failed fabric skips its connections, a failed connection leaves the others", async () => {
    const store = new MemoryStateStore();
    const target = new RecordingTarget(new Set(["create marketing-staging", "create marketing-prod/sendgrid-campaigns"]));
    const outcome = await apply(store, diffFabrics(prodAndStaging), undefined, { target });
    expect(outcome.kind).toBe("partial");
    const results = outcome.kind === "partial" ? outcome.steps.map((s) => `${s.result} ${label(s.step)}`).sort() : [];
    expect(results).toEqual([
      "done create marketing-prod",
      "done create marketing-prod/gmail-alerts",
      "failed create marketing-prod/sendgrid-campaigns",
      "failed create marketing-staging",
      "skipped create marketing-staging/gmail-alerts",
    ]);
    const state = (await store.read())!;
    expect(state.fabrics.map((f) => [f.name, f.connections.map((c) => c.name)])).toEqual([["marketing-prod", ["gmail-alerts"]]]);
    // The next apply, planned against what was recorded, carries out only what is left.
    const again = new RecordingTarget();
    expect((await apply(store, diffFabrics(prodAndStaging, state), state, { target: again })).kind).toBe("applied");
    expect(again.seen.sort()).toEqual(["create marketing-prod/sendgrid-campaigns", "create marketing-staging", "create marketing-staging/gmail-alerts"]);
    expect((await store.read())!.fabrics).toEqual(prodAndStaging);
  });

  it("splits a connection replacement into a delete, then a create, in their phases", () => {
    const prior: State = { version: 1, serial: 1, lineage: "l", fabrics: desired };
    const retyped = desired.map((f) => ({ ...f, connections: f.connections.map((c) => (c.name === "gmail-alerts" ? { ...c, kind: "imap" as "smtp" } : c)) }));
    const [group] = planSteps(diffFabrics(retyped, prior), prior);
    expect(group!.phases.map((phase) => phase.map(label))).toEqual([["delete marketing-prod/gmail-alerts"], ["create marketing-prod/gmail-alerts"]]);
  });

  it("skips the create and the connections of a replaced fabric whose delete failed", async () => {
    const store = new MemoryStateStore();
    await apply(store, diffFabrics(desired), undefined, { target: new RecordingTarget() });
    const prior = (await store.read())!;
    const moved = configsOf([{ name: "marketing-prod", team: "finance", connections: [gmail(), sendgrid()] }]);
    const failing = new RecordingTarget(new Set(["delete marketing-prod"]));
    const outcome = await apply(store, diffFabrics(moved, prior), prior, { target: failing });
    expect(failing.seen).toEqual(["delete marketing-prod"]);
    expect(outcome.kind === "partial" && outcome.steps.map((s) => s.result)).toEqual(["failed", "skipped", "skipped", "skipped"]);
    expect((await store.read())!.fabrics).toEqual(desired);
  });

  it("replaces a fabric whose team changes: delete (with its connections), create, then its connections", async () => {
    const store = new MemoryStateStore();
    await apply(store, diffFabrics(desired), undefined, { target: new RecordingTarget() });
    const prior = (await store.read())!;
    const moved = configsOf([{ name: "marketing-prod", team: "finance", connections: [gmail(), sendgrid()] }]);
    const plan = diffFabrics(moved, prior);
    expect(plan.fabrics[0]).toMatchObject({ action: "replace", replaceReason: "a fabric's team cannot change once created" });
    expect(plan.fabrics[0]!.connections.map((c) => c.action)).toEqual(["replace", "replace"]);
    const target = new RecordingTarget();
    await apply(store, plan, prior, { target, parallelism: 1 });
    expect(target.seen).toEqual(["delete marketing-prod", "create marketing-prod", "create marketing-prod/gmail-alerts", "create marketing-prod/sendgrid-campaigns"]);
    expect((await store.read())!.fabrics).toEqual(moved);
  });

  it("ends with the same state as a run without a target, whatever the plan", async () => {
    const start = configsOf([
      { name: "a", team: "marketing", connections: [gmail(), sendgrid()] },
      { name: "b", team: "marketing", connections: [gmail()] },
    ]);
    const next = configsOf([
      { name: "a", team: "finance", connections: [gmail({ port: 465 })] },
      { name: "c", team: "marketing", connections: [sendgrid()] },
    ]);
    const viaTarget = new MemoryStateStore();
    const plain = new MemoryStateStore();
    for (const store of [viaTarget, plain]) await apply(store, diffFabrics(start), undefined, store === viaTarget ? { target: new RecordingTarget() } : {});
    for (const store of [viaTarget, plain]) {
      const prior = (await store.read())!;
      await apply(store, diffFabrics(next, prior), prior, store === viaTarget ? { target: new RecordingTarget() } : {});
    }
    expect((await viaTarget.read())!.fabrics).toEqual((await plain.read())!.fabrics);
  });
});

describe("savedPlanProblem", () => {
  it("accepts a plan made against the state as it is, and refuses one whose state moved on or whose changes were edited", async () => {
    const store = new MemoryStateStore();
    await apply(store, diffFabrics(desired), undefined);
    const s1 = (await store.read())!;
    const changed = configsOf([{ name: "marketing-prod", team: "marketing", connections: [gmail()] }]);
    const plan = diffFabrics(changed, s1);
    expect(savedPlanProblem(plan, s1, "memory")).toBeUndefined();
    expect(savedPlanProblem(plan, { ...s1, serial: 2 }, "memory")).toMatch(/has moved on since the plan was made \(serial 1, now 2\)/);
    expect(savedPlanProblem(plan, undefined, "memory")).toMatch(/does not exist/);
    expect(savedPlanProblem({ ...plan, summary: { ...plan.summary, destinationChanges: 0, connections: { add: 0, change: 0, destroy: 0 } } }, s1, "memory")).toMatch(/was edited/);
  });
});
