// Whether two values have the same canonical JSON, decided by walking them instead of writing and
// comparing their text. It may say no for values whose text is the same (NaN and null, an undefined
// array element and null: never in fabricate's documents), never yes for values whose text differs;
// test/json/sameJson.test.ts holds it to that.

function isWritten(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

/**
 * True only when canonicalJson(a) and canonicalJson(b) are the same text. `ignored` names a key of
 * the two top-level objects that is left out of the comparison.
 */
export function sameJson(a: unknown, b: unknown, ignored?: string): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
    // Equal primitives write the same text; NaN (never equal to itself) is left to the conservative no.
    return a === b && isWritten(a) && typeof a !== "bigint";
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let written = 0;
  for (const key of Object.keys(x)) {
    if (key === ignored || !isWritten(x[key])) continue;
    if (!Object.prototype.hasOwnProperty.call(y, key) || !sameJson(x[key], y[key])) return false;
    written++;
  }
  // Every key x writes, y writes the same; y must write no other.
  for (const key of Object.keys(y)) if (key !== ignored && isWritten(y[key])) written--;
  return written === 0;
}
