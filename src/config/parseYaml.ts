// YAML text → ConfigSources that remember every node's position. Hostile input is expected (a config
// may come from any pull request): duplicate keys, alias bombs and absurd nesting end in diagnostics.
// A file with YAML errors may not be YAML at all (a link to a token file, a binary renamed .yaml), so its
// diagnostics say what is wrong in fixed words and never quote it: yaml's own messages can carry source
// text (a tag, an escape sequence, an alias name, a directive).
//
// The yaml package is loaded only when a file needs it (the fast path bailed out, or a diagnostic needs
// a position): loading it cost about 20 ms of every command's start-up. It is loaded with require, its
// CommonJS build being what Node imports anyway, so that parsing stays synchronous.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { Document, ErrorCode, Node } from "yaml";
import { errorAt, type Diagnostic, type DocPath, type Location } from "../diagnostics/diagnostic.js";
import type { ConfigSource } from "./configSource.js";
import { maxAliasCount, maxDepth } from "./limits.js";
import { parseYamlFast } from "./yamlFastPath.js";

type Yaml = typeof import("yaml");
let loaded: Yaml | undefined;
function yaml(): Yaml {
  return (loaded ??= createRequire(import.meta.url)("yaml") as Yaml);
}

/** What each of yaml's error codes means, in words that quote nothing of the file. */
const yamlProblems: Record<ErrorCode, string> = {
  ALIAS_PROPS: "an alias cannot carry an anchor or a tag",
  BAD_ALIAS: "an anchor or alias name is not valid",
  BAD_COLLECTION_TYPE: "a tag does not fit the collection it is on",
  BAD_DIRECTIVE: "a %YAML or %TAG directive is not valid",
  BAD_DQ_ESCAPE: "a double-quoted string holds an invalid escape sequence",
  BAD_INDENT: "the indentation is wrong here",
  BAD_PROP_ORDER: "anchors and tags must come after the indicator they belong to",
  BAD_SCALAR_START: "a plain value starts with a reserved character (quote the value)",
  BLOCK_AS_IMPLICIT_KEY: "a block collection cannot be an implicit key",
  BLOCK_IN_FLOW: "a block collection cannot stand inside a flow collection ([…] or {…})",
  DUPLICATE_KEY: "map keys must be unique: this key is already set above",
  IMPOSSIBLE: "the YAML parser met a structure it cannot handle",
  KEY_OVER_1024_CHARS: "an implicit key is longer than 1024 characters",
  MISSING_CHAR: "a character is missing here (a comma, a colon, a space, or a closing quote or bracket)",
  MULTILINE_IMPLICIT_KEY: "an implicit key must stand on a single line",
  MULTIPLE_ANCHORS: "a node has more than one anchor",
  MULTIPLE_DOCS: "the file holds more than one document where one is expected",
  MULTIPLE_TAGS: "a node has more than one tag",
  NON_STRING_KEY: "a map key must be a string",
  RESOURCE_EXHAUSTION: `nesting is too deep to parse (the limit is ${maxDepth} levels)`,
  TAB_AS_INDENT: "tabs are not allowed as indentation",
  TAG_RESOLVE_FAILED: "a tag cannot be resolved (a fabricate config uses no tags)",
  UNEXPECTED_TOKEN: "unexpected text here: YAML does not allow it at this place",
};

function childOf(node: unknown, segment: string | number, doc: Document): { value: unknown; key: unknown } | undefined {
  const { isAlias, isMap, isScalar, isSeq } = yaml();
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(resolved)) {
    // The data's keys are strings: a key YAML reads as another scalar (1, or YAML 1.1's y for true) is found by its string.
    const pair = resolved.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
    return pair ? { value: pair.value, key: pair.key } : undefined;
  }
  if (isSeq(resolved) && typeof segment === "number") {
    const item = resolved.items[segment];
    return item === undefined ? undefined : { value: item, key: item };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

/**
 * The first node, in document order, that toJS must not or cannot turn into data: a collection nested
 * deeper than maxDepth, an alias inside the collection it names (a cycle), or a merge key (`<<` under
 * `%YAML 1.1`) given anything but a map or a list of maps, on which yaml would throw. Aliases resolve to
 * the last anchor of their name before them, as yaml resolves them. Found without recursion so that
 * depth itself cannot overflow.
 */
function structuralProblem(doc: Document): { node: unknown; code: string; message: string } | undefined {
  const { isAlias, isCollection, isMap, isPair, isScalar, isSeq } = yaml();
  const contains = (outer: Node, inner: Node) => !!outer.range && !!inner.range && outer.range[0] <= inner.range[0] && inner.range[0] < outer.range[2];
  const anchors = new Map<string, unknown>();
  // Each alias is resolved where it stands, once every anchor before it is known; a merge looks its aliases up here.
  const aliased = new Map<unknown, unknown>();
  const resolve = (node: unknown) => (isAlias(node) ? aliased.get(node) : node);
  // As yaml decides it at toJS: a key tagged !!merge always merges (it is resolved to a symbol); a plain
  // `<<` does where the schema has merge keys (YAML 1.1's).
  const merges = doc.schema.tags.some((tag) => tag.tag === "tag:yaml.org,2002:merge" && tag.default);
  const isMergeKey = (key: unknown) =>
    isScalar(key) && (typeof key.value === "symbol" || (merges && key.value === "<<" && (!key.type || key.type === "PLAIN")));
  // A merge value is checked where it stands: a list's items one by one.
  type Visit = { node: unknown; depth: number; merge?: "value" | "item" };
  const stack: Visit[] = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth, merge } = stack.pop()!;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      // An alias inside the collection it names would make the data a cycle, which nothing after could walk.
      if (isCollection(target) && contains(target, node)) return { node, code: "yaml.recursive-alias", message: "an alias refers to a collection that contains it (a cycle)" };
      aliased.set(node, target);
    }
    if (merge) {
      const source = resolve(node);
      // A list's items are checked as they are reached, except those of an aliased list (reached before) and pairs (!!omap, !!pairs).
      const fits = isMap(source) || (merge === "value" && isSeq(source) && !source.items.some(isPair) && (!isAlias(node) || source.items.every((i) => isMap(resolve(i)))));
      if (!fits) return { node, code: "yaml.merge-source", message: "a merge key (<<) takes a map, an alias of a map defined before it, or a list of those" };
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor !== undefined && !isAlias(node)) anchors.set(anchor, node);
    if (!isCollection(node)) continue;
    if (depth > maxDepth) return { node, code: "yaml.too-deep", message: `nesting is deeper than ${maxDepth} levels` };
    // Pushed last to first, so that they come off the stack in document order (a pair's key before its value).
    const items = node.items as unknown[];
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (!isPair(item)) stack.push({ node: item, depth: depth + 1, ...(merge === "value" && isSeq(node) && { merge: "item" as const }) });
      else stack.push({ node: item.value, depth: depth + 1, ...(isMergeKey(item.key) && { merge: "value" as const }) }, { node: item.key, depth: depth + 1 });
    }
  }
  return undefined;
}

