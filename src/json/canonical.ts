// Every byte that users diff (synth output, state, saved plans, json renderers) passes through here:
// object keys sorted by code point, two-space indent, a trailing newline. Arrays keep their order;
// the code that builds them orders them. Hashes of values (fingerprints, plan hashes) are taken over
// these bytes too, so that they change exactly when the value does.
import { createHash } from "node:crypto";

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareCodePoints)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      // defineProperty, so that a "__proto__" key stays data instead of replacing the prototype.
      if (key === "__proto__") Object.defineProperty(out, key, { value: sortKeys(v), enumerable: true, writable: true, configurable: true });
      else out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * Code-point order (not locale order): the one order of every name and key fabricate sorts, so that
 * output does not depend on the machine's locale.
 */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + "\n";
}

/** `sha256:<hex>` of a value's canonical JSON: equal exactly when the values are (fingerprints, plan hashes). */
export function canonicalDigest(value: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalJson(value)).digest("hex")}`;
}
