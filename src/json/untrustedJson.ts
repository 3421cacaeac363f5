// JSON documents read back from files a pull request or a person may have replaced (saved plans, synth
// manifests and fabric configs): what is wrong with one is said without quoting it, since the file may
// be anything (a token file, a key) under the expected name. Node's JSON.parse errors quote a snippet of
// the input, so they never pass through. ajv's errors are safe to show: their messages name only schema
// values, and their instancePath only array indices and properties a schema declares, since the schemas
// of these documents validate no undeclared key (test/json/untrustedJson.test.ts holds them to that).
import type { ErrorObject } from "ajv";

export type ParsedJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

export function parseJson(bytes: Buffer): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(bytes.toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

/** The first of a validator's errors, as `/connections/0/properties/smtpPort must be integer`. */
export function describeSchemaError(errors: readonly ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  return first ? `${first.instancePath || "/"} ${first.message ?? "is not valid"}` : "it does not match the schema";
}
