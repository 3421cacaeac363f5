// The trust rules' gate for everything that goes to Prophecy (docs/security.md): the token, before every
// request that carries it, and a secret value, before it is even read for an upload. A pull request that
// changes the URL, the CA, the token's reference or its provider settings, or a value's source, must not
// make CI send the token or a value to the new place: only a delivery the applied state binds goes
// without --trust-new-hosts (src/trust/delivery.ts decides; this names what is asked).
import type { SecretRef } from "../model.js";
import type { TargetSettings } from "../plan/targetDestination.js";
import type { State } from "../state/stateStore.js";
import { secretRefOf, type FabricConfig } from "../synth/fabricConfig.js";
import { checkDelivery, prophecyTokenDelivery, secretUploadDelivery, type TrustDecision } from "../trust/delivery.js";

export interface CheckOptions {
  readonly trustNewHosts: boolean;
}

/** May the token (read as `settings` say) go to `settings.url`? */
export function checkTokenDelivery(settings: TargetSettings, applied: State | undefined, options: CheckOptions): TrustDecision {
  const delivery = prophecyTokenDelivery({
    url: settings.url,
    ...(settings.caSha256 !== undefined && { caSha256: settings.caSha256 }),
    token: secretRefOf(settings.token),
    secrets: settings.tokenSecrets,
  });
  return checkDelivery(delivery, applied, { trustNewHosts: options.trustNewHosts });
}

/** May the value `ref.from` names be read and uploaded to `endpoint` as fabric `fabric.name`'s secret? */
export function checkUploadDelivery(fabric: FabricConfig, ref: SecretRef, endpoint: { readonly url: string; readonly caSha256?: string }, applied: State | undefined, options: CheckOptions): TrustDecision {
  return checkDelivery(secretUploadDelivery(fabric, ref, endpoint), applied, { trustNewHosts: options.trustNewHosts });
}
