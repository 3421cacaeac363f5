// What the stand-in holds (fabrics, their connections and secrets) and the rules the real API keeps
// about them: names unique in their scope, a connection's name and a fabric's team and provider fixed
// for life, a connection's password a reference to a secret of the same fabric, a secret in use not
// deletable. Bodies arrive here already schema-valid; a broken rule is an Outcome. Every lookup is a
// Map lookup: the client bench pushes tens of thousands of requests through one store.
import { fail, ok, type Outcome } from "./outcome.js";
import type {
  ConnectionBody,
  CreateFabricBody,
  Provider,
  SecretBody,
  SecretReference,
  SmtpProperties,
  UpdateFabricBody,
} from "./schemas.js";

/**
 * Ids are decimal strings from here up (shaped like Prophecy's, such as "10740"), one sequence for
 * fabrics, connections and secrets alike, so that no id is ever handed out twice.
 */
const firstId = 10000;

export interface Team {
  readonly id: string;
  readonly name: string;
}

/** A connection as the API answers it (GET list and GET by name). */
export interface ConnectionView {
  readonly id: string;
  readonly name: string;
  readonly kind: "smtp";
  readonly isDefaultWarehouseConnection: boolean;
  readonly properties: SmtpProperties<SecretReference>;
}

/** A secret as the API answers it, never with its value: the same shape as a reference to it. */
export type SecretView = SecretReference;

/** What `data()` gives a test: a deep copy of everything held, secret values left out. */
export interface Snapshot {
  readonly fabrics: readonly FabricSnapshot[];
}

export interface FabricSnapshot {
  readonly id: string;
  readonly name: string;
  readonly teamName: string;
  readonly teamId: string;
  readonly provider: Provider;
  readonly description?: string;
  /** By connection name. */
  readonly connections: Readonly<Record<string, ConnectionView>>;
  /** By secret name. */
  readonly secrets: Readonly<Record<string, { readonly id: string; readonly name: string }>>;
}

interface StoredSecret {
  readonly id: string;
  readonly name: string;
  value: string;
}

interface StoredFabric {
  readonly id: string;
  name: string;
  readonly team: Team;
  readonly provider: Provider;
  description: string | undefined;
  readonly connections: Map<string, ConnectionView>;
  readonly secrets: Map<string, StoredSecret>;
  readonly secretIdsByName: Map<string, string>;
}

export class ProphecyStore {
  private readonly teamsByName: ReadonlyMap<string, Team>;
  private fabrics = new Map<string, StoredFabric>();
  /** team name → fabric name → fabric id: a fabric's name is unique within its team. */
  private fabricIdsByTeam = new Map<string, Map<string, string>>();
  private nextId = firstId;

  constructor(teams: readonly Team[]) {
    this.teamsByName = new Map(teams.map((t) => [t.name, t]));
  }

  /** Forget everything, ids included: as freshly constructed. */
  clear(): void {
    this.fabrics = new Map();
    this.fabricIdsByTeam = new Map();
    this.nextId = firstId;
  }

  /** The team name a fabric belongs to, for the caller's permission check. */
  teamOf(fabricId: string): Outcome<string> {
    const fabric = this.fabrics.get(fabricId);
    return fabric ? ok(fabric.team.name) : fail(404, `fabric ${fabricId} not found`);
  }

  createFabric(body: CreateFabricBody): Outcome<{ id: string }> {
    const team = this.teamsByName.get(body.teamName);
    if (!team) return fail(404, `team "${body.teamName}" not found`);
    const names = this.fabricIdsByTeam.get(team.name);
    if (names?.has(body.name)) return fail(409, `a fabric named "${body.name}" already exists in team "${team.name}"`);
    const fabric: StoredFabric = {
      id: this.newId(),
      name: body.name,
      team,
      provider: body.provider,
      description: body.description,
      connections: new Map(),
      secrets: new Map(),
      secretIdsByName: new Map(),
    };
    this.fabrics.set(fabric.id, fabric);
    this.fabricNames(team.name).set(fabric.name, fabric.id);
    if (body.secret) {
      const secret = this.addSecret(fabric, body.secret);
      // The schema lets a connection come only with a secret, naming it by the placeholder.
      if (body.connection) {
        this.addConnection(fabric, { ...body.connection, properties: { ...body.connection.properties, smtpPassword: referenceTo(secret) } });
      }
    }
    return ok({ id: fabric.id });
  }

  getFabric(fabricId: string): Outcome<{ fabricID: string; name: string; teamID: string }> {
    const fabric = this.fabrics.get(fabricId);
    if (!fabric) return fail(404, `fabric ${fabricId} not found`);
    return ok({ fabricID: fabric.id, name: fabric.name, teamID: fabric.team.id });
  }

