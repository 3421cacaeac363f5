// The session flags verify, apply and send share (--timeout, --secret-provider, --concurrency), parsed
// once here so that every command accepts and refuses the same things with the same words.
import { formatDuration, maxDurationMs, parseDuration } from "../duration.js";
import type { ProviderOverrides } from "../secrets/resolveSecret.js";
import { parseProviderOverride } from "../secrets/resolveSecret.js";

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export type Parsed<T> = { readonly value: T } | { readonly error: string };

function parseTimeout(text: string): Parsed<number> {
  const ms = parseDuration(text);
  return ms !== undefined && ms > 0
    ? { value: ms }
    : { error: `--timeout takes a duration from 1ms to ${formatDuration(maxDurationMs)} such as 500ms, 10s, 1m30s or 1h, not ${JSON.stringify(text)}` };
}

const maxConcurrency = 1024;

function parseConcurrency(text: string): Parsed<number> {
  // Digits only: Number() would also take "1e3", "0x10" and " 8 ".
  const n = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  return n >= 1 && n <= maxConcurrency ? { value: n } : { error: `--concurrency takes a whole number from 1 to ${maxConcurrency}, not ${JSON.stringify(text)}` };
}

export interface SessionFlags {
  timeout: string;
  concurrency?: string;
  secretProvider: string[];
}

export interface SessionSettings {
  readonly timeoutMs: number;
  /** Absent for a command without --concurrency (send). */
  readonly concurrency?: number;
  readonly overrides: ProviderOverrides;
}

/** The session flags of verify, apply and send, parsed; the first wrong one is the error. */
export function parseSessionFlags(flags: SessionFlags): Parsed<SessionSettings> {
  const timeout = parseTimeout(flags.timeout);
  if ("error" in timeout) return timeout;
  const concurrency = flags.concurrency === undefined ? undefined : parseConcurrency(flags.concurrency);
  if (concurrency && "error" in concurrency) return concurrency;
  const overrides = parseOverrides(flags.secretProvider);
  if ("error" in overrides) return overrides;
  return { value: { timeoutMs: timeout.value, ...(concurrency && { concurrency: concurrency.value }), overrides: overrides.value } };
}

function parseOverrides(texts: readonly string[]): Parsed<ProviderOverrides> {
  const overrides: Partial<Record<string, string>> = {};
  for (const text of texts) {
    const parsed = parseProviderOverride(text);
    if ("error" in parsed) return { error: parsed.error };
    overrides[parsed.from] = parsed.to;
  }
  return { value: overrides as ProviderOverrides };
}
