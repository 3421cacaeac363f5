// `fabricate state history` for people: one line per write, oldest first, in aligned columns, with a
// heading each time the lineage changes (a state pushed with --force starts another).
import type { HistoryEntry } from "./stateStore.js";

export function renderHistoryText(entries: readonly HistoryEntry[], where: string): string {
  if (entries.length === 0) return `No history: nothing has been written to the state ${where}.\n`;
  const rows = entries.map((e) => [String(e.serial), e.at, e.who, e.operation, e.planHash ?? "-"]);
  const header = ["SERIAL", "AT", "WHO", "OPERATION", "PLAN"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}\n`;
  let text = "";
  let lineage: string | undefined;
  entries.forEach((entry, i) => {
    if (entry.lineage !== lineage) {
      text += `${lineage === undefined ? "" : "\n"}Lineage ${entry.lineage}\n${line(header)}`;
      lineage = entry.lineage;
    }
    text += line(rows[i]!);
  });
  return text;
}
