// The digest of a value's canonical JSON, taken piece by piece so that no string holds a large
// document. A module of its own so that what only writes canonical JSON (validate, at start-up) does
// not load node:crypto (3 ms).
import { createHash } from "node:crypto";
import { canonicalChunks } from "./canonical.js";

/** `sha256:<hex>` of a value's canonical JSON: equal exactly when the values are (fingerprints, plan hashes). */
export function canonicalDigest(value: unknown): string {
  const hash = createHash("sha256");
  for (const piece of canonicalChunks(value)) hash.update(piece);
  return `sha256:${hash.digest("hex")}`;
}
