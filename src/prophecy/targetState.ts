// The Prophecy target's part of the state (schemas/prophecy-target-state.schema.json): the settings as
// applied, fabric and secret ids, and pending creates. Changes are made in place on a record their
// caller owns (apply's recorder owns its record and hands out copies): copying a map of a thousand
// fabrics at each of tens of thousands of steps would cost more than the calls themselves.
import type { PendingCalls, ProphecyFabricState, ProphecyTargetState, TargetsState } from "../state/stateStore.js";
import type { TargetSettings } from "../plan/targetDestination.js";

/** Where the token goes and how it is read, and the CA itself, so that a later refresh trusts exactly the applied one. */
export interface EndpointSettings extends TargetSettings {
  readonly caPem?: string;
}

export type TargetUpdate = (target: ProphecyTargetState) => ProphecyTargetState;

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

export function setFabric(fabric: string, entry: ProphecyFabricState | undefined): TargetUpdate {
  return (t) => {
    if (entry) t.fabrics[fabric] = entry;
    else delete t.fabrics[fabric];
    return t;
  };
}

export function setSecret(fabric: string, name: string, id: string): TargetUpdate {
  return (t) => {
    const entry = t.fabrics[fabric];
    if (entry) entry.secrets = { ...entry.secrets, [name]: id };
    return t;
  };
}

export function pendingOf(target: ProphecyTargetState | undefined, fabric: string): PendingCalls | undefined {
  return target?.pending?.[fabric];
}

/** Replaces a fabric's pending calls; an empty record is dropped, and so is an empty `pending`. */
export function setPending(fabric: string, change: (calls: PendingCalls) => PendingCalls): TargetUpdate {
  return (t) => {
    const next = tidy(change({ ...t.pending?.[fabric] }));
    if (next) (t.pending ??= {})[fabric] = next;
    else if (t.pending) {
      delete t.pending[fabric];
      if (isEmpty(t.pending)) delete t.pending;
    }
    return t;
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

/** Without counting every key: `pending` may hold a thousand fabrics. */
function isEmpty(object: object): boolean {
  for (const _key in object) return false;
  return true;
}

function tidy(calls: PendingCalls): PendingCalls | undefined {
  const out: PendingCalls = {
    ...(calls.fabric && { fabric: calls.fabric }),
    ...(calls.contents !== undefined && { contents: calls.contents }),
    ...(calls.connections && Object.keys(calls.connections).length > 0 && { connections: calls.connections }),
    ...(calls.secrets && Object.keys(calls.secrets).length > 0 && { secrets: calls.secrets }),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Several updates, in order. */
export function all(...updates: TargetUpdate[]): TargetUpdate {
  return (t) => updates.reduce((acc, u) => u(acc), t);
}
