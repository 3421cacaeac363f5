// Where secrets go: the one change a reviewer must never miss (DESIGN.md, "Who may receive a password").
// A secret-bearing connection is marked when applying it would send a secret somewhere new: its own
// host or port changed, or it carries a reference that the applied state sends only to other servers
// (a new connection, or a swapped reference, reusing another connection's password).
import { formatSecretRef } from "../model.js";
import { secretRefOf, type ConnectionConfig } from "../synth/fabricConfig.js";
import type { State } from "../state/stateStore.js";
import { formatDestination } from "../trust/trustRules.js";
import { isSecretRefConfig } from "./fields.js";
import type { DestinationChange } from "./plan.js";

/** Secret reference → every `host:port` the applied state sends it to. */
export type SecretBindings = ReadonlyMap<string, ReadonlySet<string>>;

interface SecretUse {
  readonly destination: string;
  readonly secretRefs: readonly string[];
}

export function secretBindings(state: State | undefined): SecretBindings {
  const bindings = new Map<string, Set<string>>();
  for (const fabric of state?.fabrics ?? []) {
    for (const connection of fabric.connections) {
      const use = secretUse(connection);
      for (const ref of use.secretRefs) bindings.set(ref, (bindings.get(ref) ?? new Set()).add(use.destination));
    }
  }
  return bindings;
}

/** The destination change applying `after` (in place of `before`, if any) would make, if any. */
export function destinationChange(before: ConnectionConfig | undefined, after: ConnectionConfig, bindings: SecretBindings): DestinationChange | undefined {
  const now = secretUse(after);
  if (now.secretRefs.length === 0) return undefined;
  const was = before && secretUse(before).destination;
  if (was !== undefined && was !== now.destination) return { before: was, after: now.destination, secretRefs: [...now.secretRefs] };
  const elsewhere = now.secretRefs.filter((ref) => {
    const bound = bindings.get(ref);
    return bound !== undefined && !bound.has(now.destination);
  });
  if (elsewhere.length === 0) return undefined;
  const boundTo = [...new Set(elsewhere.flatMap((ref) => [...bindings.get(ref)!]))].sort();
  return { before: boundTo.join(", "), after: now.destination, secretRefs: elsewhere };
}

/** Read straight from the config's properties: cheap enough to run over every applied connection. */
function secretUse(connection: ConnectionConfig): SecretUse {
  const p = connection.properties;
  const secretRefs = Object.values(p)
    .filter(isSecretRefConfig)
    .map((ref) => formatSecretRef(secretRefOf(ref)));
  return { destination: formatDestination({ host: p.smtpUrl, port: p.smtpPort }), secretRefs };
}
