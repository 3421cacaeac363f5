// The Prophecy target's part of the state (schemas/prophecy-target-state.schema.json), read and changed
// as values: the settings as applied, fabric and secret ids, and pending creates. Every change returns
// a new object and copies only the fabric it touches, so that a run of thousands of steps stays cheap.
import type { PendingCalls, ProphecyFabricState, ProphecyTargetState, State, TargetsState } from "../state/stateStore.js";
import type { TargetSettings } from "../plan/targetDestination.js";

/** Where the token goes and how it is read, and the CA itself, so that a later refresh trusts exactly the applied one. */
export interface EndpointSettings extends TargetSettings {
  readonly caPem?: string;
}

export type TargetUpdate = (target: ProphecyTargetState) => ProphecyTargetState;

export function prophecyOf(state: State | undefined): ProphecyTargetState | undefined {
  return state?.targets?.prophecy;
}

/** The settings as recorded, as a value to connect with. */
export function appliedSettings(target: ProphecyTargetState): EndpointSettings {
  return {
    url: target.url,
    ...(target.caSha256 !== undefined && { caSha256: target.caSha256 }),
    ...(target.caPem !== undefined && { caPem: target.caPem }),
    token: target.token,
    tokenSecrets: target.tokenSecrets,
  };
}

/**
 * An update of the targets' state that also records `settings` as applied: whatever the target records
 * was done with them. The generated types are mutable, the config's readonly: the same JSON.
 */
export function recordingSettings(settings: EndpointSettings, update: TargetUpdate): (targets: TargetsState | undefined) => TargetsState {
  return (targets) => {
    const before = targets?.prophecy;
    const current: ProphecyTargetState = {
      url: settings.url,
      ...(settings.caSha256 !== undefined && { caSha256: settings.caSha256 }),
      ...(settings.caPem !== undefined && { caPem: settings.caPem }),
      token: settings.token as ProphecyTargetState["token"],
      tokenSecrets: settings.tokenSecrets as ProphecyTargetState["tokenSecrets"],
      fabrics: before?.fabrics ?? {},
      ...(before?.pending !== undefined && { pending: before.pending }),
    };
    return { ...targets, prophecy: update(current) };
  };
}

export function fabricEntry(target: ProphecyTargetState | undefined, fabric: string): ProphecyFabricState | undefined {
  return target?.fabrics[fabric];
}

export function setFabric(fabric: string, entry: ProphecyFabricState | undefined): TargetUpdate {
  return (t) => {
    const fabrics = { ...t.fabrics };
    if (entry) fabrics[fabric] = entry;
    else delete fabrics[fabric];
    return { ...t, fabrics };
  };
}

export function setSecret(fabric: string, name: string, id: string): TargetUpdate {
  return (t) => {
    const entry = t.fabrics[fabric];
    if (!entry) return t;
    return setFabric(fabric, { ...entry, secrets: { ...entry.secrets, [name]: id } })(t);
  };
}

export function pendingOf(target: ProphecyTargetState | undefined, fabric: string): PendingCalls | undefined {
  return target?.pending?.[fabric];
}

/** Replaces a fabric's pending calls; an empty record is dropped, and so is an empty `pending`. */
export function setPending(fabric: string, change: (calls: PendingCalls) => PendingCalls): TargetUpdate {
  return (t) => {
    const next = tidy(change({ ...t.pending?.[fabric] }));
    const pending = { ...t.pending };
    if (next) pending[fabric] = next;
    else delete pending[fabric];
    const { pending: _dropped, ...rest } = t;
    return Object.keys(pending).length > 0 ? { ...rest, pending } : rest;
  };
}

export function withoutPendingConnection(name: string): (calls: PendingCalls) => PendingCalls {
  return (calls) => ({ ...calls, connections: without(calls.connections, name) });
}

export function withoutPendingSecret(name: string): (calls: PendingCalls) => PendingCalls {
  return (calls) => ({ ...calls, secrets: without(calls.secrets, name) });
}

function without(map: Readonly<Record<string, string>> | undefined, key: string): Record<string, string> | undefined {
  if (!map || !(key in map)) return map;
  const { [key]: _gone, ...rest } = map;
  return rest;
}

function tidy(calls: PendingCalls): PendingCalls | undefined {
  const out: PendingCalls = {
    ...(calls.fabric && { fabric: calls.fabric }),
    ...(calls.connections && Object.keys(calls.connections).length > 0 && { connections: calls.connections }),
    ...(calls.secrets && Object.keys(calls.secrets).length > 0 && { secrets: calls.secrets }),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Several updates, in order. */
export function all(...updates: TargetUpdate[]): TargetUpdate {
  return (t) => updates.reduce((acc, u) => u(acc), t);
}
