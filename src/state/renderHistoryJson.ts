// `fabricate state history --format json` for scripts: {"history": [{serial, lineage, at, who,
// operation, planHash?}]}, oldest first, as canonical JSON.
import { canonicalJson } from "../json/canonical.js";
import type { HistoryEntry } from "./stateStore.js";

export function renderHistoryJson(entries: readonly HistoryEntry[]): string {
  return canonicalJson({ history: entries });
}
