// A plan with a target (the config's prophecy block): where the token goes, compared with the applied
// settings; changes made outside fabricate and calls of unknown outcome, before the changes; a fabric
// renamed in Prophecy as a change of its name; and a saved plan refused when any of it moved.
import { describe, expect, it } from "vitest";
import { savedPlanProblem } from "../../src/apply/applyPlan.js";
import { diffFabrics, type TargetInput } from "../../src/plan/diffFabrics.js";
import { planRenderers } from "../helpers/planRenderers.js";
import type { State } from "../../src/state/stateStore.js";
import { fingerprinted, type ConnectionConfig } from "../../src/synth/fabricConfig.js";
import { gmail } from "./configFixture.js";
import { configsOf } from "./modelFixture.js";

const token = { kind: "env", subKind: "text", type: "secret", properties: { name: "PROPHECY_TOKEN" } } as const;
const settings = { url: "https://prophecy.example.com", token, tokenSecrets: { default: "env" as const } };
const desired = configsOf([{ name: "marketing-prod", team: "marketing", connections: [gmail()] }]);
const applied: State = {
  version: 1,
  serial: 3,
  lineage: "l",
  fabrics: desired,
  targets: { prophecy: { ...settings, fabrics: { "marketing-prod": { id: "10000" } } } },
};
const drift: TargetInput["refresh"] = {
  drift: [{ fabric: "marketing-prod", action: "update", fields: [{ field: "name", before: "marketing-prod", after: "mkt" }], reason: 'renamed to "mkt" in Prophecy' }],
  unknownOutcomes: [{ call: "createFabric", fabric: "ops", since: "2026-11-29T10:00:00.000Z", outcome: "unknown", advice: "Import it if Prophecy holds it." }],
  recorded: applied,
};
const nothingFound = { drift: [], unknownOutcomes: [], recorded: applied };

describe("a plan with a target", () => {
  it("marks nothing when the settings are those applied, and says so when it was not refreshed", () => {
    const plan = diffFabrics(desired, applied, [], { settings });
    expect(plan.target).toMatchObject({ name: "Prophecy", url: settings.url, refreshed: false, drift: [], unknownOutcomes: [] });
    expect(plan.target?.destination).toBeUndefined();
    expect(planRenderers.text(plan)).toBe(`Prophecy at ${settings.url} was not read (--refresh=false): the plan compares the config with the state as recorded.\n\nNo changes.\n`);
  });

  it("marks a new URL, naming the token and the values that would go there", () => {
    const plan = diffFabrics(desired, applied, [], { settings: { ...settings, url: "https://elsewhere.example.com" }, refresh: nothingFound });
    expect(plan.target?.destination).toEqual({ before: settings.url, after: "https://elsewhere.example.com", changed: ["url"], secretRefs: ["env:PROPHECY_TOKEN"] });
    expect(planRenderers.text(plan)).toContain(
      "Prophecy at https://elsewhere.example.com:\n  ! new destination: env:PROPHECY_TOKEN would be sent to https://elsewhere.example.com (until now: https://prophecy.example.com; changed: url)\n",
    );
    expect(planRenderers.markdown(plan)).toContain("> [!WARNING]\n> **The Prophecy token would go to an address the applied state does not bind.**");
  });

  it("marks a first push to Prophecy", () => {
    const plan = diffFabrics(desired, undefined, [], { settings, refresh: { ...nothingFound, recorded: undefined } });
    expect(plan.target?.destination).toMatchObject({ before: "nothing applied to Prophecy yet", changed: [] });
  });

  it("shows changes made outside fabricate and unknown outcomes first, and puts a renamed fabric's name back", () => {
    const plan = diffFabrics(desired, applied, [], { settings, refresh: drift });
    expect(plan.fabrics[0]).toMatchObject({ action: "update", fields: [{ field: "name", before: "mkt", after: "marketing-prod" }] });
    expect(plan.summary.fabrics).toEqual({ add: 0, change: 1, destroy: 0 });
    const text = planRenderers.text(plan);
    expect(text).toContain('Changes made outside fabricate (Prophecy holds them; this plan puts them back):\n  ~ fabric marketing-prod: renamed to "mkt" in Prophecy\n      ~ name: marketing-prod -> mkt\n');
    expect(text).toContain("Create calls of an earlier apply whose outcome was unknown:\n  ? create fabric ops (2026-11-29T10:00:00.000Z): outcome still unknown. Import it if Prophecy holds it.\n");
    expect(text.indexOf("Changes made outside")).toBeLessThan(text.indexOf("fabricate will perform"));
    expect(planRenderers.markdown(plan)).toContain("**Changes made outside fabricate (Prophecy holds them; this plan puts them back):**");
  });

  it("keeps a mass change made outside fabricate within a quarter of the markdown budget, cut between whole items", () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({ fabric: `fabric-${i}`, action: "delete" as const, fields: [], reason: "deleted in Prophecy (id 1 is not found)" }));
    const plan = diffFabrics(desired, applied, [], { settings, refresh: { ...nothingFound, drift: many } });
    const markdown = planRenderers.markdown(plan);
    expect(markdown.length).toBeLessThan(60_000);
    const shown = markdown.match(/^- {3}fabric fabric-\d+: deleted in Prophecy/gm)!.length;
    expect(shown).toBeGreaterThan(100);
    expect(markdown).toContain(`    … and ${3000 - shown} more: run \`fabricate plan\` for all of them`);
    expect(planRenderers.text(plan)).toContain("fabric fabric-2999: deleted in Prophecy");
  });

  it("judges new destinations against the state as recorded: putting back a server changed outside fabricate is not one", () => {
    const moved = (c: ConnectionConfig): ConnectionConfig => fingerprinted({ ...c, properties: { ...c.properties, smtpUrl: "smtp.elsewhere.example" } });
    const held: State = { ...applied, fabrics: applied.fabrics.map((f) => ({ ...f, connections: f.connections.map(moved) })) };
    const plan = diffFabrics(desired, held, [], { settings, refresh: nothingFound });
    expect(plan.fabrics[0]!.connections[0]).toMatchObject({ action: "update", fields: expect.arrayContaining([{ field: "url", before: "smtp.elsewhere.example", after: "smtp.gmail.com" }]) });
    expect(plan.fabrics[0]!.connections[0]!.destination).toBeUndefined();
    const towardsIt = diffFabrics(held.fabrics, applied, [], { settings, refresh: nothingFound });
    expect(towardsIt.fabrics[0]!.connections[0]!.destination).toMatchObject({ after: "smtp.elsewhere.example:587" });
  });

  it("refuses a saved plan when the block or what Prophecy holds moved since", () => {
    const plan = diffFabrics(desired, applied, [], { settings, refresh: drift });
    expect(savedPlanProblem(plan, applied, "memory", { settings, refresh: drift })).toBeUndefined();
    expect(savedPlanProblem(plan, applied, "memory", { settings, refresh: nothingFound })).toMatch(/what Prophecy holds has changed since the plan was made/);
    expect(savedPlanProblem(plan, applied, "memory", { settings: { ...settings, url: "https://x.example.com" }, refresh: drift })).toMatch(/prophecy block of the config is not what it was/);
    expect(savedPlanProblem(plan, applied, "memory")).toMatch(/prophecy block of the config is not what it was/);
  });
});
