import { describe, expect, it } from "vitest";
import { diffFabrics } from "../../src/plan/diffFabrics.js";
import { planHasChanges, summaryLine, type Plan } from "../../src/plan/plan.js";
import type { State } from "../../src/state/stateStore.js";
import type { FabricConfig } from "../../src/synth/fabricConfig.js";
import { gmail, sendgrid, type FabricSpec, type TeamSpec } from "./configFixture.js";
import { configsOf as configs } from "./modelFixture.js";

function stateOf(fabrics: FabricConfig[]): State {
  return { version: 1, serial: 4, lineage: "lineage-a", fabrics };
}

function connection(plan: Plan, fabric: string, name: string) {
  return plan.fabrics.find((f) => f.name === fabric)?.connections.find((c) => c.name === name);
}

const marketing = (connections: FabricSpec["connections"], description?: string): FabricSpec => ({ name: "marketing-prod", team: "marketing", description, connections });

describe("diffFabrics", () => {
  it("plans every fabric and connection as a create when nothing is applied", () => {
    const plan = diffFabrics(configs([marketing([gmail(), sendgrid()])]), undefined, ["fabrics"]);
    expect(plan.prior).toBeUndefined();
    expect(plan.configPaths).toEqual(["fabrics"]);
    expect(plan.fabrics.map((f) => [f.name, f.action])).toEqual([["marketing-prod", "create"]]);
    expect(plan.fabrics[0]!.connections.map((c) => [c.name, c.action])).toEqual([["gmail-alerts", "create"], ["sendgrid-campaigns", "create"]]);
    expect(connection(plan, "marketing-prod", "gmail-alerts")!.fields.slice(0, 5)).toEqual([
      { field: "url", after: "smtp.gmail.com" },
      { field: "port", after: 587 },
      { field: "tls", after: "starttls" },
      { field: "username", after: "alerts@example.com" },
      { field: "password", after: "env:GMAIL_ALERTS_PASSWORD", secretRef: true },
    ]);
    expect(plan.summary).toEqual({ connections: { add: 2, change: 0, destroy: 0 }, fabrics: { add: 1, change: 0, destroy: 0 }, destinationChanges: 0 });
    expect(summaryLine(plan)).toBe("Plan: 2 to add, 0 to change, 0 to destroy.");
  });

  it("plans nothing when the config matches the state, and records the state it was made against", () => {
    const desired = configs([marketing([gmail(), sendgrid()])]);
    const plan = diffFabrics(desired, stateOf(desired));
    expect(plan.prior).toEqual({ serial: 4, lineage: "lineage-a" });
    expect(plan.fabrics[0]!.action).toBe("no-op");
    expect(plan.fabrics[0]!.connections.every((c) => c.action === "no-op" && c.fields.length === 0)).toBe(true);
    expect(planHasChanges(plan)).toBe(false);
    expect(summaryLine(plan)).toBe("No changes.");
  });

  it("shows before → after for each changed field only", () => {
    const applied = configs([marketing([gmail(), sendgrid()])]);
    const plan = diffFabrics(configs([marketing([gmail({ username: "alerts2@example.com" }), sendgrid()])]), stateOf(applied));
    expect(connection(plan, "marketing-prod", "gmail-alerts")).toEqual({
      name: "gmail-alerts",
      kind: "smtp",
      action: "update",
      fields: [
        { field: "username", before: "alerts@example.com", after: "alerts2@example.com" },
        // Derived, so last: in the Plan value (json) only; text and markdown plans leave it out.
        { field: "fingerprint", before: expect.stringMatching(/^sha256:/), after: expect.stringMatching(/^sha256:/) },
      ],
    });
    expect(connection(plan, "marketing-prod", "sendgrid-campaigns")!.action).toBe("no-op");
    expect(summaryLine(plan)).toBe("Plan: 0 to add, 1 to change, 0 to destroy.");
  });

  it("shows a changed secret reference as references, marked as such", () => {
    const applied = configs([marketing([gmail()])]);
    const plan = diffFabrics(configs([marketing([gmail({ secret: "GMAIL_ALERTS_PASSWORD_V2" })])]), stateOf(applied));
    expect(connection(plan, "marketing-prod", "gmail-alerts")!.fields).toEqual([
      { field: "password", before: "env:GMAIL_ALERTS_PASSWORD", after: "env:GMAIL_ALERTS_PASSWORD_V2", secretRef: true },
      { field: "fingerprint", before: expect.any(String), after: expect.any(String) },
    ]);
    expect(connection(plan, "marketing-prod", "gmail-alerts")!.destination).toBeUndefined();
  });

  it.each([
    ["host", { url: "smtp.attacker.example" }, "smtp.attacker.example:587"],
    ["port", { port: 2525 }, "smtp.gmail.com:2525"],
  ])("marks a change of a secret-bearing connection's destination (%s)", (_what, change, after) => {
    const applied = configs([marketing([gmail()])]);
    const plan = diffFabrics(configs([marketing([gmail(change)])]), stateOf(applied));
    expect(connection(plan, "marketing-prod", "gmail-alerts")!.destination).toEqual({ before: "smtp.gmail.com:587", after, secretRefs: ["env:GMAIL_ALERTS_PASSWORD"] });
    expect(plan.summary.destinationChanges).toBe(1);
  });

  it("plans a removed connection as a delete listing what it held, and a removed fabric as a delete of it and its connections", () => {
    const applied = configs([marketing([gmail(), sendgrid()]), { name: "finance-prod", team: "finance", connections: [sendgrid({ name: "invoices" })] }]);
    const plan = diffFabrics(configs([marketing([gmail()])]), stateOf(applied));
    expect(connection(plan, "marketing-prod", "sendgrid-campaigns")!.action).toBe("delete");
    expect(connection(plan, "marketing-prod", "sendgrid-campaigns")!.fields[0]).toEqual({ field: "url", before: "smtp.sendgrid.net" });
    expect(plan.fabrics.find((f) => f.name === "finance-prod")).toMatchObject({ action: "delete", team: "finance", reviewers: ["@acme/finance-data", "@dave"] });
    expect(plan.summary).toEqual({ connections: { add: 0, change: 0, destroy: 2 }, fabrics: { add: 0, change: 0, destroy: 1 }, destinationChanges: 0 });
  });

  it("plans a renamed connection as a delete and a create", () => {
    const applied = configs([marketing([gmail()])]);
    const plan = diffFabrics(configs([marketing([gmail({ name: "gmail-alerts-2" })])]), stateOf(applied));
    expect(plan.fabrics[0]!.connections.map((c) => [c.name, c.action])).toEqual([["gmail-alerts", "delete"], ["gmail-alerts-2", "create"]]);
  });

  it("plans a connection whose kind changes as a replacement, counted as one add and one destroy", () => {
    const desired = configs([marketing([gmail()])]);
    const applied = structuredClone(desired);
    (applied[0]!.connections[0] as { kind: string }).kind = "smtp-legacy";
    const plan = diffFabrics(desired, stateOf(applied));
    const c = connection(plan, "marketing-prod", "gmail-alerts")!;
    expect(c.action).toBe("replace");
    expect(c.replaceReason).toMatch(/kind cannot change/);
    expect(c.fields[0]).toEqual({ field: "kind", before: "smtp-legacy", after: "smtp" });
    expect(plan.summary.connections).toEqual({ add: 1, change: 0, destroy: 1 });
  });

  it("shows fabric-level changes (description, members, reviewers, team) and routes review to old and new reviewers", () => {
    const applied = configs([marketing([gmail()], "Old words")]);
    const teams: TeamSpec[] = [{ name: "marketing", reviewers: ["@acme/new-owners"] }];
    const plan = diffFabrics(configs([marketing([gmail()], "New words")], teams), stateOf(applied));
    const f = plan.fabrics[0]!;
    expect(f.action).toBe("update");
    expect(f.fields).toEqual([
      { field: "description", before: "Old words", after: "New words" },
      { field: "reviewers", before: ["@acme/marketing-platform"], after: ["@acme/new-owners"] },
    ]);
    expect(f.reviewers).toEqual(["@acme/marketing-platform", "@acme/new-owners"]);
    expect(plan.summary.fabrics).toEqual({ add: 0, change: 1, destroy: 0 });
    expect(summaryLine(plan)).toBe("Plan: 0 to add, 0 to change, 0 to destroy.");
    expect(planHasChanges(plan)).toBe(true);
  });

  it("hashes the desired configs, not the state: the same config gives the same hash", () => {
    const a = diffFabrics(configs([marketing([gmail()])]));
    const b = diffFabrics(configs([marketing([gmail()])]), stateOf([]));
    const c = diffFabrics(configs([marketing([gmail({ port: 25 })])]));
    expect(a.configHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.configHash).toBe(a.configHash);
    expect(c.configHash).not.toBe(a.configHash);
  });
});

