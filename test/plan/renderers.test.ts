import Ajv2020 from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffFabrics } from "../../src/plan/diffFabrics.js";
import type { State } from "../../src/state/stateStore.js";
import type { FabricConfig } from "../../src/synth/fabricConfig.js";
import { repoRoot } from "../helpers/cli.js";
import { planRenderers } from "../helpers/planRenderers.js";
import { gmail, sendgrid, type FabricSpec } from "./configFixture.js";
import { configsOf } from "./modelFixture.js";

const marketing = (connections: FabricSpec["connections"], description?: string): FabricSpec => ({ name: "marketing-prod", team: "marketing", description, connections });
const applied: State = { version: 1, serial: 7, lineage: "lineage-a", fabrics: configsOf([marketing([gmail(), sendgrid()])]) };
const changed = diffFabrics(configsOf([marketing([gmail({ port: 2525 }), sendgrid({ secret: "SENDGRID_API_KEY_V2" })], "Renamed")]), applied);
const unchanged = diffFabrics(applied.fabrics, applied);

describe("text plan", () => {
  it("prints marked lines and ends with the summary lines", () => {
    const text = planRenderers.text(changed);
    expect(text).toContain("  ~ fabric marketing-prod (team marketing)\n");
    expect(text).toContain("      ~ description: The marketing-prod fabric -> Renamed\n");
    expect(text).toContain("          ! new destination: env:GMAIL_ALERTS_PASSWORD would be sent to smtp.gmail.com:2525 (until now: smtp.gmail.com:587)\n");
    expect(text).toContain("          ~ password: env:SENDGRID_API_KEY -> env:SENDGRID_API_KEY_V2 (secret reference changed; secret values are never shown)\n");
    expect(text.endsWith("Fabrics: 0 to add, 1 to change, 0 to destroy.\nPlan: 0 to add, 2 to change, 0 to destroy.\n")).toBe(true);
    expect(text).not.toContain("\x1b[");
  });

  it("colours the lines only when asked (the CLI asks on a terminal without NO_COLOR)", () => {
    const text = planRenderers.text(changed, { color: true });
    expect(text).toContain("\x1b[33m");
    expect(text).toContain("\x1b[1;35m");
  });

  it("says No changes. and nothing else when nothing changes", () => {
    expect(planRenderers.text(unchanged)).toBe("No changes.\n");
  });
});

describe("plans in the config's language", () => {
  const [fabric] = configsOf([marketing([sendgrid()])]);
  const withExec = (timeoutMs: number): FabricConfig => ({ ...fabric!, secretProviders: { default: "exec", exec: { command: ["op", "read"], timeoutMs } } });
  const prior: State = { version: 1, serial: 1, lineage: "l", fabrics: [withExec(10_000)] };
  const plan = diffFabrics([{ ...withExec(90_000), connections: configsOf([marketing([sendgrid(), gmail()])])[0]!.connections }], prior);

  it("names fields and writes values as the YAML does: durations as written, strings plain unless YAML would read them otherwise", () => {
    const text = planRenderers.text(plan);
    expect(text).toContain("      ~ secrets.exec.timeout: 10s -> 1m30s\n");
    expect(text).toContain("          + url: smtp.gmail.com\n          + port: 587\n          + tls: starttls\n          + username: alerts@example.com\n");
    expect(text).not.toContain("timeoutMs");
    const quoted = diffFabrics([{ ...fabric!, description: "587" }], { ...prior, fabrics: [fabric!] });
    expect(planRenderers.text(quoted)).toContain('~ description: The marketing-prod fabric -> "587"\n');
  });

  it("keeps what synth derives (capabilities, isDefaultWarehouseConnection, fingerprint) to the json plan", () => {
    const derived = /capabilities|isDefaultWarehouseConnection|fingerprint/;
    expect(planRenderers.text(plan)).not.toMatch(derived);
    expect(planRenderers.markdown(plan)).not.toMatch(derived);
    const json = JSON.parse(planRenderers.json(plan)) as { fabrics: { connections: { name: string; fields: { field: string }[] }[] }[] };
    const created = json.fabrics[0]!.connections.find((c) => c.name === "gmail-alerts")!.fields.map((f) => f.field);
    expect(created).toEqual(expect.arrayContaining(["capabilities.emailStep", "isDefaultWarehouseConnection", "fingerprint"]));
    expect(created.slice(-5)).toEqual(["capabilities.emailStep", "capabilities.environmentBrowser", "capabilities.source", "fingerprint", "isDefaultWarehouseConnection"]);
  });
});

