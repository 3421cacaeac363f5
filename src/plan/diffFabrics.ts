// Desired fabric configs + the applied state → the Plan. Pure: no files, no clock. Fabrics and
// connections are matched by name (a rename is a delete and a create). What Prophecy cannot change once
// created is replaced: a connection whose kind changes, and a fabric whose team or provider does
// (deleted with its connections, then created again with them). A connection that would send a secret
// somewhere new is marked (secretDestinations.ts).
//
// With a target (the config's prophecy block), `state` is what the target holds (the refreshed state)
// and the plan also says where the token goes (targetDestination.ts) and what the refresh found changed
// outside fabricate. A fabric renamed outside fabricate is the one such change that a fabric config
// cannot hold (its name is its key), so it is folded in here as a change of the fabric's name.
import type { ConnectionConfig, FabricConfig } from "../synth/fabricConfig.js";
import type { State } from "../state/stateStore.js";
import { configHash } from "./configHash.js";
import { connectionFields, diffFields, fabricFields } from "./fields.js";
import type { ConnectionChange, DriftItem, FabricChange, FieldChange, Plan, PlanCounts, PlanSummary, TargetPlan, UnknownOutcome } from "./plan.js";
import { targetDestination, type TargetSettings } from "./targetDestination.js";
import { destinationChange } from "./secretDestinations.js";
import { appliedDeliveries, type AppliedDeliveries } from "../trust/delivery.js";
import { canonicalJson, compareCodePoints } from "../json/canonical.js";

/** The target a plan is also made for: its settings as the config gives them, and what a refresh found. */
export interface TargetInput {
  readonly settings: TargetSettings;
  /** Absent when the plan was not refreshed. */
  readonly refresh?: {
    readonly drift: readonly DriftItem[];
    readonly unknownOutcomes: readonly UnknownOutcome[];
    /**
     * The state as recorded (`state` being what the target holds): where secrets go is judged against
     * what was applied and reviewed, so that putting back a server changed outside fabricate is not a
     * new destination, and a server someone set outside fabricate binds nothing.
     */
    readonly recorded: State | undefined;
  };
}

export function diffFabrics(desired: readonly FabricConfig[], state?: State, configPaths: readonly string[] = [], target?: TargetInput): Plan {
  const applied = new Map(state?.fabrics.map((f) => [f.name, f]));
  const wanted = new Map(desired.map((f) => [f.name, f]));
  const names = [...new Set([...applied.keys(), ...wanted.keys()])].sort(compareCodePoints);
  const reviewed = target?.refresh ? target.refresh.recorded : state;
  const bindings = appliedDeliveries(reviewed);
  const recorded = new Map(reviewed?.fabrics.map((f) => [f.name, f]));
  const heldNames = heldFabricNames(target?.refresh?.drift ?? []);
  const fabrics = names.map((name) => diffFabric(applied.get(name), wanted.get(name), { bindings, recorded: recorded.get(name) }, heldNames.get(name)));
  return {
    formatVersion: 1,
    ...(state && { prior: { serial: state.serial, lineage: state.lineage } }),
    configHash: configHash(desired),
    configPaths: [...configPaths],
    ...(target && { target: targetPlan(target, state, desired) }),
    summary: summarize(fabrics),
    fabrics,
    desired,
  };
}

function targetPlan(target: TargetInput, state: State | undefined, desired: readonly FabricConfig[]): TargetPlan {
  const { settings, refresh } = target;
  const destination = targetDestination(settings, state, desired);
  return {
    name: "Prophecy",
    url: settings.url,
    ...(settings.caSha256 !== undefined && { caSha256: settings.caSha256 }),
    token: settings.token,
    // The generated type is mutable, the config's readonly: the same JSON.
    tokenSecrets: settings.tokenSecrets as TargetPlan["tokenSecrets"],
    refreshed: refresh !== undefined,
    ...(destination && { destination }),
    drift: [...(refresh?.drift ?? [])],
    unknownOutcomes: [...(refresh?.unknownOutcomes ?? [])],
  };
}

/** Fabric → the name the target holds it under, for fabrics renamed outside fabricate. */
function heldFabricNames(drift: readonly DriftItem[]): Map<string, string> {
  const held = new Map<string, string>();
  for (const d of drift) {
    const name = d.connection === undefined ? d.fields.find((f) => f.field === "name")?.after : undefined;
    if (typeof name === "string") held.set(d.fabric, name);
  }
  return held;
}

