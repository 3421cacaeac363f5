// The schema is what editors (yaml-language-server) show users: every field must explain itself.
import Ajv2020 from "ajv/dist/2020.js";
import ajvErrors from "ajv-errors";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

const schema = JSON.parse(readFileSync(join(repoRoot, "schemas", "fabricate.schema.json"), "utf8")) as Record<string, unknown>;

/** Every property schema in the document, with a path for messages. */
function properties(node: unknown, path: string, out: [string, Record<string, unknown>][] = []): [string, Record<string, unknown>][] {
  if (node === null || typeof node !== "object") return out;
  const n = node as Record<string, unknown>;
  for (const [name, sub] of Object.entries((n.properties as Record<string, unknown>) ?? {})) {
    out.push([`${path}.${name}`, sub as Record<string, unknown>]);
    properties(sub, `${path}.${name}`, out);
  }
  for (const [name, sub] of Object.entries((n.$defs as Record<string, unknown>) ?? {})) properties(sub, `$defs.${name}`, out);
  if (n.items) properties(n.items, `${path}[]`, out);
  return out;
}

/** Follows a $ref inside this document. */
function resolved(s: Record<string, unknown>): Record<string, unknown> {
  if (typeof s.$ref !== "string") return s;
  const target = s.$ref.replace("#/", "").split("/").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], schema) as Record<string, unknown>;
  return { ...resolved(target), ...s };
}

describe("schemas/fabricate.schema.json", () => {
  it("compiles in ajv's strict mode and has an $id and a title", () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    ajvErrors(ajv);
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(schema.$id).toMatch(/^https:\/\//);
    expect(schema.title).toBeTruthy();
  });

  it("gives every field a title, a description and examples", () => {
    const missing = properties(schema, "")
      .map(([path, s]) => [path, resolved(s)] as const)
      .filter(([, s]) => !s.title || !s.description || !Array.isArray(s.examples))
      .map(([path]) => path);
    expect(missing).toEqual([]);
  });

  it("says in an errorMessage what every pattern and enum expects, in words rather than a regex", () => {
    const unexplained = properties(schema, "")
      .map(([path, s]) => [path, resolved(s)] as const)
      .filter(([, s]) => (s.pattern !== undefined || s.enum !== undefined) && (typeof s.errorMessage !== "string" || /[\^$\\]|\{\d/.test(s.errorMessage)))
      .map(([path]) => path);
    expect(unexplained).toEqual([]);
  });

  it("covers every field docs/design.md names", () => {
    const paths = properties(schema, "").map(([p]) => p);
    for (const field of ["caFile", "insecure", "tls", "port", "url", "username", "password"]) expect(paths).toContain(`$defs.smtpConnection.${field}`);
    for (const field of ["description", "provider", "secrets", "trustedHosts", "connections"]) expect(paths).toContain(`$defs.fabric.${field}`);
    for (const field of ["members", "reviewers"]) expect(paths).toContain(`$defs.team.${field}`);
  });
});
