// docs/configuration.md against schemas/fabricate.schema.json, the format's source of truth: every
// property the schema declares is named in the docs, and every field the docs name exists.
//
// The docs name fields in tables under headings that hold a path in backticks (## `fabrics[].secrets`,
// ## `teams[]` for a list's items);
// a row's first cell names fields relative to that path (`exec.command` there is
// fabrics[].secrets.exec.command, and names fabrics[].secrets.exec too). Rows under "The top level" are
// relative to the file's root. A definition the schema reuses (secretsSettings under fabrics[].secrets and
// prophecy.secrets) is named once, at any of its places.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/cli.js";

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema };

const schema = JSON.parse(readFileSync(join(repoRoot, "schemas", "fabricate.schema.json"), "utf8")) as Schema;
const docs = readFileSync(join(repoRoot, "docs", "configuration.md"), "utf8").replace(/```[\s\S]*?```/g, "");
const rootHeading = "The top level";

function resolve(node: Schema): Schema {
  if (!node.$ref) return node;
  const target = node.$ref.replace("#/", "").split("/").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], schema) as Schema;
  return resolve(target);
}

/** Each declared property: the object schema declaring it (its identity), its name, and every path it has. */
function declared(): Map<Schema, Map<string, string[]>> {
  const out = new Map<Schema, Map<string, string[]>>();
  const walk = (node: Schema, path: string, seen: readonly Schema[]): void => {
    const n = resolve(node);
    if (seen.includes(n)) return;
    if (n.items) walk(n.items, `${path}[]`, [...seen, n]);
    for (const [name, sub] of Object.entries(n.properties ?? {})) {
      const full = path === "" ? name : `${path}.${name}`;
      const props = out.get(n) ?? new Map<string, string[]>();
      props.set(name, [...(props.get(name) ?? []), full]);
      out.set(n, props);
      walk(sub, full, [...seen, n]);
    }
  };
  walk(schema, "", []);
  return out;
}

const schemaPaths = new Set([...declared().values()].flatMap((props) => [...props.values()].flat()));

/** A path and its parents: fabrics[].secrets.exec → fabrics, fabrics[].secrets, fabrics[].secrets.exec. */
function withParents(path: string): string[] {
  const parts = path.split(".");
  return parts.map((_, i) => parts.slice(0, i + 1).join(".").replace(/\[\]$/, ""));
}

/** Every field path the docs' tables name. */
function documented(): Set<string> {
  const named = new Set<string>();
  let base: string | undefined;
  for (const line of docs.split("\n")) {
    const heading = /^#{2,6} (.+)$/.exec(line);
    if (heading) {
      const path = /^`([^`]+)`$/.exec(heading[1]!.trim())?.[1];
      base = heading[1] === rootHeading ? "" : path !== undefined && schemaPaths.has(path.replace(/\[\]$/, "")) ? path : undefined;
      continue;
    }
    const firstCell = /^\| ([^|]+) \|/.exec(line)?.[1];
    if (base === undefined || firstCell === undefined) continue;
    for (const [, name] of firstCell.matchAll(/`([^`]+)`/g)) {
      for (const p of withParents(base === "" ? name! : `${base}.${name}`)) named.add(p);
    }
  }
  return named;
}

describe("docs/configuration.md", () => {
  it("names every property the schema declares", () => {
    const named = documented();
    const missing: string[] = [];
    for (const props of declared().values()) {
      for (const [name, paths] of props) if (!paths.some((p) => named.has(p))) missing.push(`${name} (${paths.join(", ")})`);
    }
    expect(missing).toEqual([]);
  });

  it("names no field the schema does not declare", () => {
    expect([...documented()].filter((p) => !schemaPaths.has(p))).toEqual([]);
  });
});
