// Every byte that users diff (synth output, state, saved plans, json renderers) passes through here:
// object keys sorted by code point, two-space indent, a trailing newline. Arrays keep their order;
// the code that builds them orders them. Hashes of values (fingerprints, plan hashes) are taken over
// these bytes too (canonicalDigest.ts), so that they change exactly when the value does.
//
// Two writers of the same bytes, each where it is faster:
// - canonicalJson: JSON.stringify(value, null, 2) of a copy with the keys inserted in sorted order.
//   For what fits in one string (a fabric config, a fingerprint's body) V8's own writer, flat string
//   and all, is the fastest; a string built token by token is a tree of thousands of pieces, and
//   10,000 of them held at once (synth's files) cost 250 MB and a second of garbage collection.
// - canonicalChunks: one walk with an explicit stack, no copy, the text in pieces. A state or saved
//   plan of a million connections is longer than the longest string V8 can hold (about 512 MiB), and
//   for a large document the walk also costs less: 0.40 s instead of 0.70 s of CPU to write (and
//   encode) the state of 100,000 connections, without a second copy of it in memory.
// test/json/canonical.test.ts holds the walk to the copy's bytes.
/**
 * Code-point order (not locale order): the one order of every name and key fabricate sorts, so that
 * output does not depend on the machine's locale.
 */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareCodePoints)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      // defineProperty, so that a "__proto__" key stays data instead of replacing the prototype.
      if (key === "__proto__") Object.defineProperty(out, key, { value: sortKeys(v), enumerable: true, writable: true, configurable: true });
      else out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The canonical JSON text of `value`, in one string. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

interface Frame {
  /** The array, or the object whose `keys` are written. */
  readonly container: Record<string, unknown> | readonly unknown[];
  readonly keys: readonly string[] | undefined;
  next: number;
  /** Members written so far: an object whose members JSON cannot hold is written `{}`. */
  written: number;
}

/** Line breaks with the indent of each depth, so that the walk does not build them again and again. */
const breaks: string[] = [];
const commaBreaks: string[] = [];
function lineBreak(depth: number, afterMember: boolean): string {
  while (breaks.length <= depth) {
    breaks.push(`\n${"  ".repeat(breaks.length)}`);
    commaBreaks.push(`,${breaks[breaks.length - 1]!}`);
  }
  return afterMember ? commaBreaks[depth]! : breaks[depth]!;
}

/**
 * The canonical JSON text of `value` in pieces of about `pieceLength` characters (the last one may be
 * shorter), which concatenated are canonicalJson(value).
 */
export function* canonicalChunks(value: unknown, pieceLength = 64 * 1024): Generator<string, void, undefined> {
  const stack: Frame[] = [];
  let out = "";
  let pending: unknown = value;
  let hasPending = true;
  for (;;) {
    if (hasPending) {
      hasPending = false;
      if (typeof pending !== "object" || pending === null) out += scalar(pending);
      else if (!Array.isArray(pending)) stack.push({ container: pending as Record<string, unknown>, keys: sortedKeys(pending), next: 0, written: 0 });
      else if (pending.length === 0) out += "[]";
      else {
        out += "[";
        stack.push({ container: pending, keys: undefined, next: 0, written: 0 });
      }
    }
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    if (top.keys === undefined) {
      const items = top.container as readonly unknown[];
      if (top.next < items.length) {
        out += lineBreak(stack.length, top.next > 0);
        pending = items[top.next++];
        hasPending = true;
      } else {
        stack.pop();
        out += `${lineBreak(stack.length, false)}]`;
      }
    } else if (top.next < top.keys.length) {
      const key = top.keys[top.next++]!;
      const member = (top.container as Record<string, unknown>)[key];
      // As JSON.stringify does: a member whose value JSON cannot hold is left out.
      if (member !== undefined && typeof member !== "function" && typeof member !== "symbol") {
        out += `${top.written === 0 ? "{" : ""}${lineBreak(stack.length, top.written > 0)}${quoteKey(key)}: `;
        top.written++;
        pending = member;
        hasPending = true;
      }
    } else {
      stack.pop();
      out += top.written === 0 ? "{}" : `${lineBreak(stack.length, false)}}`;
    }
    if (out.length >= pieceLength) {
      yield out;
      out = "";
    }
  }
  yield `${out}\n`;
}

/** An array element or the whole value; in an object, keys whose value JSON cannot hold are left out (writtenKeys). */
function scalar(value: unknown): string {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      throw new TypeError("Do not know how to serialize a BigInt");
    default:
      // null, and in an array undefined, a function or a symbol, as JSON.stringify writes them.
      return "null";
  }
}

// Characters JSON.stringify escapes: the quote, the backslash, controls, and (lone) surrogates.
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(text: string): string {
  return needsEscape.test(text) ? JSON.stringify(text) : `"${text}"`;
}

// Documents repeat the same few dozen keys; remembering them quoted saved 10% of writing a state.
// Bounded, since keys can also be names (a fabric's, in what a target holds).
const quotedKeys = new Map<string, string>();
const rememberedKeys = 10_000;

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = quote(key);
    if (quotedKeys.size < rememberedKeys) quotedKeys.set(key, quoted);
  }
  return quoted;
}

// A canonical array index ("0", "7", "42", not "01"), below 2^32 - 1.
const arrayIndex = /^(?:0|[1-9][0-9]{0,9})$/;

function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 0x30 && first <= 0x39 && arrayIndex.test(key) && Number(key) < 4294967295;
}

/**
 * The keys of an object as the canonical text lists them. Sorted by code point, except that array
 * indices come first, in numeric order: V8 lists an object's own keys that way whatever the order
 * they were inserted in (so Object.keys gives them first, already in that order), and so the sorted
 * copy that JSON.stringify used to print had them there too.
 */
function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  let indices = 0;
  while (indices < keys.length && isArrayIndex(keys[indices]!)) indices++;
  // Without a comparator, sort compares strings by UTF-16 code units: compareCodePoints' order, faster.
  if (indices === 0) return keys.sort();
  return [...keys.slice(0, indices), ...keys.slice(indices).sort()];
}
