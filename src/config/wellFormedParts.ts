// The parts of a declaration document that passed the schema, so that the semantic checks can run on
// them in the same pass (one run reports every mistake, not schema errors first and the rest after the
// next push). A broken connection is left out; a team or fabric with a broken field keeps its other
// fields, as long as its name (and a fabric's team) is well-formed, so that references to it still
// resolve and no error is reported twice; a fabric with broken secret settings keeps no connections,
// since they would be checked against settings that are not there. Array positions are kept (a left-out item becomes null), because every
// diagnostic finds its line by its path into the document.
import type { Diagnostic, DocPath } from "../diagnostics/diagnostic.js";
import type { ConfigSource } from "./configSource.js";

const slug = /^[a-z0-9][a-z0-9_-]{0,62}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** What the schema errors of one document break, by unit. */
interface Broken {
  whole: boolean;
  prophecy: boolean;
  lists: Set<string>;
  /** Team or fabric index → its broken fields ("" when the object itself is). */
  teams: Map<number, Set<string>>;
  fabrics: Map<number, Set<string>>;
  /** Fabrics whose secret provider settings are broken: their connections cannot be checked. */
  fabricSecrets: Set<number>;
  connections: Set<string>;
}

function brokenBy(paths: readonly DocPath[]): Broken {
  const broken: Broken = { whole: false, prophecy: false, lists: new Set(), teams: new Map(), fabrics: new Map(), fabricSecrets: new Set(), connections: new Set() };
  const mark = (units: Map<number, Set<string>>, index: number, field: unknown) => units.set(index, (units.get(index) ?? new Set()).add(typeof field === "string" ? field : ""));
  for (const [top, index, field, connection] of paths) {
    if (top === undefined || top === "version") broken.whole = true;
    else if (top === "prophecy") broken.prophecy = true;
    else if (top === "teams" || top === "fabrics") {
      if (typeof index !== "number") broken.lists.add(top);
      else if (top === "teams") mark(broken.teams, index, field);
      else if (field === "connections" && typeof connection === "number") broken.connections.add(`${index}/${connection}`);
      else {
        mark(broken.fabrics, index, field);
        if (field === "secrets" || field === "connections") broken.fabricSecrets.add(index);
      }
    }
  }
  return broken;
}

/** A declaration without its broken fields, or null when what names it is itself broken. */
function withoutBroken(item: unknown, broken: ReadonlySet<string> | undefined, naming: readonly string[]): Json | null {
  if (!isObject(item)) return null;
  if (!broken) return item;
  const kept: Json = { ...item };
  for (const field of broken) delete kept[field];
  return naming.every((f) => typeof kept[f] === "string" && slug.test(kept[f])) ? kept : null;
}

function fabricPart(fabric: unknown, index: number, broken: Broken): unknown {
  const kept = withoutBroken(fabric, broken.fabrics.get(index), ["name", "team"]);
  if (!kept || !Array.isArray(kept.connections)) return kept;
  return { ...kept, connections: kept.connections.map((c, j) => (broken.fabricSecrets.has(index) || broken.connections.has(`${index}/${j}`) ? null : c)) };
}

/**
 * The well-formed part of `source`, given the schema's diagnostics about it; undefined when nothing of
 * it can be checked further (the document itself is not a config, or of another version).
 */
export function wellFormedPart(source: ConfigSource, schemaDiagnostics: readonly Diagnostic[]): ConfigSource | undefined {
  if (schemaDiagnostics.length === 0) return source;
  const broken = brokenBy(schemaDiagnostics.map((d) => d.path ?? []));
  if (broken.whole || !isObject(source.data)) return undefined;
  const data = source.data;
  const part: Json = { version: data.version };
  if (Array.isArray(data.teams) && !broken.lists.has("teams")) part.teams = data.teams.map((t, i) => withoutBroken(t, broken.teams.get(i), ["name"]));
  if (Array.isArray(data.fabrics) && !broken.lists.has("fabrics")) part.fabrics = data.fabrics.map((f, i) => fabricPart(f, i, broken));
  if (data.prophecy !== undefined && !broken.prophecy) part.prophecy = data.prophecy;
  return { ...source, data: part, locate: source.locate, origin: source.origin };
}
