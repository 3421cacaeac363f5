// The flags verify and send share (--timeout, --secret-provider, --concurrency), parsed once here so
// that both commands accept and refuse the same things with the same words.
import { parseDuration } from "../duration.js";
import type { ProviderOverrides } from "../secrets/resolveSecret.js";
import { parseProviderOverride } from "../secrets/resolveSecret.js";

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export type Parsed<T> = { readonly value: T } | { readonly error: string };

export function parseTimeout(text: string): Parsed<number> {
  const ms = parseDuration(text);
  return ms !== undefined && ms > 0 ? { value: ms } : { error: `--timeout takes a duration such as 500ms, 10s or 2m, not ${JSON.stringify(text)}` };
}

export function parseConcurrency(text: string): Parsed<number> {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 1024 ? { value: n } : { error: `--concurrency takes a whole number from 1 to 1024, not ${JSON.stringify(text)}` };
}

export function parseOverrides(texts: readonly string[]): Parsed<ProviderOverrides> {
  const overrides: Partial<Record<string, string>> = {};
  for (const text of texts) {
    const parsed = parseProviderOverride(text);
    if ("error" in parsed) return { error: parsed.error };
    overrides[parsed.from] = parsed.to;
  }
  return { value: overrides as ProviderOverrides };
}
