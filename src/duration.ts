// Durations as users write them on the command line and in config: 500ms, 10s, 2m.

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m)$/.exec(text.trim());
  return m ? Number(m[1]) * units[m[2]!]! : undefined;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))}s`;
  return `${Number((ms / 60_000).toFixed(1))}m`;
}