  updateFabric(fabricId: string, body: UpdateFabricBody): Outcome<{ id: string }> {
    const fabric = this.fabrics.get(fabricId);
    if (!fabric) return fail(404, `fabric ${fabricId} not found`);
    if (body.teamName !== undefined && body.teamName !== fabric.team.name) {
      return fail(400, `a fabric's team cannot change (fabric ${fabricId} belongs to "${fabric.team.name}"): create a new fabric instead`);
    }
    if (body.provider !== undefined && body.provider !== fabric.provider) {
      return fail(400, `a fabric's provider cannot change (fabric ${fabricId} is "${fabric.provider}"): create a new fabric instead`);
    }
    const names = this.fabricNames(fabric.team.name);
    if (body.name !== fabric.name) {
      if (names.has(body.name)) return fail(409, `a fabric named "${body.name}" already exists in team "${fabric.team.name}"`);
      names.delete(fabric.name);
      names.set(body.name, fabric.id);
      fabric.name = body.name;
    }
    fabric.description = body.description;
    return ok({ id: fabric.id });
  }

  deleteFabric(fabricId: string): Outcome<{ id: string }> {
    const fabric = this.fabrics.get(fabricId);
    if (!fabric) return fail(404, `fabric ${fabricId} not found`);
    this.fabrics.delete(fabricId);
    this.fabricNames(fabric.team.name).delete(fabric.name);
    return ok({ id: fabricId });
  }

  createConnection(fabricId: string, body: ConnectionBody): Outcome<{ id: string }> {
    const fabric = this.fabrics.get(fabricId);
    if (!fabric) return fail(404, `fabric ${fabricId} not found`);
    if (fabric.connections.has(body.name)) return fail(409, `a connection named "${body.name}" already exists in fabric ${fabricId}`);
    const refused = checkReference(fabric, body.properties.smtpPassword);
    if (refused) return refused;
    return ok({ id: this.addConnection(fabric, body).id });
  }

  listConnections(fabricId: string): Outcome<{ Connections: ConnectionView[] }> {
    const fabric = this.fabrics.get(fabricId);
    if (!fabric) return fail(404, `fabric ${fabricId} not found`);
    return ok({ Connections: [...fabric.connections.values()] });
  }

  getConnection(fabricId: string, name: string): Outcome<ConnectionView> {
    const found = this.findConnection(fabricId, name);
    return found.ok ? ok(found.value.connection) : found;
  }

  updateConnection(fabricId: string, name: string, body: ConnectionBody): Outcome<{ id: string }> {
    const found = this.findConnection(fabricId, name);
    if (!found.ok) return found;
    const { fabric, connection } = found.value;
    if (body.name !== name) return fail(400, `a connection's name cannot change ("${name}" in the path, "${body.name}" in the body)`);
    // No kind check: the schema admits only "smtp", the one kind this stand-in knows, so a change of kind
    // is refused there.
    const refused = checkReference(fabric, body.properties.smtpPassword);
    if (refused) return refused;
    fabric.connections.set(name, { id: connection.id, ...body });
    return ok({ id: connection.id });
  }

  deleteConnection(fabricId: string, name: string): Outcome<{ id: string }> {
    const found = this.findConnection(fabricId, name);
    if (!found.ok) return found;
    found.value.fabric.connections.delete(name);
    return ok({ id: name });
  }

  createSecret(fabricId: string, body: SecretBody): Outcome<{ id: string }> {
    const fabric = this.fabrics.get(fabricId);
    if (!fabric) return fail(404, `fabric ${fabricId} not found`);
    if (fabric.secretIdsByName.has(body.properties.name)) {
      return fail(409, `a secret named "${body.properties.name}" already exists in fabric ${fabricId}`);
    }
    return ok({ id: this.addSecret(fabric, body).id });
  }

  listSecrets(fabricId: string): Outcome<{ secrets: SecretView[] }> {
    const fabric = this.fabrics.get(fabricId);
    if (!fabric) return fail(404, `fabric ${fabricId} not found`);
    return ok({ secrets: [...fabric.secrets.values()].map(referenceTo) });
  }

  getSecret(fabricId: string, secretId: string): Outcome<SecretView> {
    const found = this.findSecret(fabricId, secretId);
    return found.ok ? ok(referenceTo(found.value.secret)) : found;
  }

