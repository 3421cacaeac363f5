// Durations: Go's syntax, bounded, and the schema's pattern for config `timeout:` fields accepting
// exactly what the parser accepts (above zero: a config timeout of 0 would mean "no timeout at all").
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { durationSyntax, formatDuration, maxDurationMs, parseDuration, writtenDuration } from "../src/duration.js";
import { repoRoot } from "./helpers/cli.js";

const valid: [string, number][] = [
  ["500ms", 500],
  ["10s", 10_000],
  ["1.5s", 1500],
  ["2m", 120_000],
  ["1m30s", 90_000],
  ["0.5m", 30_000],
  ["1h", 3_600_000],
  ["1h2m3s4ms", 3_723_004],
  ["24h", maxDurationMs],
  ["86400s", maxDurationMs],
  ["0s", 0],
  ["0ms", 0],
];
const invalid = ["", "10", "s", "ms", "-1s", "+1s", "1.5ms", "1s1m", "1m1m", "10 s", " 10s", "10s ", "1e3ms", ".5s", "1.s", "1d", "1us", "10S", "１s"];
const tooLong = ["24h1ms", "25h", "1441m", "2147484s", "99999999999999999999h"];

describe("parseDuration", () => {
  it.each(valid)("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it.each([...invalid, ...tooLong])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it.each([
    [500, "500ms"],
    [1500, "1.5s"],
    [10_000, "10s"],
    [90_000, "1.5m"],
    [120_000, "2m"],
    [maxDurationMs, "24h"],
  ])("writes %d ms as %s, which parses back", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

describe("writtenDuration", () => {
  it.each([
    [0, "0s"],
    [500, "500ms"],
    [1500, "1.5s"],
    [10_000, "10s"],
    [10_500, "10.5s"],
    [61_001, "1m1.001s"],
    [90_000, "1m30s"],
    [3_723_004, "1h2m3.004s"],
    [maxDurationMs, "24h"],
  ])("writes %d ms as %s", (ms, text) => {
    expect(writtenDuration(ms)).toBe(text);
  });

  it("writes every whole number of milliseconds up to 24h so that it parses back exactly", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: maxDurationMs }), (ms) => parseDuration(writtenDuration(ms)) === ms));
  });
});

describe("the schema's duration pattern (secrets.exec.timeout)", () => {
  const schema = JSON.parse(readFileSync(join(repoRoot, "schemas", "fabricate.schema.json"), "utf8")) as {
    $defs: { secretsSettings: { properties: { exec: { properties: { timeout: { pattern: string } } } } } };
  };
  const pattern = schema.$defs.secretsSettings.properties.exec.properties.timeout.pattern;

  it("is the parser's syntax behind a non-zero check, also for terraform.verify.timeout", () => {
    expect(pattern).toBe(`^(?=.*[1-9])${durationSyntax.source.slice(1)}`);
    expect((schema as unknown as { $defs: { terraform: { properties: { verify: { properties: { timeout: { pattern: string } } } } } } }).$defs.terraform.properties.verify.properties.timeout.pattern).toBe(pattern);
  });

  // The 24h bound is the parser's alone (a pattern cannot add up units), so over-long texts are left out.
  it.each([...valid.map(([text]) => text), ...invalid])("agrees with the parser on %j", (text) => {
    expect(new RegExp(pattern, "u").test(text)).toBe((parseDuration(text) ?? 0) > 0);
  });
});
