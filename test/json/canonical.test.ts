// The canonical writer must write, to the byte, what fabricate always wrote: JSON.stringify(v, null, 2)
// of a copy of v with its keys inserted in sorted order, and a newline. That first implementation is
// kept here as the oracle; every value is checked whole and in pieces of many sizes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalChunks, canonicalJson, compareCodePoints } from "../../src/json/canonical.js";
import { canonicalDigest } from "../../src/json/canonicalDigest.js";
import { createHash } from "node:crypto";

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareCodePoints)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (key === "__proto__") Object.defineProperty(out, key, { value: sortKeys(v), enumerable: true, writable: true, configurable: true });
      else out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

function oracle(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** Keys as they come: words, numbers (which V8 orders first), the awkward ones, and any text at all. */
const key = fc.oneof(
  fc.constantFrom("a", "b", "name", "__proto__", "toString", "constructor", "0", "1", "2", "10", "01", "-1", "1.5", "4294967294", "4294967295", "9999999999", "", "é", "é"),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.nat({ max: 5000 }).map(String),
);
const leaf = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom("\u2028", "\ud800", "\udc00x", "💌", '"\\', "\u0000\u001f\u007f"),
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 5e-324),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const { member } = fc.letrec<{ member: unknown }>((tie) => ({
  member: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("member"), { maxLength: 5 }),
    fc.sparseArray(tie("member"), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie("member")), { maxLength: 6 }).map((entries) => {
      const object: Record<string, unknown> = {};
      for (const [k, v] of entries) Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
      return object;
    }),
  ),
}));
/** A document: anything but undefined, which has no JSON text (JSON.stringify gives no string). */
const value = member.filter((v) => v !== undefined);

describe("canonical JSON", () => {
  it("writes what sorting a copy and JSON.stringify wrote, for any value", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(oracle(v));
      }),
      { numRuns: 20_000 },
    );
  });

  it("writes the same text in pieces of any size, each at least that long but the last", () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 200 }), (v, size) => {
        const pieces = [...canonicalChunks(v, size)];
        expect(pieces.join("")).toBe(oracle(v));
        for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(size);
      }),
      { numRuns: 5_000 },
    );
  });

  it("hashes the canonical text", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalDigest(v)).toBe(`sha256:${createHash("sha256").update(oracle(v)).digest("hex")}`);
      }),
      { numRuns: 2_000 },
    );
  });

  it("writes a large state-shaped document as it always did, in pieces of the size asked", () => {
    const connection = (f: number, c: number) => ({
      name: `smtp-${c}`,
      kind: "smtp",
      properties: { smtpUrl: `smtp${c}.example.com`, smtpPort: 587, smtpUsername: `u${c}@f${f}.example.com`, smtpPassword: { kind: "env", type: "secret", properties: { name: `P_${f}_${c}` } } },
      tls: "starttls",
      insecure: false,
      capabilities: { emailStep: true, source: false },
      fingerprint: `sha256:${f}-${c}`,
    });
    const state = {
      version: 1,
      serial: 7,
      lineage: "l",
      fabrics: Array.from({ length: 2000 }, (_, f) => ({ name: `fabric-${f}`, team: { members: ["a@example.com"] }, connections: Array.from({ length: 10 }, (_, c) => connection(f, c)) })),
      targets: { prophecy: { fabrics: { "10": { id: 10 }, "2": { id: 2 }, b: { id: 0 }, a: { id: 1 } } } },
    };
    const expected = oracle(state);
    const pieces = [...canonicalChunks(state)];
    expect(pieces.length).toBeGreaterThan(100);
    expect(pieces.join("")).toBe(expected);
    expect(canonicalJson(state)).toBe(expected);
  });
});
