// A fast path for the plain YAML that config files almost always are. The yaml package's composer
// (Document, nodes, ranges) costs two thirds of validate's time on a thousand files, so common files
// are built straight from yaml's own CST (its lexer and parser, so tokenising is the package's). Any
// construct outside a small, well-understood subset (anchors, aliases, tags, block scalars, multi-line
// scalars or flow collections, tabs, CR, directives, several documents, duplicate keys, anything odd)
// returns undefined and the file takes the full composer. test/config/yamlFastPath.test.ts checks
// against the full composer that whatever this accepts, yaml accepts without error and reads the same.
import { CST, Parser } from "yaml";
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

/** yaml 1.2 core schema, for plain scalars; anything it would read as a float or a non-decimal int bails. */
function plainValue(source: string): unknown {
  if (source.includes("\n")) bail();
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
  if (/^[0-9]{1,15}$/.test(source)) return Number(source);
  // The core schema's other numbers (signed, octal, hex, floats), and indicator characters that YAML
  // reserves or forbids at the start of a plain scalar.
  if (coreNumber.some((re) => re.test(source)) || /^[@`%!&*|>'"#,[\]{}?:]/.test(source) || /^-(\s|$)/.test(source)) bail();
  return source;
}

type SourceToken = CST.SourceToken;


function count(tokens: readonly SourceToken[] | undefined, type: string): number {
  let n = 0;
  for (const t of tokens ?? []) if (t.type === type) n++;
  return n;
}

class FastComposer {
  constructor(private readonly text: string) {}

  /** Only white space, newlines and comments (each preceded by white space, as YAML requires), or `allowed`. */
  onlyBlank(tokens: readonly SourceToken[] | undefined, allowed: readonly string[] = []): void {
    for (const t of tokens ?? []) {
      if (t.type === "comment") {
        if (t.offset > 0 && !/[ \n]/.test(this.text[t.offset - 1]!)) bail();
      } else if (t.type !== "space" && t.type !== "newline" && !allowed.includes(t.type)) {
        bail();
      }
    }
  }

  private column(offset: number): number {
    return offset - (this.text.lastIndexOf("\n", offset - 1) + 1);
  }

  private scalar(token: CST.Token): unknown {
    if (token.type === "scalar") {
      this.onlyBlank(token.end);
      return plainValue(token.source);
    }
    if (token.type === "single-quoted-scalar" || token.type === "double-quoted-scalar") {
      if (token.source.includes("\n")) bail();
      this.onlyBlank(token.end);
      const resolved = CST.resolveAsScalar(token, true, bail);
      return resolved.value;
    }
    return bail();
  }

  private key(token: CST.Token | null | undefined): string {
    if (!token || token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") return bail();
    if ("source" in token && token.source.length > 1000) bail();
    const value = this.scalar(token);
    if (typeof value !== "string" || value === "<<") bail();
    return value as string;
  }

  private put(map: Record<string, unknown>, key: string, value: unknown): void {
    if (Object.prototype.hasOwnProperty.call(map, key)) bail();
    // defineProperty, so that a "__proto__" key stays data instead of replacing the prototype.
    if (key === "__proto__") Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
    else map[key] = value;
  }

  value(token: CST.Token | undefined, depth: number, sameLine: boolean): unknown {
    if (depth > maxDepth) bail();
    if (token === undefined) return null;
    switch (token.type) {
      case "block-map": {
        if (sameLine) bail();
        const map: Record<string, unknown> = {};
        for (const item of token.items) {
          if (item.explicitKey || !("sep" in item) || !item.sep) return bail();
          this.onlyBlank(item.start);
          if (!item.key || this.column(item.key.offset) !== token.indent) bail();
          if (count(item.sep, "map-value-ind") !== 1 || item.sep[0]?.type !== "map-value-ind") bail();
          this.onlyBlank(item.sep, ["map-value-ind"]);
          const valueOnNewLine = count(item.sep, "newline") > 0;
          this.put(map, this.key(item.key), this.value(item.value, depth + 1, !valueOnNewLine));
        }
        return map;
      }
      case "block-seq": {
        if (sameLine) bail();
        const seq: unknown[] = [];
        for (const item of token.items) {
          const dash = item.start.find((t) => t.type === "seq-item-ind");
          if (!dash || this.column(dash.offset) !== token.indent || count(item.start, "seq-item-ind") !== 1) bail();
          this.onlyBlank(item.start, ["seq-item-ind"]);
          // `- name: x` puts a block map on the item's own line, which YAML allows after a dash.
          seq.push(this.value(item.value, depth + 1, false));
        }
        return seq;
      }
      case "flow-collection": {
        const isMap = token.start.type === "flow-map-start";
        if (!isMap && token.start.type !== "flow-seq-start") bail();
        const close = token.end.filter((t) => t.type !== "space" && t.type !== "comment" && t.type !== "newline");
        if (close.length !== 1 || close[0]!.type !== (isMap ? "flow-map-end" : "flow-seq-end")) bail();
        if (token.end.slice(0, token.end.indexOf(close[0]!)).some((t) => t.type !== "space")) bail();
        this.onlyBlank(token.end, ["flow-map-end", "flow-seq-end"]);
        const out: Record<string, unknown> | unknown[] = isMap ? {} : [];
        token.items.forEach((item, i) => {
          const commas = count(item.start, "comma");
          if (commas !== (i === 0 ? 0 : 1) || (i > 0 && item.start[0]?.type !== "comma")) bail();
          for (const t of item.start) if (t.type !== "space" && t.type !== "comma") bail();
          if (isMap) {
            if (!("sep" in item) || !item.sep || item.sep[0]?.type !== "map-value-ind" || item.value === undefined) return bail();
            for (const t of item.sep.slice(1)) if (t.type !== "space") bail();
            this.put(out as Record<string, unknown>, this.key(item.key), this.flowScalar(item.value));
          } else {
            if (("key" in item && item.key) || ("sep" in item && item.sep) || item.value === undefined) bail();
            (out as unknown[]).push(this.flowScalar(item.value!));
          }
        });
        if (token.items.length > 0 && token.items[token.items.length - 1]!.value === undefined) bail();
        return out;
      }
      default:
        return this.scalar(token);
    }
  }

  /** Flow collections on the fast path hold only scalars. */
  private flowScalar(token: CST.Token): unknown {
    if (token.type === "flow-collection" || token.type === "block-map" || token.type === "block-seq") bail();
    if ("end" in token && token.end?.some((t) => t.type !== "space")) bail();
    return this.scalar(token);
  }
}

/** The data of a one-document file, or undefined when the file needs the full composer. */
export function parseYamlFast(text: string): unknown {
  if (/[\t\r\0\uFEFF]/.test(text)) return undefined;
  try {
    let document: CST.Document | undefined;
    for (const token of new Parser().parse(text)) {
      if (token.type === "document") {
        if (document) return undefined;
        document = token;
      } else if (token.type !== "comment" && token.type !== "newline" && token.type !== "space") {
        return undefined;
      }
    }
    if (!document || document.value === undefined) return undefined;
    const composer = new FastComposer(text);
    composer.onlyBlank(document.start);
    composer.onlyBlank(document.end);
    if (document.value.type !== "block-map") return undefined;
    return composer.value(document.value, 1, false);
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}
