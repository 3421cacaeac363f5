// The registry of diagnostic codes (src/diagnostics/codes.ts) against the code that emits them and the
// docs that print them: every code src/ can emit is registered, every registered code is emitted
// somewhere, and docs/cli.md's table is the registry.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnosticCodes } from "../../src/diagnostics/codes.js";
import { failureClasses } from "../../src/smtp/verifyResult.js";
import { renderCodesTable, tableIn } from "../../scripts/diagnostic-codes.mjs";
import { repoRoot } from "../helpers/cli.js";
import { emittedCodes } from "../helpers/emittedCodes.js";

/** The keywords whose ajv errors checkSchema names in a `default:` branch as `schema.<keyword>`. */
function unnamedSchemaKeywords(): string[] {
  // What the generated validator can report is the source of truth for which keywords reach checkSchema.
  const validator = readFileSync(join(repoRoot, "src", "generated", "validateFabricate.js"), "utf8");
  const reported = new Set([...validator.matchAll(/keyword:"(\w+)"/g)].map((m) => m[1]!));
  const named = new Set([...readFileSync(join(repoRoot, "src", "config", "checkSchema.ts"), "utf8").matchAll(/case "(\w+)":/g)].map((m) => m[1]!));
  // errorMessage (ajv-errors) wraps the error it replaces, which checkSchema unwraps and names.
  return [...reported].filter((k) => k !== "errorMessage" && !named.has(k)).sort();
}

/**
 * Templates whose members the types cannot tell, keyed by their text in src/, with their source of truth.
 * verifyDiagnostics filters out the `ok` results before it builds `verify.<result>`, which the result's
 * type does not show; ajv's `keyword` is a plain string.
 */
const families = {
  "`verify.${r.result}`": failureClasses.map((c) => `verify.${c}`),
  "`schema.${e.keyword}`": unnamedSchemaKeywords().map((k) => `schema.${k}`),
};

// The demo's stand-ins are not product code, and src/generated/ is ajv's and json-schema-to-typescript's.
const scanned = emittedCodes(repoRoot, families, ["src/generated", "src/demo"]);

describe("the registry of diagnostic codes", () => {
  it("follows every code src/ emits back to its strings", () => {
    expect(scanned.unresolved).toEqual([]);
    expect([...scanned.familiesUsed].sort()).toEqual(Object.keys(families).sort());
  });

  it("registers every code src/ emits", () => {
    const unregistered = [...scanned.codes].filter(([code]) => !(code in diagnosticCodes)).map(([code, at]) => `${code} (${at.join(", ")})`);
    expect(unregistered).toEqual([]);
  });

  it("registers only codes src/ emits", () => {
    expect(Object.keys(diagnosticCodes).filter((code) => !scanned.codes.has(code))).toEqual([]);
  });

  it("gives every code one line of meaning", () => {
    for (const [code, meaning] of Object.entries(diagnosticCodes)) {
      expect(code, code).toMatch(/^[a-z]+(\.[A-Za-z0-9_-]+)?$/);
      expect(meaning, code).toMatch(/^\S.*[^.\s]$/);
      expect(meaning, code).not.toMatch(/\n/);
    }
  });

  it("is the table docs/cli.md prints (npm run docs:codes writes it)", () => {
    const table = tableIn(readFileSync(join(repoRoot, "docs", "cli.md"), "utf8"));
    expect(table).toBe(renderCodesTable(diagnosticCodes));
  });
});