/** Parses with the full composer: every node keeps its position, and every YAML error is reported. */
function parseYamlDocuments(file: string, text: string): { sources: ConfigSource[]; diagnostics: Diagnostic[] } {
  const { LineCounter, parseAllDocuments } = yaml();
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined): Location => {
    if (offset === undefined) return { file };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const diagnostics: Diagnostic[] = [];
  const sources: ConfigSource[] = [];
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false }) as Document.Parsed[];
  } catch (e) {
    if (e instanceof RangeError) return { sources, diagnostics: [errorAt({ file }, "yaml.too-deep", `nesting is too deep to parse (the limit is ${maxDepth} levels)`)] };
    throw e;
  }
  if (!Array.isArray(docs)) docs = [docs];
  for (const doc of docs) {
    for (const e of doc.errors) {
      // yaml catches its own stack overflow on absurd nesting and reports it as resource exhaustion.
      const code = e.code === "RESOURCE_EXHAUSTION" ? "yaml.too-deep" : `yaml.${e.code.toLowerCase()}`;
      diagnostics.push(errorAt(at(e.pos[0]), code, yamlProblems[e.code]));
    }
    if (doc.errors.length > 0) continue;
    const problem = structuralProblem(doc);
    if (problem) {
      diagnostics.push(errorAt(at(rangeStart(problem.node)), problem.code, problem.message));
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount });
    } catch (e) {
      // Both are yaml's ReferenceError; its message would quote the alias's name, so only which one it is shows.
      if (e instanceof ReferenceError && !/excessive alias count/i.test(e.message)) {
        diagnostics.push(errorAt(at(rangeStart(doc.contents)), "yaml.unresolved-alias", "an alias refers to an anchor that is not defined before it"));
        continue;
      }
      if (e instanceof ReferenceError || e instanceof RangeError) {
        diagnostics.push(errorAt(at(rangeStart(doc.contents)), "yaml.alias-limit", `aliases expand too far (at most ${maxAliasCount} alias expansions)`));
        continue;
      }
      throw e;
    }
    if (data === null || data === undefined) continue;
    const locate = (path: DocPath, key = false): Location => {
      let node: unknown = doc.contents;
      let keyNode: unknown;
      for (const segment of path) {
        const child = childOf(node, segment, doc);
        if (!child) return { ...at(rangeStart(node)), path };
        node = child.value;
        keyNode = child.key;
      }
      return { ...at(rangeStart(key && keyNode ? keyNode : node) ?? rangeStart(keyNode)), path };
    };
    sources.push({ data, baseDir: dirname(file), locate, origin: (path) => ({ file, path }) });
  }
  // A file with any YAML error is not known to be config: none of its documents is checked further,
  // since schema errors quote values.
  return diagnostics.length > 0 ? { sources: [], diagnostics } : { sources, diagnostics };
}

/**
 * YAML text → ConfigSources. Plain files take the fast path (yamlFastPath.ts) and compute positions
 * only if a diagnostic needs one; everything else goes through the full composer at once.
 */
export function parseYamlSources(file: string, text: string): { sources: ConfigSource[]; diagnostics: Diagnostic[] } {
  const fastData = parseYamlFast(text);
  if (fastData === undefined) return parseYamlDocuments(file, text);
  let full: ConfigSource | undefined;
  const source: ConfigSource = {
    data: fastData,
    baseDir: dirname(file),
    // The fast path only accepts what the full composer reads identically, without error.
    locate: (path, key) => (full ??= parseYamlDocuments(file, text).sources[0]!).locate(path, key),
    origin: (path) => ({ file, path }),
  };
  return { sources: [source], diagnostics: [] };
}
