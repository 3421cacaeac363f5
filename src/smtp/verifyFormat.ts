// verify's output formats, apart from their renderers so that the command line can list them without
// loading any renderer.
export type VerifyFormat = "text" | "json" | "junit";
export const verifyFormats: readonly VerifyFormat[] = ["text", "json", "junit"];