describe("diffFabrics: secrets going somewhere new", () => {
  const applied = configs([marketing([gmail(), sendgrid()])]);
  const state: State = { version: 1, serial: 1, lineage: "l", fabrics: applied };
  const find = (plan: Plan, name: string) => plan.fabrics.flatMap((f) => f.connections).find((c) => c.name === name)!;

  it("marks a new connection that reuses an applied secret for another server", () => {
    const plan = diffFabrics(configs([marketing([gmail(), sendgrid(), gmail({ name: "exfil", url: "smtp.attacker.example" })])]), state);
    expect(find(plan, "exfil")).toMatchObject({ action: "create", destination: { before: "smtp.gmail.com:587", after: "smtp.attacker.example:587", secretRefs: ["env:GMAIL_ALERTS_PASSWORD"] } });
    expect(plan.summary.destinationChanges).toBe(1);
  });

  it("marks a connection whose reference is swapped for one the state sends elsewhere", () => {
    const plan = diffFabrics(configs([marketing([gmail(), sendgrid({ secret: "GMAIL_ALERTS_PASSWORD" })])]), state);
    expect(find(plan, "sendgrid-campaigns").destination).toEqual({ before: "smtp.gmail.com:587", after: "smtp.sendgrid.net:587", secretRefs: ["env:GMAIL_ALERTS_PASSWORD"] });
  });

  it.each([
    ["a new connection with a new secret", [gmail(), sendgrid(), gmail({ name: "digest", url: "smtp.other.example", secret: "DIGEST_PASSWORD" })]],
    ["a new connection reusing a secret for the server it already goes to", [gmail(), sendgrid(), gmail({ name: "gmail-copy" })]],
    ["a change that keeps the destination", [gmail({ username: "other@example.com" }), sendgrid()]],
  ])("does not mark %s", (_name, connections) => {
    const plan = diffFabrics(configs([marketing(connections)]), state);
    expect(plan.summary.destinationChanges).toBe(0);
    expect(plan.fabrics.flatMap((f) => f.connections).filter((c) => c.destination)).toEqual([]);
  });
});
