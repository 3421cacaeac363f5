// The documents fabricate reads back from files (saved plans, synth manifests, fabric configs) are told
// wrong without being quoted. ajv's instancePath could name a key of the file only where a schema
// validates keys it does not declare; these schemas must never do so, or a key could be echoed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeSchemaError, parseJson } from "../../src/json/untrustedJson.js";
import validatePlan from "../../src/generated/validatePlan.js";
import { repoRoot } from "../helpers/cli.js";

/** Every place in a schema that would validate (and so could name) a key the schema does not declare. */
function keysValidatedUndeclared(node: unknown, path: string, out: string[] = []): string[] {
  if (node === null || typeof node !== "object") return out;
  for (const [key, value] of Object.entries(node)) {
    if (["patternProperties", "propertyNames", "unevaluatedProperties", "dependentSchemas"].includes(key)) out.push(`${path}/${key}`);
    if (key === "additionalProperties" && typeof value !== "boolean") out.push(`${path}/${key}`);
    keysValidatedUndeclared(value, `${path}/${key}`, out);
  }
  return out;
}

describe("schemas of documents read back from files", () => {
  it.each(["plan.schema.json", "synth-manifest.schema.json", "fabric-config.schema.json"])("%s validates no undeclared key", (file) => {
    const schema: unknown = JSON.parse(readFileSync(join(repoRoot, "schemas", file), "utf8"));
    expect(keysValidatedUndeclared(schema, "#")).toEqual([]);
  });
});

describe("parseJson and describeSchemaError", () => {
  const secret = "ghp_canaryUntrustedJson2Lp";

  it("says only that a text is not JSON", () => {
    expect(parseJson(Buffer.from(`token = ${secret}`))).toEqual({ ok: false });
    expect(parseJson(Buffer.from("null"))).toEqual({ ok: true, value: null });
  });

  it("names a path and what the schema wanted, never a value or an undeclared key", () => {
    expect(validatePlan({ formatVersion: secret, [secret]: secret })).toBe(false);
    const said = describeSchemaError(validatePlan.errors);
    expect(said).toMatch(/^\/\S* /);
    expect(said).not.toContain(secret);
    expect(validatePlan.errors!.map((e) => `${e.instancePath} ${e.message}`).join("\n")).not.toContain(secret);
  });
});
