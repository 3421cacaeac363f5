// The formats of `fabricate state history`, apart from their renderers so that the command line can list
// them without loading any.
export type HistoryFormat = "text" | "json";
export const historyFormats: readonly HistoryFormat[] = ["text", "json"];
