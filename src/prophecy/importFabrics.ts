// `fabricate import`: adopting fabrics that already exist in Prophecy, by id (Prophecy cannot list
// fabrics). Each is read with its connections and secrets, written as a YAML file that declares exactly
// what Prophecy holds (passwords as prophecy references by secret name), and recorded in the state with
// its ids, so that the next plan says `No changes.` A fabric the config already declares is only
// recorded, not written again: that is how a create whose answer was lost is settled.
//
// Prophecy names a fabric's team by id; the config's prophecy.teams (or --team ID=NAME) gives its name.
// It returns neither a fabric's description nor its provider, so an imported fabric declares neither.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { mapConcurrently } from "../concurrency.js";
import { compareCodePoints } from "../json/canonical.js";
import { findTeam, type Model } from "../model.js";
import { nextSerial } from "../state/stateDocument.js";
import type { State } from "../state/stateStore.js";
import type { ConnectionConfig, FabricConfig } from "../synth/fabricConfig.js";
import { getFabric, listConnections, listSecrets, type RemoteConnection, type RemoteFabric, type RemoteSecret } from "./api.js";
import type { ProphecyClient } from "./client.js";
import { heldConnection, importedFabric } from "./heldConfig.js";
import { all, recordingSettings, setFabric, setPending, type EndpointSettings } from "./targetState.js";

/** A fabric as Prophecy holds it, with everything in it. */
export interface RemoteContents {
  readonly fabric: RemoteFabric;
  readonly connections: readonly RemoteConnection[];
  readonly secrets: readonly RemoteSecret[];
}

export async function readFabrics(client: ProphecyClient, ids: readonly string[], parallelism: number): Promise<RemoteContents[] | { error: string }> {
  let failure: string | undefined;
  const read = await mapConcurrently(ids, parallelism, async (id): Promise<RemoteContents | undefined> => {
    const fabric = await client.call(getFabric(id));
    if (!fabric.ok) {
      failure ??= fabric.status === 404 ? `Prophecy at ${client.url} holds no fabric ${id} that this token may read` : fabric.message;
      return undefined;
    }
    const name = fabric.value.name;
    const [connections, secrets] = await Promise.all([client.call(listConnections(id, name)), client.call(listSecrets(id, name))]);
    if (!connections.ok || !secrets.ok) {
      failure ??= !connections.ok ? connections.message : !secrets.ok ? secrets.message : "";
      return undefined;
    }
    return { fabric: fabric.value, connections: connections.value, secrets: secrets.value };
  });
  return failure !== undefined ? { error: failure } : (read as RemoteContents[]);
}

/** One fabric to import: what the state records, and the YAML to write when the config does not declare it. */
export interface ImportedFabric {
  readonly id: string;
  readonly config: FabricConfig;
  readonly secrets: Readonly<Record<string, string>>;
  /** Absent when the config already declares the fabric. */
  readonly yaml?: string;
  /** Connections left out, in words (a kind fabricate does not manage). */
  readonly notes: readonly string[];
}

export interface ImportContext {
  readonly model: Model;
  /** Prophecy team id → name: the config's prophecy.teams with --team on top. */
  readonly teams: Readonly<Record<string, string>>;
  readonly prior: State | undefined;
  readonly url: string;
}

