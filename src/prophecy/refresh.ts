// Refresh: what Prophecy holds for what the state says was applied, before a plan (Terraform's default).
// For each recorded fabric, three reads at once: the fabric (its name; a 404 means it was deleted), its
// connections and its secrets (one list each). What differs from the record on the fields fabricate
// declares is drift, shown before the plan, and the refreshed state holds Prophecy's values so that the
// plan puts them back; fields Prophecy adds on its side are not compared, and connections fabricate
// never recorded are not its business.
//
// Creates whose outcome an earlier run could not learn are settled here when they can be: a pending
// connection or secret is looked up in its fabric's list (found: adopted; not found: it was never
// made). A pending fabric cannot be looked up (no call lists fabrics), so it stays pending and the plan
// says how to settle it.
import { mapConcurrently } from "../concurrency.js";
import { compareCodePoints } from "../json/canonical.js";
import { connectionFields, diffFields, isDerivedField } from "../plan/fields.js";
import type { DriftItem, UnknownOutcome } from "../plan/plan.js";
import type { PendingCalls, ProphecyFabricState, ProphecyTargetState, State } from "../state/stateStore.js";
import type { ConnectionConfig, FabricConfig } from "../synth/fabricConfig.js";
import type { RefreshedState } from "../apply/applyTarget.js";
import { getFabric, listConnections, listSecrets, type RemoteConnection, type RemoteFabric, type RemoteSecret } from "./api.js";
import type { CallOutcome, ProphecyClient } from "./client.js";
import { heldConnection } from "./heldConfig.js";

/** One fabric as held: its config (absent when Prophecy no longer holds it), what differs, what was settled. */
interface FabricRefresh {
  readonly config?: FabricConfig;
  readonly entry?: ProphecyFabricState;
  readonly pending?: PendingCalls;
  readonly drift: DriftItem[];
  readonly outcomes: UnknownOutcome[];
}

export async function refreshProphecy(applied: State | undefined, client: ProphecyClient | undefined, parallelism: number): Promise<RefreshedState | { error: string }> {
  if (!applied) return { state: undefined, drift: [], unknownOutcomes: [] };
  const target = applied.targets?.prophecy;
  let failure: string | undefined;
  const refreshed = await mapConcurrently(applied.fabrics, parallelism, async (fabric): Promise<FabricRefresh | undefined> => {
    if (failure !== undefined) return undefined;
    const result = await refreshFabric(fabric, target, client);
    if ("error" in result) failure ??= result.error;
    return "error" in result ? undefined : result;
  });
  if (failure !== undefined) return { error: failure };
  const results = refreshed as FabricRefresh[];
  const recorded = new Set(applied.fabrics.map((f) => f.name));
  const fabrics: Record<string, ProphecyFabricState> = {};
  const pending: Record<string, PendingCalls> = {};
  const outcomes: UnknownOutcome[] = [];
  applied.fabrics.forEach((f, i) => {
    const r = results[i]!;
    if (r.entry) fabrics[f.name] = r.entry;
    if (r.pending) pending[f.name] = r.pending;
    outcomes.push(...r.outcomes);
  });
  // Pending creates of fabrics the state does not record: their own create's outcome is unknown.
  for (const [name, calls] of Object.entries(target?.pending ?? {})) {
    if (recorded.has(name)) continue;
    pending[name] = calls;
    if (calls.fabric) outcomes.push(pendingFabricOutcome(name, calls.fabric.team, calls.fabric.since));
  }
  // An id the state holds without the fabric's config is kept, never dropped: only the user could find it again.
  for (const [name, entry] of Object.entries(target?.fabrics ?? {})) if (!recorded.has(name)) fabrics[name] = entry;
  const state: State = {
    ...applied,
    fabrics: results.flatMap((r) => (r.config ? [r.config] : [])),
    ...(target && {
      targets: {
        ...applied.targets,
        prophecy: { ...withoutPending(target), fabrics, ...(Object.keys(pending).length > 0 && { pending }) },
      },
    }),
  };
  const drift = results.flatMap((r) => r.drift);
  return { state, drift, unknownOutcomes: outcomes.sort(byCall) };
}

function withoutPending(target: ProphecyTargetState): Omit<ProphecyTargetState, "pending"> {
  const { pending: _settledBelow, ...rest } = target;
  return rest;
}

function pendingFabricOutcome(fabric: string, team: string, since: string): UnknownOutcome {
  return {
    call: "createFabric",
    fabric,
    since,
    outcome: "unknown",
    advice:
      `Prophecy cannot list fabrics, so only you can tell whether it holds fabric ${fabric} of team ${team}. If it does, find its id there and run ` +
      `\`fabricate import --fabric-id ID\`; if it does not, apply creates it (and should it exist after all, apply stops with a conflict instead of making a second one)`,
  };
}

