// flowValue must write exactly what yaml's stringify writes for a plan value, whichever way it takes:
// checked on random values built from the characters that decide YAML's quoting, and on the kinds of
// value plans hold.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { flowValue } from "../../src/plan/flowValue.js";

const byYaml = (value: unknown) => stringify(value, { collectionStyle: "flow", flowCollectionPadding: false, lineWidth: 0 }).trimEnd();

const characters = fc.constantFrom(..."aZz09._@/+-:, #[]{}'\"!&*%|>`?~\\\té\n".split(""), "e", "x", "o", "n", "u", "l", "t", "r", "E", "N");
const word = fc.oneof(
  fc.array(characters, { maxLength: 12 }).map((c) => c.join("")),
  fc.array(fc.oneof(characters, fc.constantFrom("a", " ", ":", "b")), { minLength: 60, maxLength: 200 }).map((c) => c.join("")),
  fc.constantFrom("null", "Null", "NULL", "true", "True", "false", "FALSE", "yes", "no", "on", "off", "~", "", "1e3", "0x1f", "0o7", ".inf", ".nan", "-.5", "1.", "+1", "smtp.gmail.com", "alerts@example.com", "env:GMAIL_ALERTS_PASSWORD"),
  fc.string({ maxLength: 8 }),
);
const scalar = fc.oneof(word, fc.integer(), fc.constantFrom(0, -0, 1.5, 1e21, -1e-7, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity), fc.double(), fc.boolean());
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 6 }));

describe("flowValue", () => {
  it("writes what yaml's stringify writes, for any plan value", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(flowValue(v)).toBe(byYaml(v));
      }),
      { numRuns: 20_000 },
    );
  });

  it("writes the values plans hold", () => {
    for (const v of ["smtp.gmail.com", "alerts@example.com", "starttls", 587, true, ["a@example.com", "b@example.com"], [], "587", "", "The marketing fabric", "10.0.0.5", ["@acme/team"], "env:GMAIL", "a: b", "a :b", "x #y", "word ".repeat(40)]) {
      expect(flowValue(v)).toBe(byYaml(v));
    }
  });
});
