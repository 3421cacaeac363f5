// The plan's output formats, apart from their renderers so that the command line can list them
// without loading any renderer.
export type PlanFormat = "text" | "markdown" | "json";
export const planFormats: readonly PlanFormat[] = ["text", "markdown", "json"];
