// The one interface every secret provider implements. A secret value lives only in memory, inside
// verify and send; a failure is a value that names the reference and says what is wrong, never an
// exception and never the value (a provider's own error text could quote it).
import type { SecretRef } from "../model.js";

export type SecretResolution =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: string };

export interface SecretProvider {
  resolve(ref: SecretRef): Promise<SecretResolution>;
}

export function secretFound(value: string): SecretResolution {
  return { ok: true, value };
}

export function secretMissing(reason: string): SecretResolution {
  return { ok: false, reason };
}

/** Mounted files and credential processes end their value with a newline that is not part of it. */
export function trimTrailingNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}
