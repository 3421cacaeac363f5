// The local store's history: one JSON object a line, appended after each write (JSON Lines, so that an
// append never rewrites what is there). A line that is not a history entry (a crash mid-append leaves
// half a line) is skipped rather than failing `state history`: the history is a record, not the state.
import type { HistoryEntry } from "./stateStore.js";

export function serializeHistoryEntry(entry: HistoryEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

function isHistoryEntry(value: unknown): value is HistoryEntry {
  const v = value as Partial<Record<keyof HistoryEntry, unknown>> | null;
  return (
    v !== null &&
    typeof v === "object" &&
    Number.isSafeInteger(v.serial) &&
    typeof v.lineage === "string" &&
    typeof v.at === "string" &&
    typeof v.who === "string" &&
    typeof v.operation === "string" &&
    (v.planHash === undefined || typeof v.planHash === "string")
  );
}

export function parseHistory(text: string): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isHistoryEntry(value)) entries.push(value);
    } catch {
      // Half a line from a crash mid-append: skipped, see above.
    }
  }
  return entries;
}
