// Flattens a fabric or connection config into the fields a reviewer knows from the YAML (url, port,
// password, members, secrets.provider, ...), so that a plan speaks the config's language rather than the
// synthesized document's. Walks the document generically, so fields that synth adds later show up
// without a change here; a secret reference collapses into one field shown as `provider:name`.
import { describeSecretRef } from "../model.js";
import { secretRefOf, type ConnectionConfig, type FabricConfig, type SecretRefConfig } from "../synth/fabricConfig.js";
import type { PlanScalar, PlanValue } from "./plan.js";
import { compareCodePoints } from "../json/canonical.js";

export interface FieldValue {
  readonly value: PlanValue;
  readonly secretRef?: true;
}

/** Field name → value, in the order a reviewer reads them. */
export type Fields = ReadonlyMap<string, FieldValue>;

interface FieldScheme {
  /** Document paths not shown as fields: identity, or derived from other fields. */
  readonly skip: ReadonlySet<string>;
  /** Document path (or path prefix) → the name the config uses. */
  readonly renames: readonly (readonly [string, string])[];
  /** Fields (or field prefixes) listed first, in this order; the rest follow alphabetically. */
  readonly order: readonly string[];
  /**
   * What rename and rank worked out for each path and field seen so far: a plan of 100,000 new
   * connections flattens a million fields over a dozen paths.
   */
  readonly renamed: Map<string, string>;
  readonly ranks: Map<string, number>;
}

const connectionScheme: FieldScheme = {
  skip: new Set(["name", "kind", "fingerprint"]),
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

function flatten(document: object, scheme: FieldScheme): Fields {
  const found = new Map<string, FieldValue>();
  const visit = (value: unknown, path: string): void => {
    if (scheme.skip.has(path) || value === undefined || value === null) return;
    if (isSecretRefConfig(value)) {
      found.set(rename(path, scheme), { value: describeSecretRef(secretRefOf(value)), secretRef: true });
    } else if (Array.isArray(value) && value.every(isScalar)) {
      found.set(rename(path, scheme), { value: value as PlanScalar[] });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else if (typeof value === "object") {
      for (const [key, child] of Object.entries(value)) visit(child, path === "" ? key : `${path}.${key}`);
    } else if (isScalar(value)) {
      found.set(rename(path, scheme), { value });
    }
  };
  visit(document, "");
  return new Map([...found].sort(([a], [b]) => rank(a, scheme) - rank(b, scheme) || compareCodePoints(a, b)));
}

function rename(path: string, scheme: FieldScheme): string {
  let name = scheme.renamed.get(path);
  if (name === undefined) {
    const rule = scheme.renames.find(([from]) => path === from || path.startsWith(`${from}.`));
    name = rule ? rule[1] + path.slice(rule[0].length) : path;
    scheme.renamed.set(path, name);
  }
  return name;
}

function rank(field: string, scheme: FieldScheme): number {
  let i = scheme.ranks.get(field);
  if (i === undefined) {
    i = scheme.order.findIndex((o) => field === o || field.startsWith(`${o}.`));
    if (i === -1) i = scheme.order.length;
    scheme.ranks.set(field, i);
  }
  return i;
}

function isScalar(value: unknown): value is PlanScalar {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

export function isSecretRefConfig(value: unknown): value is SecretRefConfig {
  const v = value as Partial<SecretRefConfig> | null;
  return v !== null && typeof v === "object" && v.type === "secret" && typeof v.kind === "string" && typeof v.properties?.name === "string";
}