const slug = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** The fabrics to import, or every reason they cannot be (nothing is written or recorded then). */
export function planImport(contents: readonly RemoteContents[], context: ImportContext): { fabrics: ImportedFabric[] } | { errors: string[] } {
  const errors: string[] = [];
  const fabrics: ImportedFabric[] = [];
  const seen = new Map<string, string>();
  const teamsDeclaredHere = new Set<string>();
  for (const { fabric, connections, secrets } of [...contents].sort((a, b) => compareCodePoints(a.fabric.name, b.fabric.name))) {
    const about = `fabric ${fabric.id} (${JSON.stringify(fabric.name)})`;
    const problems: string[] = [];
    const team = context.teams[fabric.teamId];
    if (team === undefined) problems.push(`${about} belongs to Prophecy team ${fabric.teamId}, whose name here is unknown: add --team ${fabric.teamId}=NAME (or prophecy.teams in the config)`);
    if (!slug.test(fabric.name)) problems.push(`${about}: its name is not a fabricate name (lower-case letters, digits, - and _): rename it in Prophecy first`);
    const twin = seen.get(fabric.name);
    if (twin !== undefined && twin !== fabric.id) problems.push(`${about}: fabric ${twin} has the same name`);
    seen.set(fabric.name, fabric.id);
    const recordedId = context.prior?.targets?.prophecy?.fabrics[fabric.name]?.id;
    if (recordedId !== undefined && recordedId !== fabric.id) problems.push(`${about}: the state already records fabric ${fabric.name} as Prophecy's fabric ${recordedId}`);
    const notes: string[] = [];
    const smtp: { name: string; properties: NonNullable<RemoteConnection["properties"]> }[] = [];
    for (const c of connections) {
      if (c.properties === undefined) notes.push(`connection ${c.name} left out: fabricate does not manage connections of kind ${JSON.stringify(c.kind)}`);
      else if (!slug.test(c.name)) problems.push(`${about}: connection ${JSON.stringify(c.name)} has a name that is not a fabricate name: rename it in Prophecy first`);
      else if (c.properties.smtpPassword.kind !== "prophecy") problems.push(`${about}: connection ${c.name}'s password is a ${JSON.stringify(c.properties.smtpPassword.kind)} secret, which fabricate cannot push back`);
      else smtp.push({ name: c.name, properties: c.properties });
    }
    errors.push(...problems);
    if (problems.length > 0 || team === undefined) continue;
    const declared = context.model.fabrics.find((f) => f.name === fabric.name);
    const recorded = recordedId === fabric.id ? context.prior?.fabrics.find((f) => f.name === fabric.name) : undefined;
    const connectionsHeld = smtp.map((c) => heldConnection(c.name, c.properties, recorded?.connections.find((r) => r.name === c.name)));
    // A fabric the state records keeps its own settings (fabricate's additions); a new one gets the defaults.
    const config = recorded
      ? { ...recorded, connections: connectionsHeld.sort((a, b) => compareCodePoints(a.name, b.name)) }
      : importedFabric(fabric.name, team, findTeam(context.model, team), connectionsHeld, declared && { description: declared.description ?? "", ...(declared.provider !== undefined && { provider: declared.provider }) });
    const declareTeam = !findTeam(context.model, team) && !teamsDeclaredHere.has(team);
    if (!declared && declareTeam) teamsDeclaredHere.add(team);
    fabrics.push({
      id: fabric.id,
      config,
      secrets: Object.fromEntries([...secrets].sort((a, b) => compareCodePoints(a.name, b.name)).map((s) => [s.name, s.id])),
      ...(!declared && { yaml: fabricYaml(fabric, team, declareTeam, connectionsHeld, context.url) }),
      notes,
    });
  }
  return errors.length > 0 ? { errors } : { fabrics };
}

function fabricYaml(fabric: RemoteFabric, team: string, declareTeam: boolean, connections: readonly ConnectionConfig[], url: string): string {
  const document = {
    version: 1,
    ...(declareTeam && { teams: [{ name: team }] }),
    fabrics: [
      {
        name: fabric.name,
        team,
        connections: connections.map((c) => ({
          name: c.name,
          type: "smtp",
          url: c.properties.smtpUrl,
          port: c.properties.smtpPort,
          username: c.properties.smtpUsername,
          password: { provider: "prophecy", secret: c.properties.smtpPassword.properties.name },
        })),
      },
    ],
  };
  const header = [
    `# Imported from Prophecy at ${url} (fabric id ${fabric.id}) by \`fabricate import\`.`,
    "# Prophecy does not return a fabric's description or provider, so neither is declared: add a",
    "# description to manage it; a provider other than the one Prophecy holds would replace the fabric.",
    "# The passwords stay in Prophecy; add from: to a password to let apply --rotate-secrets upload it.",
  ];
  // Required here, not imported: this module is reached through prophecy/index.js by plan and apply,
  // which should not pay yaml's 20 ms of loading for a function only import calls.
  const { stringify } = createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return `${header.join("\n")}\n${stringify(document, { lineWidth: 0 })}`;
}

/** The state after the import: the imported fabrics recorded with their ids, their pending creates settled. */
export function importedState(prior: State | undefined, fabrics: readonly ImportedFabric[], endpoint: EndpointSettings, where: string): State {
  const names = new Set(fabrics.map((f) => f.config.name));
  const kept = (prior?.fabrics ?? []).filter((f) => !names.has(f.name));
  const update = recordingSettings(endpoint, all(...fabrics.flatMap((f) => [setFabric(f.config.name, { id: f.id, ...(Object.keys(f.secrets).length > 0 && { secrets: { ...f.secrets } }) }), setPending(f.config.name, () => ({}))])));
  return {
    version: 1,
    serial: nextSerial(prior?.serial, where),
    lineage: prior?.lineage ?? randomUUID(),
    fabrics: [...kept, ...fabrics.map((f) => f.config)].sort((a, b) => compareCodePoints(a.name, b.name)),
    // The updates change what they are given: a copy, so that `prior` stays as it was read.
    targets: update(prior?.targets && structuredClone(prior.targets)),
  };
}
