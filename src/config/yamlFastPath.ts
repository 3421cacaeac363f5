// A fast path for the plain YAML that config files almost always are. The yaml package spends most of
// validate's time on a large config tokenising and composing nodes with positions, which a valid file
// never needs. Plain files (block mappings and sequences of one-line scalars, one-line flow
// collections of scalars, comments) are read here line by line instead. Anything outside that subset
// (anchors, aliases, tags, block or multi-line scalars, escapes, tabs, CR, directives, document
// markers, duplicate keys, odd indentation, anything unsure) returns undefined, and the file takes the
// yaml package's full composer, which also reports every error. test/config/yamlFastPath.test.ts checks
// against that composer, over many thousands of random and mutated files, that whatever this accepts,
// yaml accepts without error and reads as the same data.
import { maxDepth } from "./limits.js";

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

// yaml's core schema tests (node_modules/yaml/dist/schema/core/{int,float}.js).
const coreNumber = [
  /^[-+]?[0-9]+$/,
  /^0o[0-7]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
];

/** A plain scalar's value under yaml 1.2's core schema; numbers other than small decimals bail. */
function plainValue(source: string): unknown {
  switch (source) {
    case "~":
    case "null":
    case "Null":
    case "NULL":
      return null;
    case "true":
    case "True":
    case "TRUE":
      return true;
    case "false":
    case "False":
    case "FALSE":
      return false;
  }
  // Every core-schema number starts with a sign, a digit or a dot: other words skip the six tests.
  const first = source.charCodeAt(0);
  if (!(first === 0x2b || first === 0x2d || first === 0x2e || (first >= 0x30 && first <= 0x39))) return source;
  if (/^[0-9]{1,15}$/.test(source)) return Number(source);
  if (coreNumber.some((re) => re.test(source))) bail();
  return source;
}

