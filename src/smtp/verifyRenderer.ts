// verify's output formats, one file each behind one small interface (after kubeconform's
// pkg/output): adding a format is adding a file and a line here.
import { renderVerifyJson } from "./renderVerifyJson.js";
import { renderVerifyJunit } from "./renderVerifyJunit.js";
import { renderVerifyText } from "./renderVerifyText.js";
import type { VerifyFormat } from "./verifyFormat.js";
import type { VerifyResult } from "./verifyResult.js";

export { verifyFormats, type VerifyFormat } from "./verifyFormat.js";

export type VerifyRenderer = (results: readonly VerifyResult[]) => string;

export const verifyRenderers: Record<VerifyFormat, VerifyRenderer> = {
  text: renderVerifyText,
  json: renderVerifyJson,
  junit: renderVerifyJunit,
};
