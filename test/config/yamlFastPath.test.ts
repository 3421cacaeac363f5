// The fast path must never disagree with the yaml package: whatever it accepts, the full composer
// accepts without error and reads as the same data.
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
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
