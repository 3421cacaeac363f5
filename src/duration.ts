// Durations as users write them on the command line and in config, in Go's syntax (as Terraform and
// most CI tools take them): 500ms, 10s, 1.5s, 2m, 1m30s, 1h. Our own strict parser rather than a
// library: the small ones (ms, @lukeed/ms) take one unit only and also accept bare numbers and words
// ("2 days"), parse-duration accepts almost anything. Here units come largest first, each at most once,
// and every duration is bounded: setTimeout fires after 1 ms for anything above 2^31-1 ms (~24.8 days),
// so an unbounded `--timeout 2147484s` would mean "give up at once".

/**
 * The syntax: a number (decimals allowed, except for ms) per unit, units in the order h, m, s, ms.
 * schemas/fabricate.schema.json's duration pattern is this one behind a non-zero check (a test holds
 * them together), so that the schema and the parser accept the same texts.
 */
export const durationSyntax = /^(?=\d)(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/;

/** The longest duration anything waits: far beyond any sensible timeout, far below setTimeout's limit. */
export const maxDurationMs = 24 * 60 * 60 * 1000;

const unitMs = [60 * 60 * 1000, 60 * 1000, 1000, 1];

/** Milliseconds, or undefined when `text` is not a duration of at most 24h. */
export function parseDuration(text: string): number | undefined {
  // The lookahead for a digit makes the empty text fail: a match holds at least one part.
  const m = durationSyntax.exec(text);
  if (!m) return undefined;
  const ms = Math.round(m.slice(1).reduce((sum, part, i) => sum + (part === undefined ? 0 : Number(part) * unitMs[i]!), 0));
  return ms <= maxDurationMs ? ms : undefined;
}

/**
 * Exactly `ms`, in the fewest units and the syntax a config writes (`10s`, `1m30s`, `1.5s`, `500ms`):
 * how a plan shows a duration that the config wrote and the synthesized config keeps in milliseconds.
 */
export function writtenDuration(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const rest = ms % 60_000;
  const seconds = rest === 0 ? "" : ms < 1000 ? `${rest}ms` : `${rest / 1000}s`;
  return `${hours ? `${hours}h` : ""}${minutes ? `${minutes}m` : ""}${seconds}` || "0s";
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))}s`;
  if (ms < 3_600_000) return `${Number((ms / 60_000).toFixed(1))}m`;
  return `${Number((ms / 3_600_000).toFixed(1))}h`;
}
