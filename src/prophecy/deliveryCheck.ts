// The trust rules' gate for everything that goes to Prophecy (DESIGN.md, "Who may receive a password"):
// the token, before every request that carries it, and a secret value, before it is even read for an
// upload. A pull request that changes the URL, the CA, the token's reference or its provider settings,
// or a value's source, must not make CI send the token or a value to the new place: only what the
// applied state binds goes without --trust-new-hosts.
//
// INTERIM: these two functions decide by comparing with `state.targets.prophecy` and the applied
// fabrics until the trust rules' delivery module (src/trust/delivery.ts: prophecyTokenDelivery,
// secretUploadDelivery, checkDelivery) lands; then each body becomes one call to it.
import { canonicalJson } from "../json/canonical.js";
import { formatSecretRef, type SecretProviderName, type SecretRef } from "../model.js";
import type { TargetSettings } from "../plan/targetDestination.js";
import { changedTargetSettings } from "../plan/targetDestination.js";
import type { State } from "../state/stateStore.js";
import { secretRefOf, type FabricConfig, type SecretProvidersConfig } from "../synth/fabricConfig.js";
import type { TrustDecision } from "../trust/trustRules.js";

export interface CheckOptions {
  readonly trustNewHosts: boolean;
}

/** May the token (read as `settings` say) go to `settings.url`? */
export function checkTokenDelivery(settings: TargetSettings, applied: State | undefined, options: CheckOptions): TrustDecision {
  const target = applied?.targets?.prophecy;
  const changed = target ? changedTargetSettings(settings, target) : undefined;
  if (changed?.length === 0) return { allowed: true, because: "applied" };
  if (options.trustNewHosts) return { allowed: true, because: "trust-new-hosts" };
  const named = formatSecretRef(secretRefOf(settings.token));
  const why = changed ? `its ${changed.join(", ")} differ from what the state records as applied` : "nothing is applied to Prophecy yet, so no address is bound to it";
  return { allowed: false, reason: `refusing to send the Prophecy token (${named}) to ${settings.url}: ${why}. Run with --trust-new-hosts once the change is reviewed (as apply on the main branch does)` };
}

/** The settings that decide how a provider reads a value. */
function resolverOf(provider: SecretProviderName, settings: SecretProvidersConfig): unknown {
  switch (provider) {
    case "file":
      return settings.file ?? null;
    case "exec":
      return settings.exec ?? null;
    case "vault":
      return settings.vault ?? null;
    default:
      return null;
  }
}

/** May the value `ref.from` names be read and uploaded to `endpoint` as fabric `fabric.name`'s secret? */
export function checkUploadDelivery(fabric: FabricConfig, ref: SecretRef, endpoint: { readonly url: string; readonly caSha256?: string }, applied: State | undefined, options: CheckOptions): TrustDecision {
  const target = applied?.targets?.prophecy;
  const appliedFabric = applied?.fabrics.find((f) => f.name === fabric.name);
  const bound =
    target !== undefined &&
    target.url === endpoint.url &&
    target.caSha256 === endpoint.caSha256 &&
    appliedFabric !== undefined &&
    ref.from !== undefined &&
    canonicalJson(resolverOf(ref.from.provider, appliedFabric.secretProviders)) === canonicalJson(resolverOf(ref.from.provider, fabric.secretProviders)) &&
    appliedFabric.connections.some((c) => canonicalJson(secretRefOf(c.properties.smtpPassword)) === canonicalJson(ref));
  if (bound) return { allowed: true, because: "applied" };
  if (options.trustNewHosts) return { allowed: true, because: "trust-new-hosts" };
  const source = ref.from ? formatSecretRef(ref.from) : formatSecretRef(ref);
  return {
    allowed: false,
    reason:
      `refusing to read ${source} and upload it to ${endpoint.url} as fabric ${fabric.name}'s secret ${ref.secret}: the applied state does not bind that value to that place` +
      ` (a new fabric, secret or value source, or a new URL or CA). Run with --trust-new-hosts once the change is reviewed`,
  };
}
