// Where secrets go: the one change a reviewer must never miss (docs/security.md). A connection is marked
// when applying it would send its secret by a delivery the applied state does not bind (trust/delivery.ts):
// to another host or port, in another TLS mode, trusting another CA, read another way (a changed exec
// command, Vault address or file directory of its fabric), or from another fabric. A new connection with a
// reference that nothing applied sends is not marked: no secret of it went anywhere before, and the
// plan lists its server anyway.
import { describeSecretRef } from "../model.js";
import type { ConnectionConfig, FabricConfig } from "../synth/fabricConfig.js";
import { deliveryKey, describeDelivery, smtpDelivery, type AppliedDeliveries, type Delivery } from "../trust/delivery.js";
import type { DestinationChange } from "./plan.js";

/** Same endpoint and way of reading: only the reference (or the connection's name) differs. */
function sameRoute(a: Delivery, b: Delivery): boolean {
  return deliveryKey({ ...a, source: b.source }) === deliveryKey(b);
}

/**
 * The destination change applying `after` (in fabric `fabric`, as desired) would make, if any. `before`
 * is the connection as applied, in `appliedFabric`.
 */
export function destinationChange(
  fabric: FabricConfig,
  appliedFabric: FabricConfig | undefined,
  before: ConnectionConfig | undefined,
  after: ConnectionConfig,
  bindings: AppliedDeliveries,
): DestinationChange | undefined {
  const now = smtpDelivery(fabric, after);
  if (bindings.binds(now)) return undefined;
  const named = describeSecretRef(now.source);
  const bound = bindings.of(now.source);
  const was = before && appliedFabric ? smtpDelivery(appliedFabric, before) : undefined;
  if (bound.length === 0 && (!was || sameRoute(was, now))) return undefined;
  const sameFabric = bound.filter((b) => b.fabric === fabric.name);
  const previously =
    sameFabric.length > 0
      ? sameFabric.map(describeDelivery)
      : bound.length > 0
        ? bound.map((b) => (b.fabric ? `fabric ${b.fabric}: ${describeDelivery(b)}` : `the Prophecy token: ${describeDelivery(b)}`))
        : [describeDelivery(was!)];
  return { before: [...new Set(previously)].sort().join("; "), after: describeDelivery(now), secretRefs: [named] };
}
