// Where the Prophecy token goes, and the secret values apply uploads: the target's counterpart of
// secretDestinations.ts. The URL, the CA (by digest), the token's reference and the settings of the
// provider that resolves it are compared with those applied; any difference, or a target nothing was
// applied to yet, is a new destination that the plan marks and apply refuses without --trust-new-hosts.
import { canonicalJson } from "../json/canonical.js";
import { formatSecretRef } from "../model.js";
import type { ProphecyTargetState } from "../state/stateStore.js";
import { secretRefOf, type FabricConfig, type SecretProvidersConfig, type SecretRefConfig } from "../synth/fabricConfig.js";
import type { TargetDestinationChange } from "./plan.js";

/** The config's prophecy block as the plan and the state record it. */
export interface TargetSettings {
  readonly url: string;
  readonly caSha256?: string;
  readonly token: SecretRefConfig;
  readonly tokenSecrets: SecretProvidersConfig;
}

/** What differs from the applied settings, in words; empty when nothing does. */
export function changedTargetSettings(settings: TargetSettings, applied: ProphecyTargetState): string[] {
  const changed: string[] = [];
  if (applied.url !== settings.url) changed.push("url");
  if (applied.caSha256 !== settings.caSha256) changed.push("caFile");
  if (canonicalJson(applied.token) !== canonicalJson(settings.token)) changed.push("token");
  if (canonicalJson(applied.tokenSecrets) !== canonicalJson(settings.tokenSecrets)) changed.push("token provider settings");
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

export function targetDestination(settings: TargetSettings, applied: ProphecyTargetState | undefined, desired: readonly FabricConfig[]): TargetDestinationChange | undefined {
  const changed = applied ? changedTargetSettings(settings, applied) : [];
  if (applied && changed.length === 0) return undefined;
  return { before: applied ? applied.url : "nothing applied to Prophecy yet", after: settings.url, changed, secretRefs: targetSecretRefs(settings, desired) };
}
