// The fast path must never disagree with the yaml package: whatever it accepts, the full composer
// accepts without error and reads as the same data.
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { parseYamlFast } from "../../src/config/yamlFastPath.js";
import { repoRoot } from "../helpers/cli.js";

const examplesDir = join(repoRoot, "examples", "fabrics");
const examples = readdirSync(examplesDir).map((f) => readFileSync(join(examplesDir, f), "utf8"));

function fullComposer(text: string): { ok: boolean; data?: unknown } {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length !== 1 || list[0]!.errors.length > 0) return { ok: false };
  return { ok: true, data: list[0]!.toJS({ maxAliasCount: 100 }) };
}

function agrees(text: string): void {
  const fast = parseYamlFast(text);
  if (fast === undefined) return;
  const full = fullComposer(text);
  expect(full.ok, `yaml rejects what the fast path accepted:\n${text}`).toBe(true);
  expect(fast).toStrictEqual(full.data);
}

const tokens = fc.constantFrom(
  "a", "b", "name", ": ", ":", "- ", "-", " ", "  ", "    ", "\n", "\n  ", "\n    ", "[", "]", "{", "}", ", ", ",", "#", " # c",
  '"', "'", '"x\\n"', "'it''s'", "1", "0x1F", "1.5", "-3", "+1", "true", "False", "~", "null", ".inf", "0o7", "__proto__", "<<",
  "&a ", "*a", "!!str ", "?", "|", ">", "---", "...", "%", "@", "`", "\\", "é", "💌", "10s", "-x", "--y", "- -", "-", "1e3", "x: y: z", '"a": 1', "\n- ", "\n  - ", ": #",
);

describe("the YAML fast path", () => {
  it("reads every example exactly as the yaml package does, and takes them all", () => {
    for (const text of examples) {
      expect(parseYamlFast(text)).not.toBeUndefined();
      agrees(text);
    }
  });

  it("agrees with yaml on random token soup", () => {
    fc.assert(fc.property(fc.array(tokens, { maxLength: 60 }).map((t) => t.join("")), agrees), { numRuns: Number(process.env.FAST_PATH_RUNS ?? 5000) });
  });

  it("agrees with yaml on mutated examples", () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), tokens), { minLength: 1, maxLength: 5 }), (text, edits) => {
        const mutated = edits.reduce((t, [at, del, ins]) => {
          const i = at % (t.length + 1);
          return t.slice(0, i) + ins + t.slice(i + del);
        }, text);
        agrees(mutated);
      }),
      { numRuns: Number(process.env.FAST_PATH_RUNS ?? 5000) },
    );
  });

  it("agrees with yaml on documents yaml itself writes, as they are and mutated", () => {
    // Config-like values (simple keys, words, small numbers), so that most documents take the fast path.
    const key = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,7}$/);
    const leaf = fc.oneof(fc.stringMatching(/^[a-z@.*{/-][a-z0-9@.:#'" /{}_-]{0,12}$/), fc.integer({ min: -5, max: 99_999 }), fc.boolean(), fc.constant(null));
    const { node } = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(key, tie("node"), { maxKeys: 4 })),
    }));
    const documents = fc
      .dictionary(key, node, { minKeys: 1, maxKeys: 6 })
      .chain((value) => fc.constantFrom(stringify(value), stringify(value, { indentSeq: false }), stringify(value, { flowCollectionPadding: false, collectionStyle: "flow" })));
    fc.assert(fc.property(documents, agrees), { numRuns: Number(process.env.FAST_PATH_RUNS ?? 5000) / 5 });
    fc.assert(
      fc.property(documents, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 }), tokens), { minLength: 1, maxLength: 3 }), (text, edits) => {
        agrees(edits.reduce((t, [at, del, ins]) => t.slice(0, at % (t.length + 1)) + ins + t.slice((at % (t.length + 1)) + del), text));
      }),
      { numRuns: Number(process.env.FAST_PATH_RUNS ?? 5000) / 5 },
    );
  });

  it("bails out of what it does not handle", () => {
    for (const text of ["a: &x 1\nb: *x\n", "a: !!str 1\n", "a: |\n  x\n", "a: 1\n---\nb: 2\n", "a: 1\na: 2\n", "a:\n\t- x\n", "a: 1.5\n", "a: 'x\n  y'\n"]) {
      expect(parseYamlFast(text)).toBeUndefined();
    }
  });

  it("keeps __proto__ as a plain own key", () => {
    const data = parseYamlFast("__proto__:\n  polluted: true\n") as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
