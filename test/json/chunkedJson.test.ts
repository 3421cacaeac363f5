// The chunked parser must be JSON.parse for texts that arrive in pieces: the same value (the same keys
// in the same order, "__proto__" an own key, -0 kept) for every text JSON.parse accepts, and a
// SyntaxError for every text it refuses, however the text is cut and however small the containers it
// hands to JSON.parse whole (a tiny `largest` makes it walk nearly everything itself).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/json/canonical.js";
import { ChunkedJsonParser, parseJsonChunks } from "../../src/json/chunkedJson.js";

/** Equal as JSON.parse's results are: same types, same own keys in the same order, plain prototypes. */
function same(a: unknown, b: unknown, path = "$"): void {
  if (typeof a === "number" && typeof b === "number") {
    if (!Object.is(a, b)) throw new Error(`${path}: ${a} is not ${b}`);
    return;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    if (a !== b) throw new Error(`${path}: ${String(a)} is not ${String(b)}`);
    return;
  }
  if (Array.isArray(a) !== Array.isArray(b)) throw new Error(`${path}: array and object`);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) throw new Error(`${path}: prototypes differ`);
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.join("\u0001") !== keysB.join("\u0001")) throw new Error(`${path}: keys ${String(keysA)} are not ${String(keysB)}`);
  for (const k of keysA) {
    if (k === "length" && Array.isArray(a)) continue;
    same((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k], `${path}.${String(k)}`);
  }
}

/** Parses `text` cut at `cuts` (positions into its UTF-8 bytes), or the error it throws. */
function parseCut(text: string, cuts: readonly number[], largest: number): { value: unknown } | { error: unknown } {
  const bytes = Buffer.from(text, "utf8");
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
  const parser = new ChunkedJsonParser(largest);
  try {
    let from = 0;
    for (const cut of [...at, bytes.length]) {
      parser.push(Uint8Array.prototype.slice.call(bytes, from, cut));
      from = cut;
    }
    return { value: parser.end() };
  } catch (error) {
    return { error };
  }
}

function agrees(text: string, cuts: readonly number[], largest: number): void {
  let expected: { value: unknown } | undefined;
  try {
    // As a file holds it: a surrogate that an edit cut in half is written as U+FFFD.
    expected = { value: JSON.parse(Buffer.from(text, "utf8").toString("utf8")) };
  } catch {
    expected = undefined;
  }
  const got = parseCut(text, cuts, largest);
  if (!expected) {
    expect("error" in got, `accepted what JSON.parse refuses: ${JSON.stringify(text)}`).toBe(true);
    expect((got as { error: unknown }).error).toBeInstanceOf(SyntaxError);
    return;
  }
  if ("error" in got) throw new Error(`refused what JSON.parse accepts: ${JSON.stringify(text)} (${String(got.error)})`);
  same(got.value, expected.value);
}

const key = fc.oneof(fc.constantFrom("a", "b", "__proto__", "constructor", "0", "10", "", "é"), fc.string({ unit: "binary", maxLength: 5 }));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string({ unit: "binary", maxLength: 10 }),
    fc.constantFrom('"\\', "\\\\\"", "\u2028", "💌", "\ud800"),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.constantFrom(-0, 1e21, 5e-324),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 5 }).map((entries) => {
      const object: Record<string, unknown> = {};
      for (const [k, v] of entries) Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
      return object;
    }),
  ),
}));
/** The same value in the layouts a state or plan file may have: canonical, indented otherwise, minified. */
const text = value.chain((v) => fc.constantFrom(canonicalJson(v), JSON.stringify(v), JSON.stringify(v, null, 4), JSON.stringify(v, null, "\t"), ` \r\n${JSON.stringify(v, null, 1)}\n\n`));
const cuts = fc.array(fc.nat(), { maxLength: 8 });
const largest = fc.integer({ min: 1, max: 300 });

const tokens = fc.constantFrom("{", "}", "[", "]", ",", ":", '"', '"a"', '"__proto__"', "1", "-0", "1e5", "tru", "true", "null", " ", "\n", "\n  ", "\\", "\\u0041", "é", "\u0000", "\ufeff", "01", ".5", "-", "x");

describe("the chunked JSON parser", () => {
  it("reads every JSON text as JSON.parse does, however it is cut", () => {
    fc.assert(fc.property(text, cuts, largest, agrees), { numRuns: 20_000 });
  });

  it("refuses exactly what JSON.parse refuses, in mutated texts", () => {
    const edits = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), tokens), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(text, edits, cuts, largest, (t, changes, at, limit) => {
        const mutated = changes.reduce((s, [pos, del, ins]) => {
          const i = pos % (s.length + 1);
          return s.slice(0, i) + ins + s.slice(i + del);
        }, t);
        agrees(mutated, at, limit);
      }),
      { numRuns: 20_000 },
    );
  });

  it("reads token soup as JSON.parse does", () => {
    fc.assert(fc.property(fc.array(tokens, { maxLength: 30 }).map((t) => t.join("")), cuts, largest, agrees), { numRuns: 20_000 });
  });

  it('keeps "__proto__" and repeated keys as JSON.parse does, in containers it walks and in those it hands over', () => {
    for (const t of ['{"__proto__": {"x": 1}, "a": [1, {"__proto__": null}], "a": 2}', '[{"__proto__": []}, {"b": 1, "b": 2, "__proto__": 3}]']) {
      for (const limit of [1, 4, 1000]) agrees(t, [], limit);
    }
    const walked = parseCut('{"a": 1, "__proto__": {"polluted": true}}', [], 1) as { value: Record<string, unknown> };
    expect(Object.getPrototypeOf(walked.value)).toBe(Object.prototype);
    expect(Object.keys(walked.value)).toEqual(["a", "__proto__"]);
  });

  it("reads a large document read in chunks, and never hands JSON.parse more than `largest` bytes", async () => {
    const document = { fabrics: Array.from({ length: 3000 }, (_, f) => ({ name: `f${f}`, connections: Array.from({ length: 10 }, (_, c) => ({ name: `c${c}`, port: 587, on: true })) })), serial: 3 };
    const bytes = Buffer.from(canonicalJson(document));
    const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536));
    const parse = JSON.parse;
    let longest = 0;
    JSON.parse = (t: string) => {
      longest = Math.max(longest, t.length);
      return parse(t) as unknown;
    };
    try {
      same(await parseJsonChunks(chunks, 8192), parse(bytes.toString()));
    } finally {
      JSON.parse = parse;
    }
    expect(bytes.length).toBeGreaterThan(100 * 8192);
    expect(longest).toBeLessThanOrEqual(8192);
  });
});
