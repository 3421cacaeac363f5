// Desired fabric configs + the applied state → the Plan. Pure: no files, no clock. Fabrics and
// connections are matched by name (a rename is a delete and a create). What Prophecy cannot change once
// created is replaced: a connection whose kind changes, and a fabric whose team or provider does
// (deleted with its connections, then created again with them). A connection that would send a secret
// somewhere new is marked (secretDestinations.ts).
import type { ConnectionConfig, FabricConfig } from "../synth/fabricConfig.js";
import type { State } from "../state/stateStore.js";
import { configHash } from "./configHash.js";
import { connectionFields, fabricFields, sameValue, type Fields } from "./fields.js";
import type { ConnectionChange, FabricChange, FieldChange, Plan, PlanCounts, PlanSummary } from "./plan.js";
import { destinationChange, secretBindings, type SecretBindings } from "./secretDestinations.js";
import { canonicalJson, compareCodePoints } from "../json/canonical.js";

export function diffFabrics(desired: readonly FabricConfig[], state?: State, configPaths: readonly string[] = []): Plan {
  const applied = new Map(state?.fabrics.map((f) => [f.name, f]));
  const wanted = new Map(desired.map((f) => [f.name, f]));
  const names = [...new Set([...applied.keys(), ...wanted.keys()])].sort(compareCodePoints);
  const bindings = secretBindings(state);
  const fabrics = names.map((name) => diffFabric(applied.get(name), wanted.get(name), bindings));
  return {
    formatVersion: 1,
    ...(state && { prior: { serial: state.serial, lineage: state.lineage } }),
    configHash: configHash(desired),
    configPaths: [...configPaths],
    summary: summarize(fabrics),
    fabrics,
    desired,
  };
}

/** Why a fabric cannot be updated in place, or undefined when it can. */
function fabricReplaceReason(before: FabricConfig, after: FabricConfig): string | undefined {
  if (before.teamName !== after.teamName) return "a fabric's team cannot change once created";
  if (before.provider !== after.provider) return "a fabric's provider cannot change once created";
  return undefined;
}

function diffFabric(before: FabricConfig | undefined, after: FabricConfig | undefined, bindings: SecretBindings): FabricChange {
  const either = (after ?? before)!;
  const fields = diffFields(before && fabricFields(before), after && fabricFields(after));
  const replaceReason = before && after ? fabricReplaceReason(before, after) : undefined;
  const action = !before ? "create" : !after ? "delete" : replaceReason ? "replace" : fields.length > 0 ? "update" : "no-op";
  const reviewers = [...new Set([...(before?.team.reviewers ?? []), ...(after?.team.reviewers ?? [])])].sort();
  const connections = diffConnections(before, after, bindings, replaceReason !== undefined);
  return { name: either.name, team: either.teamName, action, fields, ...(replaceReason && { replaceReason }), connections, reviewers };
}

interface FabricPair {
  readonly before: FabricConfig | undefined;
  readonly after: FabricConfig | undefined;
  readonly bindings: SecretBindings;
  readonly replaced: boolean;
  /** The fabric's secret provider settings changed: the same reference may now be read another way. */
  readonly readsChanged: boolean;
}

function diffConnections(before: FabricConfig | undefined, after: FabricConfig | undefined, bindings: SecretBindings, replaced: boolean): ConnectionChange[] {
  const applied = new Map((before?.connections ?? []).map((c) => [c.name, c]));
  const wanted = new Map((after?.connections ?? []).map((c) => [c.name, c]));
  const names = [...new Set([...applied.keys(), ...wanted.keys()])].sort(compareCodePoints);
  const readsChanged = before !== undefined && after !== undefined && canonicalJson(before.secretProviders) !== canonicalJson(after.secretProviders);
  const pair: FabricPair = { before, after, bindings, replaced, readsChanged };
  return names.map((name) => diffConnection(applied.get(name), wanted.get(name), pair));
}

function diffConnection(before: ConnectionConfig | undefined, after: ConnectionConfig | undefined, fabric: FabricPair): ConnectionChange {
  const either = (after ?? before)!;
  // Same fingerprint, same fields: the common case on a large config, decided without flattening.
  if (before && after && before.kind === after.kind && before.fingerprint === after.fingerprint) {
    if (fabric.replaced) return { name: either.name, kind: either.kind, action: "replace", fields: [], replaceReason: "its fabric is replaced" };
    const moved = fabric.readsChanged ? destinationChange(fabric.after!, fabric.before, before, after, fabric.bindings) : undefined;
    return { name: either.name, kind: either.kind, action: "no-op", fields: [], ...(moved && { destination: moved }) };
  }
  const fields = diffFields(before && connectionFields(before), after && connectionFields(after));
  if (!after) return { name: either.name, kind: either.kind, action: "delete", fields };
  const destination = destinationChange(fabric.after!, fabric.before, before, after, fabric.bindings);
  const common = { name: after.name, kind: after.kind, ...(destination && { destination }) };
  if (!before) return { ...common, action: "create", fields };
  if (before.kind !== after.kind) {
    return { ...common, action: "replace", fields: [{ field: "kind", before: before.kind, after: after.kind }, ...fields], replaceReason: "a connection's kind cannot change once created" };
  }
  if (fabric.replaced) return { ...common, action: "replace", fields, replaceReason: "its fabric is replaced" };
  return { ...common, action: fields.length > 0 ? "update" : "no-op", fields };
}

/** Every field that differs; every field, when one side is absent. */
function diffFields(before: Fields | undefined, after: Fields | undefined): FieldChange[] {
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

function summarize(fabrics: readonly FabricChange[]): PlanSummary {
  const connections: PlanCounts = { add: 0, change: 0, destroy: 0 };
  const fabricCounts: PlanCounts = { add: 0, change: 0, destroy: 0 };
  let destinationChanges = 0;
  for (const f of fabrics) {
    count(fabricCounts, f.action);
    for (const c of f.connections) {
      count(connections, c.action);
      if (c.destination) destinationChanges++;
    }
  }
  return { connections, fabrics: fabricCounts, destinationChanges };
}

function count(counts: PlanCounts, action: FabricChange["action"]): void {
  if (action === "create" || action === "replace") counts.add++;
  if (action === "delete" || action === "replace") counts.destroy++;
  if (action === "update") counts.change++;
}