  /** Rotation: the value changes; the name cannot, since connections refer to a secret by id and name. */
  updateSecret(fabricId: string, secretId: string, body: SecretBody): Outcome<{ id: string }> {
    const found = this.findSecret(fabricId, secretId);
    if (!found.ok) return found;
    const { secret } = found.value;
    if (body.properties.name !== secret.name) {
      return fail(400, `a secret's name cannot change (secret ${secretId} is "${secret.name}")`);
    }
    secret.value = body.properties.value;
    return ok({ id: secretId });
  }

  deleteSecret(fabricId: string, secretId: string): Outcome<{ id: string }> {
    const found = this.findSecret(fabricId, secretId);
    if (!found.ok) return found;
    const { fabric, secret } = found.value;
    // A scan of this fabric's connections only (a handful), never of every fabric.
    const users = [...fabric.connections.values()].filter((c) => c.properties.smtpPassword.properties.id === secretId).map((c) => `"${c.name}"`);
    if (users.length > 0) {
      return fail(409, `secret ${secretId} ("${secret.name}") is used by connection${users.length > 1 ? "s" : ""} ${users.join(", ")}: change or delete ${users.length > 1 ? "them" : "it"} first`);
    }
    fabric.secrets.delete(secretId);
    fabric.secretIdsByName.delete(secret.name);
    return ok({ id: secretId });
  }

  /** A stored secret's value, for tests that check what a client sent; undefined when there is none. */
  secretValue(fabricId: string, secretName: string): string | undefined {
    const fabric = this.fabrics.get(fabricId);
    const id = fabric?.secretIdsByName.get(secretName);
    return id === undefined ? undefined : fabric!.secrets.get(id)!.value;
  }

  snapshot(): Snapshot {
    return {
      fabrics: [...this.fabrics.values()].map((f) => ({
        id: f.id,
        name: f.name,
        teamName: f.team.name,
        teamId: f.team.id,
        provider: f.provider,
        ...(f.description !== undefined && { description: f.description }),
        connections: Object.fromEntries([...f.connections].map(([name, c]) => [name, structuredClone(c)])),
        secrets: Object.fromEntries([...f.secrets.values()].map((s) => [s.name, { id: s.id, name: s.name }])),
      })),
    };
  }

  private newId(): string {
    return String(this.nextId++);
  }

  private fabricNames(teamName: string): Map<string, string> {
    let names = this.fabricIdsByTeam.get(teamName);
    if (!names) this.fabricIdsByTeam.set(teamName, (names = new Map()));
    return names;
  }

  private addSecret(fabric: StoredFabric, body: SecretBody): StoredSecret {
    const secret: StoredSecret = { id: this.newId(), name: body.properties.name, value: body.properties.value };
    fabric.secrets.set(secret.id, secret);
    fabric.secretIdsByName.set(secret.name, secret.id);
    return secret;
  }

  private addConnection(fabric: StoredFabric, body: ConnectionBody): ConnectionView {
    const connection: ConnectionView = { id: this.newId(), ...body };
    fabric.connections.set(connection.name, connection);
    return connection;
  }

  private findConnection(fabricId: string, name: string): Outcome<{ fabric: StoredFabric; connection: ConnectionView }> {
    const fabric = this.fabrics.get(fabricId);
    if (!fabric) return fail(404, `fabric ${fabricId} not found`);
    const connection = fabric.connections.get(name);
    if (!connection) return fail(404, `connection "${name}" not found in fabric ${fabricId}`);
    return ok({ fabric, connection });
  }

  private findSecret(fabricId: string, secretId: string): Outcome<{ fabric: StoredFabric; secret: StoredSecret }> {
    const fabric = this.fabrics.get(fabricId);
    if (!fabric) return fail(404, `fabric ${fabricId} not found`);
    const secret = fabric.secrets.get(secretId);
    if (!secret) return fail(404, `secret ${secretId} not found in fabric ${fabricId}`);
    return ok({ fabric, secret });
  }
}

function referenceTo(secret: StoredSecret): SecretReference {
  return { kind: "prophecy", subKind: "text", type: "secret", properties: { id: secret.id, name: secret.name } };
}

/** A password reference must name a secret of this fabric by its id and that secret's name. */
function checkReference(fabric: StoredFabric, reference: SecretReference): Outcome<never> | undefined {
  const { id, name } = reference.properties;
  const secret = fabric.secrets.get(id);
  if (!secret) return fail(400, `smtpPassword refers to secret ${id}, which does not exist in fabric ${fabric.id}`);
  if (secret.name !== name) return fail(400, `smtpPassword refers to secret ${id} as "${name}", but that secret is named "${secret.name}"`);
  return undefined;
}