async function refreshFabric(recorded: FabricConfig, target: ProphecyTargetState | undefined, client: ProphecyClient | undefined): Promise<FabricRefresh | { error: string }> {
  const name = recorded.name;
  const entry = target?.fabrics[name];
  const pending = target?.pending?.[name];
  if (!entry || !client) {
    const reason = target ? "not in Prophecy: the state holds no id for it" : "not in Prophecy: it was recorded when the config had no prophecy block";
    return { drift: [{ fabric: name, action: "delete", fields: [], reason }], outcomes: [], ...(pending && { pending }) };
  }
  const [fabric, connections, secrets] = await Promise.all([
    client.call(getFabric(entry.id, name)),
    client.call(listConnections(entry.id, name)),
    client.call(listSecrets(entry.id, name)),
  ]);
  if ([fabric, connections, secrets].some((r) => !r.ok && r.status === 404)) {
    return { drift: [{ fabric: name, action: "delete", fields: [], reason: `deleted in Prophecy (id ${entry.id} is not found)` }], outcomes: [] };
  }
  const failed = [fabric, connections, secrets].find((r): r is Extract<CallOutcome<unknown>, { ok: false }> => !r.ok);
  if (failed) return { error: failed.message };
  return held(recorded, entry, pending, (fabric as { value: RemoteFabric }).value, (connections as { value: RemoteConnection[] }).value, (secrets as { value: RemoteSecret[] }).value);
}

function held(recorded: FabricConfig, entry: ProphecyFabricState, pending: PendingCalls | undefined, remote: RemoteFabric, connections: readonly RemoteConnection[], secrets: readonly RemoteSecret[]): FabricRefresh {
  const name = recorded.name;
  const drift: DriftItem[] = [];
  const outcomes: UnknownOutcome[] = [];
  if (remote.name !== name) drift.push({ fabric: name, action: "update", fields: [{ field: "name", before: name, after: remote.name }], reason: `renamed to ${JSON.stringify(remote.name)} in Prophecy` });
  const remoteByName = new Map(connections.map((c) => [c.name, c]));
  const kept: ConnectionConfig[] = [];
  for (const c of recorded.connections) {
    const r = remoteByName.get(c.name);
    if (!r) {
      drift.push({ fabric: name, connection: c.name, action: "delete", fields: [], reason: "deleted in Prophecy" });
      continue;
    }
    if (r.properties === undefined) {
      drift.push({ fabric: name, connection: c.name, action: "delete", fields: [], reason: `Prophecy holds a connection of kind ${JSON.stringify(r.kind)} under this name instead` });
      continue;
    }
    const now = heldConnection(c.name, r.properties, c);
    // Only what the config declares: a fingerprint follows the fields that changed.
    const fields = () => diffFields(connectionFields(c), connectionFields(now)).filter((f) => !isDerivedField(f.field));
    if (now !== c) drift.push({ fabric: name, connection: c.name, action: "update", fields: fields(), reason: "changed in Prophecy" });
    kept.push(now);
  }
  const keptNames = new Set(kept.map((c) => c.name));
  // A fabric whose creating apply did not finish: whatever else it holds, that apply made.
  if (pending?.contents !== undefined) {
    for (const r of connections) {
      if (keptNames.has(r.name) || !r.properties) continue;
      kept.push(heldConnection(r.name, r.properties));
      keptNames.add(r.name);
      outcomes.push({ call: "createConnection", fabric: name, name: r.name, since: pending.contents, outcome: "done", advice: "created by the apply that created its fabric: recorded as Prophecy holds it" });
    }
  }
  for (const [connection, since] of Object.entries(pending?.connections ?? {})) {
    const r = remoteByName.get(connection);
    if (keptNames.has(connection)) continue;
    if (r?.properties) {
      kept.push(heldConnection(connection, r.properties));
      keptNames.add(connection);
      outcomes.push({ call: "createConnection", fabric: name, name: connection, since, outcome: "done", advice: "Prophecy holds it: it is recorded as it is there, and the plan compares it with the config" });
    } else {
      outcomes.push({ call: "createConnection", fabric: name, name: connection, since, outcome: "not-done", advice: "Prophecy does not hold it: apply creates it" });
    }
  }
  const remoteSecrets = new Set(secrets.map((s) => s.name));
  for (const [secret, since] of Object.entries(pending?.secrets ?? {})) {
    const found = remoteSecrets.has(secret);
    outcomes.push({
      call: "createSecret",
      fabric: name,
      name: secret,
      since,
      outcome: found ? "done" : "not-done",
      advice: found ? "Prophecy holds it: it is recorded, and used as it is (apply --rotate-secrets uploads its value again)" : "Prophecy does not hold it: apply creates it when a connection needs it",
    });
  }
  // Every secret of the fabric is recorded: a reference to one that someone made in Prophecy is fine too.
  const secretIds: Record<string, string> = {};
  for (const secret of [...secrets].sort((a, b) => compareCodePoints(a.name, b.name))) secretIds[secret.name] = secret.id;
  // A fabric the state records with an id was created: a leftover pending create of it is settled.
  const config: FabricConfig = { ...recorded, connections: kept.sort((a, b) => compareCodePoints(a.name, b.name)) };
  return { config, entry: { id: entry.id, ...(Object.keys(secretIds).length > 0 && { secrets: secretIds }) }, drift, outcomes };
}

function byCall(a: UnknownOutcome, b: UnknownOutcome): number {
  return compareCodePoints(a.fabric, b.fabric) || compareCodePoints(a.call, b.call) || compareCodePoints(a.name ?? "", b.name ?? "");
}