/** Why a fabric cannot be updated in place, or undefined when it can. */
function fabricReplaceReason(before: FabricConfig, after: FabricConfig): string | undefined {
  if (before.teamName !== after.teamName) return "a fabric's team cannot change once created";
  if (before.provider !== after.provider) return "a fabric's provider cannot change once created";
  return undefined;
}

/** What decides whether a connection sends a secret somewhere new: the state as applied and reviewed. */
interface Reviewed {
  readonly bindings: AppliedDeliveries;
  /** The fabric as recorded, when it is. */
  readonly recorded: FabricConfig | undefined;
}

function diffFabric(before: FabricConfig | undefined, after: FabricConfig | undefined, reviewed: Reviewed, heldName: string | undefined): FabricChange {
  const either = (after ?? before)!;
  const renamed: FieldChange[] = before && after && heldName !== undefined ? [{ field: "name", before: heldName, after: after.name }] : [];
  const fields = [...renamed, ...diffFields(before && fabricFields(before), after && fabricFields(after))];
  const replaceReason = before && after ? fabricReplaceReason(before, after) : undefined;
  const action = !before ? "create" : !after ? "delete" : replaceReason ? "replace" : fields.length > 0 ? "update" : "no-op";
  const reviewers = [...new Set([...(before?.team.reviewers ?? []), ...(after?.team.reviewers ?? [])])].sort();
  const connections = diffConnections(before, after, reviewed, replaceReason !== undefined);
  return { name: either.name, team: either.teamName, action, fields, ...(replaceReason && { replaceReason }), connections, reviewers };
}

interface FabricPair {
  readonly before: FabricConfig | undefined;
  readonly after: FabricConfig | undefined;
  readonly bindings: AppliedDeliveries;
  /** The fabric as recorded: where its secrets went until now (`before` is what the target holds). */
  readonly recorded: FabricConfig | undefined;
  readonly replaced: boolean;
  /** The fabric's secret provider settings changed: the same reference may now be read another way. */
  readonly readsChanged: boolean;
}

function diffConnections(before: FabricConfig | undefined, after: FabricConfig | undefined, reviewed: Reviewed, replaced: boolean): ConnectionChange[] {
  const applied = new Map((before?.connections ?? []).map((c) => [c.name, c]));
  const wanted = new Map((after?.connections ?? []).map((c) => [c.name, c]));
  const names = [...new Set([...applied.keys(), ...wanted.keys()])].sort(compareCodePoints);
  const readsChanged = before !== undefined && after !== undefined && canonicalJson(before.secretProviders) !== canonicalJson(after.secretProviders);
  const pair: FabricPair = { before, after, bindings: reviewed.bindings, recorded: reviewed.recorded, replaced, readsChanged };
  return names.map((name) => diffConnection(applied.get(name), wanted.get(name), pair));
}

/** The connection as recorded, which the destination of its change is judged against. */
function recordedConnection(fabric: FabricPair, before: ConnectionConfig | undefined, name: string): ConnectionConfig | undefined {
  return fabric.recorded === fabric.before ? before : fabric.recorded?.connections.find((c) => c.name === name);
}

function diffConnection(before: ConnectionConfig | undefined, after: ConnectionConfig | undefined, fabric: FabricPair): ConnectionChange {
  const either = (after ?? before)!;
  // Same fingerprint, same fields: the common case on a large config, decided without flattening.
  if (before && after && before.kind === after.kind && before.fingerprint === after.fingerprint) {
    if (fabric.replaced) return { name: either.name, kind: either.kind, action: "replace", fields: [], replaceReason: "its fabric is replaced" };
    const moved = fabric.readsChanged ? destinationChange(fabric.after!, fabric.recorded, recordedConnection(fabric, before, after.name), after, fabric.bindings) : undefined;
    return { name: either.name, kind: either.kind, action: "no-op", fields: [], ...(moved && { destination: moved }) };
  }
  const fields = diffFields(before && connectionFields(before), after && connectionFields(after));
  if (!after) return { name: either.name, kind: either.kind, action: "delete", fields };
  const destination = destinationChange(fabric.after!, fabric.recorded, recordedConnection(fabric, before, after.name), after, fabric.bindings);
  const common = { name: after.name, kind: after.kind, ...(destination && { destination }) };
  if (!before) return { ...common, action: "create", fields };
  if (before.kind !== after.kind) {
    return { ...common, action: "replace", fields: [{ field: "kind", before: before.kind, after: after.kind }, ...fields], replaceReason: "a connection's kind cannot change once created" };
  }
  if (fabric.replaced) return { ...common, action: "replace", fields, replaceReason: "its fabric is replaced" };
  return { ...common, action: fields.length > 0 ? "update" : "no-op", fields };
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
