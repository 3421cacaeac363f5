// sameJson may say no to values with the same canonical text, but must never say yes to values whose
// text differs (synth reuses a fingerprint on its yes). Checked on random pairs, on copies (where it
// should say yes), and on copies with one change.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/json/canonical.js";
import { sameJson } from "../../src/json/sameJson.js";

const key = fc.constantFrom("a", "b", "name", "__proto__", "0", "10", "");
const leaf = fc.oneof(fc.constantFrom("", "a", "b", "0", "\ud800"), fc.integer({ min: -2, max: 2 }), fc.constantFrom(0, -0, NaN, 1.5), fc.boolean(), fc.constant(null), fc.constant(undefined));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 4 }).map((entries) => {
      const object: Record<string, unknown> = {};
      for (const [k, v] of entries) Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
      return object;
    }),
  ),
}));
const documentValue = value.filter((v) => v !== undefined);

/** A copy with its keys in another order: the same canonical text. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (v === null || typeof v !== "object") return v;
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(v).reverse()) Object.defineProperty(copy, k, { value: reordered((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
  return copy;
}

describe("sameJson", () => {
  it("never says yes to values whose canonical text differs", () => {
    fc.assert(
      fc.property(documentValue, documentValue, (a, b) => {
        if (sameJson(a, b)) expect(canonicalJson(a)).toBe(canonicalJson(b));
      }),
      { numRuns: 20_000 },
    );
  });

  it("says yes to a copy with its keys in another order (holding no NaN and no undefined array element)", () => {
    fc.assert(
      fc.property(documentValue.filter((v) => !containsNaNOrUndefinedItem(v)), (a) => {
        expect(sameJson(a, reordered(a))).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it("never says yes to a copy with one leaf changed, unless the change writes the same text", () => {
    fc.assert(
      fc.property(documentValue, fc.nat(), leaf, (a, at, replacement) => {
        const b = withLeafReplaced(a, at, replacement);
        if (sameJson(a, b)) expect(canonicalJson(a)).toBe(canonicalJson(b));
      }),
      { numRuns: 20_000 },
    );
  });

  it("ignores the named key of the two top-level objects only", () => {
    expect(sameJson({ a: 1, fingerprint: "x" }, { a: 1, fingerprint: "y" }, "fingerprint")).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, fingerprint: "y" }, "fingerprint")).toBe(true);
    expect(sameJson({ a: { fingerprint: 1 } }, { a: { fingerprint: 2 } }, "fingerprint")).toBe(false);
    expect(sameJson({ a: 1, fingerprint: "x" }, { a: 2, fingerprint: "x" }, "fingerprint")).toBe(false);
  });
});

function containsNaNOrUndefinedItem(v: unknown): boolean {
  if (typeof v === "number") return Number.isNaN(v);
  if (Array.isArray(v)) return v.some((x) => x === undefined || containsNaNOrUndefinedItem(x));
  if (v === null || typeof v !== "object") return false;
  return Object.values(v).some(containsNaNOrUndefinedItem);
}

/** A copy of `v` with its `at`-th leaf (in walk order, modulo their number) replaced. */
function withLeafReplaced(v: unknown, at: number, replacement: unknown): unknown {
  let count = 0;
  const countLeaves = (x: unknown): void => {
    if (x !== null && typeof x === "object") Object.values(x).forEach(countLeaves);
    else count++;
  };
  countLeaves(v);
  let index = at % Math.max(1, count);
  const copy = (x: unknown): unknown => {
    if (x !== null && typeof x === "object") {
      if (Array.isArray(x)) return x.map(copy);
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x)) Object.defineProperty(out, k, { value: copy((x as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return index-- === 0 ? replacement : x;
  };
  return copy(v);
}