describe("json plan", () => {
  const schema = (name: string) => JSON.parse(readFileSync(join(repoRoot, "schemas", name), "utf8")) as object;
  // The plan's target names the token as the fabric configs name a secret: by $ref to their schema.
  const validate = new Ajv2020.default({ strict: true, allErrors: true }).addSchema(schema("fabric-config.schema.json")).compile(schema("plan.schema.json"));

  it.each([
    ["a plan with changes", changed],
    ["a plan without changes", unchanged],
    ["a plan against no state", diffFabrics(applied.fabrics)],
  ])("is valid against schemas/plan.schema.json (%s)", (_name, plan) => {
    const json = planRenderers.json(plan);
    const value = JSON.parse(json) as unknown;
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  });

  it("is canonical JSON of the plan value", () => {
    const json = planRenderers.json(changed);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(changed)));
    expect(json.indexOf('"configHash"')).toBeLessThan(json.indexOf('"desired"'));
    expect(json.endsWith("}\n")).toBe(true);
  });

  it("is refused by the schema when a field is misspelt", () => {
    const value = JSON.parse(planRenderers.json(changed)) as Record<string, unknown>;
    value.sumary = value.summary;
    delete value.summary;
    expect(validate(value)).toBe(false);
  });
});

describe("markdown plan", () => {
  it("keeps a plan too long for one GitHub comment under the limit, still warning of every new destination", () => {
    const many = Array.from({ length: 400 }, (_, i) => gmail({ name: `gmail-${String(i).padStart(3, "0")}` }));
    const before: State = { version: 1, serial: 1, lineage: "l", fabrics: configsOf([marketing(many)]) };
    const plan = diffFabrics(configsOf([marketing(many.map((c) => ({ ...c, port: 2525 })))]), before);
    const markdown = planRenderers.markdown(plan);
    expect(markdown.length).toBeLessThan(65_536);
    expect(markdown).not.toContain("<details>");
    expect(markdown).toContain("_The plan is too long for one comment: the changes of 1 fabric(s) are left out here. Run `fabricate plan` or see the job summary for the full plan._");
    expect(markdown).toContain("**400 connections would send a password to a new server.**");
    expect(markdown).toContain("> - `marketing-prod/gmail-399`: `env:GMAIL_ALERTS_PASSWORD` would be sent to `smtp.gmail.com:2525` (until now: `smtp.gmail.com:587`)");
    expect(markdown.endsWith("\nPlan: 0 to add, 400 to change, 0 to destroy.\n")).toBe(true);
  });

  it.each([
    [10_000, 100, false],
    [100_000, 1_000, true],
  ])("stays under the budget at %i connections (%i fabrics), every warning and whole table rows kept", (connections, fabricCount, summarised) => {
    const per = connections / fabricCount;
    // Every connection changes its username; the first of three fabrics also moves to a new port.
    const specs = (changed: boolean) =>
      Array.from({ length: fabricCount }, (_, f) => ({
        name: `fabric-${String(f).padStart(4, "0")}`,
        team: f % 2 === 0 ? "marketing" : "finance",
        connections: Array.from({ length: per }, (_, c) =>
          gmail({ name: `smtp-${String(c).padStart(3, "0")}`, secret: `PASSWORD_${f}_${c}`, port: changed && c === 0 && f < 3 ? 2525 : 587, username: changed ? `new-${c}@example.com` : `old-${c}@example.com` }),
        ),
      }));
    const before: State = { version: 1, serial: 1, lineage: "l", fabrics: configsOf(specs(false)) };
    const after = configsOf(specs(true));
    const plan = diffFabrics(after, before);
    const markdown = planRenderers.markdown(plan);
    expect(markdown.length).toBeLessThanOrEqual(60_000);
    // Every new destination is warned of, whatever was folded.
    for (let f = 0; f < 3; f++) expect(markdown).toContain(`> - \`fabric-000${f}/smtp-000\`: \`env:PASSWORD_${f}_0\` would be sent to \`smtp.gmail.com:2525\``);
    // Table rows are whole: every line of the table has its five cells.
    for (const row of markdown.split("\n").filter((l) => l.startsWith("| `fabric-"))) expect(row.split(" | ")).toHaveLength(5);
    // Details are folded first; only when the rows themselves do not fit are the last fabrics summed up.
    expect(markdown).toMatch(/_The plan is too long for one comment: the changes of \d+ fabric\(s\)/);
    expect(/\| … \d+ more fabric\(s\) \| \| \| \d+ to change \| \|/.test(markdown)).toBe(summarised);
    expect(markdown.endsWith(`\nPlan: 0 to add, ${connections} to change, 0 to destroy.\n`)).toBe(true);
    // A larger budget shows more.
    expect(planRenderers.markdown(plan, { markdownLimit: 200_000 }).length).toBeGreaterThan(markdown.length);
  });

  it("folds each fabric's changes into <details> when they fit", () => {
    const markdown = planRenderers.markdown(changed);
    expect(markdown).toContain("<details><summary>Changes to marketing-prod</summary>");
    expect(markdown.endsWith("\nPlan: 0 to add, 2 to change, 0 to destroy.\n")).toBe(true);
  });
});
