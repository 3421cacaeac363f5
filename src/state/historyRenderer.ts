// History renderers, one file per format behind one small interface (as plans and diagnostics have).
import type { HistoryFormat } from "./historyFormat.js";
import { renderHistoryJson } from "./renderHistoryJson.js";
import { renderHistoryText } from "./renderHistoryText.js";
import type { HistoryEntry } from "./stateStore.js";

export type HistoryRenderer = (entries: readonly HistoryEntry[], where: string) => string;

export const historyRenderers: Record<HistoryFormat, HistoryRenderer> = {
  text: renderHistoryText,
  json: renderHistoryJson,
};
