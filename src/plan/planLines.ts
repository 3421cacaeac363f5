// The body of a plan as marked lines (+ create, - delete, ~ update, -/+ replace, ! warning), shared by
// the text renderer and the markdown renderer's folded details, so that both say the same thing.
import { isDerivedField } from "./fields.js";
import { flowValue } from "./flowValue.js";
import type { ConnectionChange, DriftItem, FabricChange, FieldChange, PlanAction, PlanValue, TargetPlan, UnknownOutcome } from "./plan.js";

/** `?` marks a call whose outcome was unknown. */
export type Marker = "+" | "-" | "~" | "-/+" | "!" | "?" | " ";

export interface PlanLine {
  readonly marker: Marker;
  /** Nesting: 0 fabric, 1 its fields and connections, 2 a connection's fields. */
  readonly depth: number;
  readonly text: string;
}

const markers: Record<PlanAction, Marker> = { create: "+", delete: "-", update: "~", replace: "-/+", "no-op": "!" };

/**
 * A value as the config writes it, in YAML's flow style: plain where YAML reads it back as the same
 * string (`smtp.gmail.com`, `[alice@example.com, bob@example.com]`), quoted where it would not (`"587"`,
 * `""`); a secret reference bare (it is a name, not a value).
 */
function formatValue(value: PlanValue, secretRef = false): string {
  if (secretRef) return String(value);
  return flowValue(value);
}

/** What the config declares: the fields synth derives are for json plans only. */
export function declaredFields(fields: readonly FieldChange[]): FieldChange[] {
  return fields.filter((f) => !isDerivedField(f.field));
}

export function fieldLine(change: FieldChange, depth: number): PlanLine {
  const show = (v: PlanValue) => formatValue(v, change.secretRef === true);
  if (change.before !== undefined && change.after !== undefined) {
    const note = change.secretRef ? " (secret reference changed; secret values are never shown)" : "";
    return { marker: "~", depth, text: `${change.field}: ${show(change.before)} -> ${show(change.after)}${note}` };
  }
  if (change.after !== undefined) return { marker: "+", depth, text: `${change.field}: ${show(change.after)}` };
  return { marker: "-", depth, text: `${change.field}: ${show(change.before!)}` };
}

/** The sentence that warns of a password going to a new server. */
function destinationWarning(c: ConnectionChange): string | undefined {
  const d = c.destination;
  if (!d) return undefined;
  return `new destination: ${d.secretRefs.join(", ")} would be sent to ${d.after} (until now: ${d.before})`;
}

/** A connection that changes, or that stays as it is but would send its secret somewhere new. */
export function connectionShown(c: ConnectionChange): boolean {
  return c.action !== "no-op" || c.destination !== undefined;
}

function connectionLines(c: ConnectionChange): PlanLine[] {
  const heading =
    c.action === "replace"
      ? `connection ${c.name} must be replaced: ${c.replaceReason ?? ""}`
      : c.action === "no-op"
        ? `connection ${c.name} (unchanged, but its fabric reads its secret another way)`
        : `connection ${c.name}`;
  const lines: PlanLine[] = [{ marker: markers[c.action], depth: 1, text: heading }];
  const warning = destinationWarning(c);
  if (warning) lines.push({ marker: "!", depth: 2, text: warning });
  lines.push(...declaredFields(c.fields).map((f) => fieldLine(f, 2)));
  return lines;
}

/** A fabric whose own fields or connections change; undefined for one that stays as it is. */
export function fabricLines(f: FabricChange): PlanLine[] | undefined {
  const changed = f.connections.filter(connectionShown);
  if (f.action === "no-op" && changed.length === 0) return undefined;
  return [
    { marker: f.action === "no-op" ? "~" : markers[f.action], depth: 0, text: `fabric ${f.name} (team ${f.team})` },
    ...f.fields.map((field) => fieldLine(field, 1)),
    ...changed.flatMap(connectionLines),
  ];
}

/** Only the fabrics that change. */
export function changedFabrics(fabrics: readonly FabricChange[]): FabricChange[] {
  return fabrics.filter((f) => f.action !== "no-op" || f.connections.some(connectionShown));
}

/** The warning that the token (and uploaded values) would go somewhere the applied state does not bind. */
export function targetDestinationWarning(target: TargetPlan): string | undefined {
  const d = target.destination;
  if (!d) return undefined;
  return `new destination: ${d.secretRefs.join(", ")} would be sent to ${d.after} (until now: ${d.before}${d.changed.length > 0 ? `; changed: ${d.changed.join(", ")}` : ""})`;
}

export interface PlanSection {
  readonly heading: string;
  readonly lines: readonly PlanLine[];
}

function driftLines(d: DriftItem): PlanLine[] {
  const subject = d.connection === undefined ? `fabric ${d.fabric}` : `connection ${d.fabric}/${d.connection}`;
  return [{ marker: d.action === "delete" ? "-" : "~", depth: 0, text: `${subject}: ${d.reason}` }, ...d.fields.map((f) => fieldLine(f, 1))];
}

function outcomeLine(o: UnknownOutcome): PlanLine {
  const subject = o.call === "createFabric" ? `fabric ${o.fabric}` : `${o.call === "createConnection" ? "connection" : "secret"} ${o.fabric}/${o.name ?? ""}`;
  const found = { done: "created after all", "not-done": "not created", unknown: "outcome still unknown" }[o.outcome];
  return { marker: "?", depth: 0, text: `create ${subject} (${o.since}): ${found}. ${o.advice}` };
}

/**
 * What a plan with a target says before its changes: a new destination for the token, changes made
 * outside fabricate, and earlier calls whose outcome was unknown, each a section that is absent when empty.
 */
export function targetSections(target: TargetPlan | undefined): PlanSection[] {
  if (!target) return [];
  const sections: PlanSection[] = [];
  const warning = targetDestinationWarning(target);
  if (warning) sections.push({ heading: `${target.name} at ${target.url}:`, lines: [{ marker: "!", depth: 0, text: warning }] });
  if (!target.refreshed) sections.push({ heading: `${target.name} at ${target.url} was not read (--refresh=false): the plan compares the config with the state as recorded.`, lines: [] });
  if (target.drift.length > 0) {
    sections.push({ heading: `Changes made outside fabricate (${target.name} holds them; this plan puts them back):`, lines: target.drift.flatMap(driftLines) });
  }
  if (target.unknownOutcomes.length > 0) {
    sections.push({ heading: "Create calls of an earlier apply whose outcome was unknown:", lines: target.unknownOutcomes.map(outcomeLine) });
  }
  return sections;
}
