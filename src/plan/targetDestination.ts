// Where the Prophecy token goes, and the secret values apply uploads: the target's counterpart of
// secretDestinations.ts. The token's delivery (URL, CA by digest, the reference and how its provider reads
// it) is asked of the trust rules (trust/delivery.ts) as apply asks them; one the applied state does not
// bind, including a first push to a Prophecy, is a new destination that the plan marks and apply refuses
// without --trust-new-hosts.
import { canonicalJson } from "../json/canonical.js";
import { formatSecretRef } from "../model.js";
import type { ProphecyTargetState, State } from "../state/stateStore.js";
import { secretRefOf, type FabricConfig, type SecretProvidersConfig, type SecretRefConfig } from "../synth/fabricConfig.js";
import { checkDelivery, prophecyTokenDelivery, resolverFor } from "../trust/delivery.js";
import type { TargetDestinationChange } from "./plan.js";

/** The config's prophecy block as the plan and the state record it. */
export interface TargetSettings {
  readonly url: string;
  readonly caSha256?: string;
  readonly token: SecretRefConfig;
  readonly tokenSecrets: SecretProvidersConfig;
}

/** What differs from the applied settings that decides where the token goes, in words; empty when nothing does. */
export function changedTargetSettings(settings: TargetSettings, applied: ProphecyTargetState): string[] {
  const changed: string[] = [];
  if (applied.url !== settings.url) changed.push("url");
  if (applied.caSha256 !== settings.caSha256) changed.push("caFile");
  if (canonicalJson(applied.token) !== canonicalJson(settings.token)) changed.push("token");
  const reads = (s: SecretProvidersConfig) => canonicalJson(resolverFor(settings.token.kind, s));
  if (reads(applied.tokenSecrets) !== reads(settings.tokenSecrets)) changed.push("token provider settings");
  return changed;
}

/** The references whose values go to the target: the token's, and every value source of a Prophecy-held password. */
function targetSecretRefs(settings: TargetSettings, desired: readonly FabricConfig[]): string[] {
  const sources = new Set<string>();
  for (const fabric of desired) {
    for (const c of fabric.connections) {
      const from = secretRefOf(c.properties.smtpPassword).from;
      if (from) sources.add(formatSecretRef(from));
    }
  }
  return [formatSecretRef(secretRefOf(settings.token)), ...[...sources].sort()];
}

export function targetDestination(settings: TargetSettings, state: State | undefined, desired: readonly FabricConfig[]): TargetDestinationChange | undefined {
  const token = prophecyTokenDelivery({ url: settings.url, ...(settings.caSha256 !== undefined && { caSha256: settings.caSha256 }), token: secretRefOf(settings.token), secrets: settings.tokenSecrets });
  if (checkDelivery(token, state, { trustNewHosts: false }).allowed) return undefined;
  const applied = state?.targets?.prophecy;
  return { before: applied ? applied.url : "nothing applied to Prophecy yet", after: settings.url, changed: applied ? changedTargetSettings(settings, applied) : [], secretRefs: targetSecretRefs(settings, desired) };
}