/** Keys are simple words; anything else (quoted, spaced, odd) takes the full composer. */
const simpleKey = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
/** A plain scalar may not start with an indicator; `-`, `?` and `:` only when a non-space follows. */
const badPlainStart = /^(?:[,[\]{}#&*!|>'"%@`]|[-?:](?: |$))/;

function keyOf(source: string): string {
  if (!simpleKey.test(source) || source === "<<") bail();
  const key = plainValue(source);
  return typeof key === "string" ? key : bail();
}

function put(map: Record<string, unknown>, key: string, value: unknown): void {
  if (Object.prototype.hasOwnProperty.call(map, key)) bail();
  // defineProperty, so that a "__proto__" key stays data instead of replacing the prototype.
  if (key === "__proto__") Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/** What may follow a value on its line: nothing, or a comment after white space. */
function checkTrailing(rest: string): void {
  if (rest !== "" && !/^ +(#.*)?$/.test(rest)) bail();
}

/** A quoted scalar without escapes; `end` is where the text after it starts. */
function quoted(text: string): { value: string; end: number } {
  const q = text[0]!;
  const close = text.indexOf(q, 1);
  if (close === -1) return bail();
  const value = text.slice(1, close);
  if (q === '"' && value.includes("\\")) bail();
  if (q === "'" && text[close + 1] === "'") bail(); // '' is an escaped quote
  return { value, end: close + 1 };
}

/** A scalar inside a one-line flow collection. */
function flowScalar(item: string): unknown {
  if (item === "") return bail();
  if (item[0] === '"' || item[0] === "'") {
    const q = quoted(item);
    if (q.end !== item.length) bail();
    return q.value;
  }
  if (badPlainStart.test(item) || /[:#"']/.test(item)) bail();
  return plainValue(item);
}

/** `[a, "b"]` or `{k: v}` on one line, holding only scalars; `end` is where the text after it starts. */
function flowCollection(text: string): { value: unknown; end: number } {
  const open = text[0]!;
  const closeChar = open === "[" ? "]" : "}";
  const items: string[] = [];
  let start = 1;
  let i = 1;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, i + 1);
      if (close === -1) bail();
      i = close;
    } else if (ch === ",") {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    } else if (ch === closeChar) {
      break;
    } else if ("[]{}".includes(ch)) {
      bail();
    }
  }
  if (i >= text.length) bail();
  const last = text.slice(start, i).trim();
  if (last !== "" || items.length > 0) items.push(last);
  if (open === "[") return { value: items.map(flowScalar), end: i + 1 };
  const map: Record<string, unknown> = {};
  for (const item of items) {
    const colon = item.indexOf(": ");
    if (colon === -1) bail();
    put(map, keyOf(item.slice(0, colon)), flowScalar(item.slice(colon + 2).trim()));
  }
  return { value: map, end: i + 1 };
}

/** The value after `key: ` or `- `, with any comment after it. */
function inlineValue(text: string): unknown {
  const first = text[0]!;
  if (first === '"' || first === "'") {
    const q = quoted(text);
    checkTrailing(text.slice(q.end));
    return q.value;
  }
  if (first === "[" || first === "{") {
    const f = flowCollection(text);
    checkTrailing(text.slice(f.end));
    return f.value;
  }
  const comment = text.indexOf(" #");
  const plain = (comment === -1 ? text : text.slice(0, comment)).trimEnd();
  // `a: b: c` would be a mapping inside a one-line value, which YAML forbids; a trailing `:` a key.
  if (badPlainStart.test(plain) || plain.includes(": ") || plain.endsWith(":")) bail();
  return plainValue(plain);
}

interface Frame {
  readonly indent: number;
  readonly node: Record<string, unknown> | unknown[];
}

/** `key:` or `key: value` → the key and what follows the colon (undefined when it is not a key line). */
function splitKey(content: string): { key: string; rest: string } | undefined {
  const colon = content.search(/:(?: |$)/);
  if (colon <= 0) return undefined;
  return { key: keyOf(content.slice(0, colon)), rest: content.slice(colon + 1).trimStart() };
}

class LineParser {
  private readonly root: Record<string, unknown> = {};
  private readonly stack: Frame[] = [{ indent: 0, node: this.root }];
  /** A key whose value is a block on the following lines. */
  private pending?: { map: Record<string, unknown>; key: string; indent: number };
  /** The indent of the last one-line value: a deeper line after it would continue it. */
  private valueIndent = -1;

  parse(text: string): Record<string, unknown> {
    for (const line of text.split("\n")) {
      const content = line.trimStart();
      if (content === "" || content[0] === "#") continue;
      const indent = line.length - content.length;
      if (indent === 0 && /^(---|\.\.\.)( |$)|^%/.test(content)) bail();
      this.line(indent, content.trimEnd());
    }
    if (this.pending) put(this.pending.map, this.pending.key, null);
    return this.root;
  }

  private push(frame: Frame): void {
    if (this.stack.length >= maxDepth) bail();
    this.stack.push(frame);
  }

  private line(indent: number, content: string): void {
    const isItem = content === "-" || content.startsWith("- ");
    if (this.valueIndent >= 0 && indent > this.valueIndent) bail();
    this.valueIndent = -1;
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      // The block value of `key:` is deeper than the key, or a sequence at the key's own indent.
      if (indent > pending.indent || (indent === pending.indent && isItem)) {
        const node = isItem ? [] : {};
        put(pending.map, pending.key, node);
        this.push({ indent, node });
      } else {
        put(pending.map, pending.key, null);
      }
    }
    let top = this.stack[this.stack.length - 1]!;
    while (top.indent > indent || (top.indent === indent && Array.isArray(top.node) && !isItem && this.stack.length > 1)) {
      this.stack.pop();
      top = this.stack[this.stack.length - 1]!;
    }
    if (top.indent !== indent) bail();
    if (Array.isArray(top.node)) {
      if (!isItem) bail();
      this.item(top.node, indent, content);
    } else {
      if (isItem) bail();
      this.entry(top.node, indent, content);
    }
  }

  private item(seq: unknown[], indent: number, content: string): void {
    const rest = content.slice(1).trimStart();
    if (rest === "" || rest[0] === "#" || rest === "-" || rest.startsWith("- ")) bail();
    const entry = rest[0] === '"' || rest[0] === "'" || rest[0] === "[" || rest[0] === "{" ? undefined : splitKey(rest);
    if (!entry) {
      seq.push(inlineValue(rest));
      this.valueIndent = indent;
      return;
    }
    // `- key: value` starts a mapping at the column of its key.
    const map: Record<string, unknown> = {};
    seq.push(map);
    const mapIndent = indent + (content.length - rest.length);
    this.push({ indent: mapIndent, node: map });
    this.value(map, mapIndent, entry.key, entry.rest);
  }

  private entry(map: Record<string, unknown>, indent: number, content: string): void {
    const entry = splitKey(content) ?? bail();
    this.value(map, indent, entry.key, entry.rest);
  }

  private value(map: Record<string, unknown>, indent: number, key: string, rest: string): void {
    if (rest === "" || rest[0] === "#") {
      if (Object.prototype.hasOwnProperty.call(map, key)) bail();
      this.pending = { map, key, indent };
      return;
    }
    put(map, key, inlineValue(rest));
    this.valueIndent = indent;
  }
}

/** The first line that is neither blank nor a comment, found without splitting the whole text. */
function firstContentLine(text: string): string | undefined {
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    if (line.trim() !== "" && !line.trimStart().startsWith("#")) return line;
    start = end + 1;
  }
  return undefined;
}

/** The data of a plain one-document file, or undefined when the file needs the full composer. */
export function parseYamlFast(text: string): unknown {
  if (/[\t\r\0\uFEFF\\]/.test(text)) return undefined;
  try {
    const first = firstContentLine(text);
    if (first === undefined || first[0] === " ") return undefined;
    return new LineParser().parse(text);
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}
