// What Prophecy holds, as fabric configs: the shape the state records and plans compare. Prophecy holds
// only its own fields (a connection's url, port, username and password reference; a fabric's name and
// team), so a connection the state already records keeps fabricate's additions (tls, a CA, the
// reference's `from`) and takes Prophecy's fields from the answer; one fabricate has never recorded
// (adopted by a refresh, or imported) gets the defaults a config that declares only those fields would
// get: tls by port, nothing insecure.
import { connectionCapabilities, secretProviderNames, type SecretProviderName, type Team } from "../model.js";
import { fingerprinted, type ConnectionConfig, type FabricConfig, type SecretRefConfig } from "../synth/fabricConfig.js";
import { compareCodePoints } from "../json/canonical.js";
import type { RemoteSecretRef, RemoteSmtpProperties } from "./api.js";

/** The reference as held: the recorded one when it names the same Prophecy secret (it keeps its `from`). */
function heldPassword(remote: RemoteSecretRef, recorded: SecretRefConfig | undefined): SecretRefConfig {
  if (recorded && recorded.kind === remote.kind && recorded.properties.name === remote.name && recorded.properties.key === undefined) return recorded;
  const kind = (secretProviderNames as readonly string[]).includes(remote.kind) ? (remote.kind as SecretProviderName) : "prophecy";
  return { kind, subKind: "text", type: "secret", properties: { name: remote.name } };
}

export function heldConnection(name: string, remote: RemoteSmtpProperties, recorded?: ConnectionConfig): ConnectionConfig {
  const properties = {
    smtpUrl: remote.smtpUrl,
    smtpPort: remote.smtpPort,
    smtpUsername: remote.smtpUsername,
    smtpPassword: heldPassword(remote.smtpPassword, recorded?.properties.smtpPassword),
  };
  if (recorded) {
    const p = recorded.properties;
    // The common case on a large state: nothing changed, and the recorded config is the held one.
    if (p.smtpUrl === properties.smtpUrl && p.smtpPort === properties.smtpPort && p.smtpUsername === properties.smtpUsername && p.smtpPassword === properties.smtpPassword) return recorded;
    const { fingerprint: _old, ...rest } = recorded;
    return fingerprinted({ ...rest, properties });
  }
  return fingerprinted({
    name,
    kind: "smtp",
    isDefaultWarehouseConnection: false,
    properties,
    tls: remote.smtpPort === 465 ? "implicit" : "starttls",
    insecure: false,
    capabilities: connectionCapabilities.smtp,
  });
}

/**
 * A fabric fabricate has never recorded, as a config that declares only what Prophecy holds would give
 * it: no description (the API does not return it), no provider (nor that), the default secret provider,
 * no trusted hosts, and the members and reviewers of its team as the config declares them. When the
 * config declares the fabric, its description and provider are taken as what Prophecy holds (they are
 * what a create of it sent); fabricate's own settings, which the trust rules read, stay at the defaults
 * until an apply records them.
 */
export function importedFabric(name: string, teamName: string, team: Team | undefined, connections: readonly ConnectionConfig[], declared?: Pick<FabricConfig, "description" | "provider">): FabricConfig {
  return {
    name,
    teamName,
    description: declared?.description ?? "",
    ...(declared?.provider !== undefined && { provider: declared.provider }),
    team: { members: team?.members ?? [], reviewers: team?.reviewers ?? [] },
    secretProviders: { default: "env" },
    trustedHosts: [],
    connections: [...connections].sort((a, b) => compareCodePoints(a.name, b.name)),
  };
}
