// Flattens a fabric or connection config into the fields a reviewer knows from the YAML (url, port,
// password, members, secrets.provider, secrets.exec.timeout: 20s, ...), so that a plan speaks the
// config's language rather than the synthesized document's. Walks the document generically, so fields
// that synth adds later show up without a change here; a secret reference collapses into one field shown
// as `provider:name`. Fields synth derives (capabilities, isDefaultWarehouseConnection, fingerprint) stay
// in the Plan value, for scripts reading the json; the text and markdown renderers leave them out.
import { writtenDuration } from "../duration.js";
import { describeSecretRef } from "../model.js";
import { secretRefOf, type ConnectionConfig, type FabricConfig, type SecretRefConfig } from "../synth/fabricConfig.js";
import type { FieldChange, PlanScalar, PlanValue } from "./plan.js";
import { compareCodePoints } from "../json/canonical.js";

export interface FieldValue {
  readonly value: PlanValue;
  readonly secretRef?: true;
}

/** Field name → value, in the order a reviewer reads them. */
export type Fields = ReadonlyMap<string, FieldValue>;

interface FieldScheme {
  /** Document paths not shown as fields: the identity, which the plan's headings carry. */
  readonly skip: ReadonlySet<string>;
  /** Document path (or path prefix) → the name the config uses, and the value as the config writes it. */
  readonly renames: readonly (readonly [string, string, ((value: PlanScalar) => PlanScalar)?])[];
  /** Fields (or field prefixes) listed first, in this order; the rest follow alphabetically. */
  readonly order: readonly string[];
  /**
   * What rename and rank worked out for each path and field seen so far: a plan of 100,000 new
   * connections flattens a million fields over a dozen paths.
   */
  readonly renamed: Map<string, Renamed>;
  readonly ranks: Map<string, number>;
}

interface Renamed {
  readonly name: string;
  readonly written: (value: PlanScalar) => PlanScalar;
}

/** Fields synth derives rather than the config declares (or their prefixes): json plans only. */
const derivedFields = ["capabilities", "isDefaultWarehouseConnection", "fingerprint"];

export function isDerivedField(field: string): boolean {
  return derivedFields.some((d) => field === d || field.startsWith(`${d}.`));
}

const connectionScheme: FieldScheme = {
  skip: new Set(["name", "kind"]),
  renames: [
    ["properties.smtpUrl", "url"],
    ["properties.smtpPort", "port"],
    ["properties.smtpUsername", "username"],
    ["properties.smtpPassword", "password"],
  ],
  order: ["url", "port", "tls", "username", "password", "insecure", "caFile", "caSha256"],
  renamed: new Map(),
  ranks: new Map(),
};

const fabricScheme: FieldScheme = {
  skip: new Set(["name", "connections"]),
  renames: [
    ["teamName", "team"],
    ["team.members", "members"],
    ["team.reviewers", "reviewers"],
    ["secretProviders.default", "secrets.provider"],
    ["secretProviders.exec.timeoutMs", "secrets.exec.timeout", (ms) => writtenDuration(Number(ms))],
    ["secretProviders", "secrets"],
  ],
  order: ["team", "description", "provider", "members", "reviewers", "secrets.provider", "secrets", "trustedHosts"],
  renamed: new Map(),
  ranks: new Map(),
};

export function connectionFields(connection: ConnectionConfig): Fields {
  return flatten(connection, connectionScheme);
}

export function fabricFields(fabric: FabricConfig): Fields {
  return flatten(fabric, fabricScheme);
}

export function sameValue(a: PlanValue | undefined, b: PlanValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** Every field that differs; every field, when one side is absent. */
export function diffFields(before: Fields | undefined, after: Fields | undefined): FieldChange[] {
  // One side only (a create or a delete, most of a large first apply): every field, in its own order.
  if (!before || !after) {
    const changes: FieldChange[] = [];
    for (const [field, v] of (after ?? before)!) changes.push({ field, ...(before ? { before: v.value } : { after: v.value }), ...(v.secretRef && { secretRef: true as const }) });
    return changes;
  }
  const names = [...new Set([...(before?.keys() ?? []), ...(after?.keys() ?? [])])];
  const changes: FieldChange[] = [];
  for (const field of names) {
    const b = before?.get(field);
    const a = after?.get(field);
    if (b && a && sameValue(b.value, a.value) && b.secretRef === a.secretRef) continue;
    changes.push({
      field,
      ...(b && { before: b.value }),
      ...(a && { after: a.value }),
      ...((b?.secretRef || a?.secretRef) && { secretRef: true as const }),
    });
  }
  // Fields of the two sides interleave in reading order (url, port, ... before the rest): each field
  // where it first comes, in after's fields and then before's.
  const position = new Map<string, number>();
  for (const field of [...(after?.keys() ?? []), ...(before?.keys() ?? [])]) if (!position.has(field)) position.set(field, position.size);
  return changes.sort((x, y) => position.get(x.field)! - position.get(y.field)!);
}

function flatten(document: object, scheme: FieldScheme): Fields {
  const found = new Map<string, FieldValue>();
  const visit = (value: unknown, path: string): void => {
    if (scheme.skip.has(path) || value === undefined || value === null) return;
    if (isSecretRefConfig(value)) {
      found.set(rename(path, scheme).name, { value: describeSecretRef(secretRefOf(value)), secretRef: true });
    } else if (Array.isArray(value) && value.every(isScalar)) {
      found.set(rename(path, scheme).name, { value: value as PlanScalar[] });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else if (typeof value === "object") {
      for (const [key, child] of Object.entries(value)) visit(child, path === "" ? key : `${path}.${key}`);
    } else if (isScalar(value)) {
      const { name, written } = rename(path, scheme);
      found.set(name, { value: written(value) });
    }
  };
  visit(document, "");
  return new Map([...found].sort(([a], [b]) => rank(a, scheme) - rank(b, scheme) || compareCodePoints(a, b)));
}

const asIs = (value: PlanScalar) => value;

function rename(path: string, scheme: FieldScheme): Renamed {
  let renamed = scheme.renamed.get(path);
  if (renamed === undefined) {
    renamed = renameRule(path, scheme);
    scheme.renamed.set(path, renamed);
  }
  return renamed;
}

function renameRule(path: string, scheme: FieldScheme): Renamed {
  for (const [from, to, written] of scheme.renames) {
    if (path === from) return { name: to, written: written ?? asIs };
    if (path.startsWith(`${from}.`)) return { name: to + path.slice(from.length), written: asIs };
  }
  return { name: path, written: asIs };
}

/** Declared fields in reading order, then the rest alphabetically, then what synth derives. */
function rank(field: string, scheme: FieldScheme): number {
  let r = scheme.ranks.get(field);
  if (r === undefined) {
    const i = scheme.order.findIndex((o) => field === o || field.startsWith(`${o}.`));
    r = isDerivedField(field) ? scheme.order.length + 1 : i === -1 ? scheme.order.length : i;
    scheme.ranks.set(field, r);
  }
  return r;
}

function isScalar(value: unknown): value is PlanScalar {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

export function isSecretRefConfig(value: unknown): value is SecretRefConfig {
  const v = value as Partial<SecretRefConfig> | null;
  return v !== null && typeof v === "object" && v.type === "secret" && typeof v.kind === "string" && typeof v.properties?.name === "string";
}
