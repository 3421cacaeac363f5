// A plan value as the config writes it, in YAML's flow style: exactly what yaml's stringify gives with
// the options below. yaml builds a document for every value, which cost 1.6 s of the 100,000-connection
// apply's printed plan (a million values), so the values that are plain beyond doubt (words, host names,
// addresses, safe integers, booleans, lists of them) are written here, and only the others go to yaml,
// loaded when first needed. test/plan/flowValue.test.ts holds the two to the same text.
import { createRequire } from "node:module";
import type { PlanScalar, PlanValue } from "./plan.js";

const options = { collectionStyle: "flow", flowCollectionPadding: false, lineWidth: 0 } as const;

let yamlStringify: typeof import("yaml").stringify | undefined;

function byYaml(value: PlanValue): string {
  yamlStringify ??= (createRequire(import.meta.url)("yaml") as typeof import("yaml")).stringify;
  return yamlStringify(value, options).trimEnd();
}

// Starts with a letter (so no number, and no indicator YAML would quote), then only characters that
// never need quoting in a flow collection (no comma, bracket, brace, quote or '#'), with a space or a
// colon only before another of them (so never ": ", " #" or one at the end).
const plainWord = /^[A-Za-z](?:[A-Za-z0-9._@/+-]|[ :](?=[A-Za-z0-9._@/+-]))*$/;
// The words YAML's core schema reads as something other than a string.
const nonStrings = new Set(["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"]);

/** The scalar written plain, or undefined when yaml decides. */
function plainScalar(value: PlanScalar): string | undefined {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : undefined;
  return plainWord.test(value) && !nonStrings.has(value) ? value : undefined;
}

export function flowValue(value: PlanValue): string {
  if (!Array.isArray(value)) return plainScalar(value) ?? byYaml(value);
  const items: string[] = [];
  for (const item of value) {
    const plain = plainScalar(item);
    if (plain === undefined) return byYaml(value);
    items.push(plain);
  }
  return `[${items.join(", ")}]`;
}
