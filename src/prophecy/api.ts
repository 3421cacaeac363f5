// Prophecy's orchestration API as fabricate uses it: every path, every request body and every answer
// shape lives here and nowhere else, so that a correction to the contract lands in one place.
//
// The contract, in short: every request carries a personal access token in X-AUTH-TOKEN; bodies are
// JSON; answers are enveloped as {"success": true, "data": …} or {"success": false, "message": …}.
// Fabrics: POST /api/orchestration/fabric {name, teamName, provider, description} → data.id; GET, PUT
// {name, description} and DELETE …/fabric/{id} (GET answers {fabricID, name, teamID}: the team by id,
// and neither description nor provider). There is no call that lists fabrics. Connections, per fabric:
// POST …/connection, GET …/connection → data.Connections (capital C), PUT and DELETE
// …/connection/name/{name}; an SMTP connection's properties are smtpUrl, smtpPort, smtpUsername and
// smtpPassword, a reference {kind: "prophecy", subKind: "text", type: "secret", properties: {id, name}}
// to a secret of the same fabric. Secrets, per fabric: POST …/secret {kind, subKind, properties: {name,
// value}} → data.id, GET …/secret → data.secrets (never with values), PUT …/secret/id/{id} to rotate.
// The fabric GET/PUT/DELETE, connection list/delete and secret calls are known from a secondary source
// (a public client's endpoint reference); the create-fabric and connection pages were read directly.
//
// Bodies are built here from our fabric configs, where they are sent (the synth output already has
// Prophecy's field names; our own additions such as tls, fingerprints or a reference's `from` are left
// out, and a password reference gains the secret's id). Answers are checked before they are used: an
// answer of another shape is a failure that names the call, never a crash.
import type { ConnectionConfig, FabricConfig } from "../synth/fabricConfig.js";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** One request and how to read its answer's `data`. */
export interface ApiCall<T> {
  readonly method: Method;
  /** Below the base URL, segments percent-encoded. */
  readonly path: string;
  readonly body?: unknown;
  /** What the call does, for messages: `create fabric marketing-prod`. */
  readonly what: string;
  /** The answer's `data` as T, or undefined when it is not of the documented shape. */
  readonly read: (data: unknown) => T | undefined;
  /** What `data` was expected to hold, for the message when it does not. */
  readonly expected: string;
}

export interface RemoteFabric {
  readonly id: string;
  readonly name: string;
  readonly teamId: string;
}

/** A password reference as Prophecy holds it. */
export interface RemoteSecretRef {
  readonly kind: string;
  readonly id: string;
  readonly name: string;
}

export interface RemoteSmtpProperties {
  readonly smtpUrl: string;
  readonly smtpPort: number;
  readonly smtpUsername: string;
  readonly smtpPassword: RemoteSecretRef;
}

/** A connection as listed; the properties of kinds other than smtp are not read. */
export type RemoteConnection =
  | { readonly kind: "smtp"; readonly name: string; readonly properties: RemoteSmtpProperties }
  | { readonly kind: string; readonly name: string; readonly properties?: undefined };

export interface RemoteSecret {
  readonly id: string;
  readonly name: string;
}

const fabricsPath = "/api/orchestration/fabric";
const seg = encodeURIComponent;
const fabricPath = (fabricId: string) => `${fabricsPath}/${seg(fabricId)}`;
const connectionsPath = (fabricId: string) => `${fabricPath(fabricId)}/connection`;
const connectionPath = (fabricId: string, name: string) => `${connectionsPath(fabricId)}/name/${seg(name)}`;
const secretsPath = (fabricId: string) => `${fabricPath(fabricId)}/secret`;
const secretPath = (fabricId: string, secretId: string) => `${secretsPath(fabricId)}/id/${seg(secretId)}`;

// Prophecy's ids are strings ("10740"); a number is accepted too and read as its decimal string.
function idOf(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const readId = (data: unknown): { id: string } | undefined => {
  const id = idOf(record(data)?.id);
  return id === undefined ? undefined : { id };
};

function readSecretRef(value: unknown): RemoteSecretRef | undefined {
  const ref = record(value);
  const props = record(ref?.properties);
  const id = idOf(props?.id);
  if (!ref || typeof ref.kind !== "string" || typeof props?.name !== "string" || id === undefined) return undefined;
  return { kind: ref.kind, id, name: props.name };
}

function readConnection(value: unknown): RemoteConnection | undefined {
  const c = record(value);
  if (!c || typeof c.name !== "string" || typeof c.kind !== "string") return undefined;
  if (c.kind !== "smtp") return { kind: c.kind, name: c.name };
  const p = record(c.properties);
  const password = readSecretRef(p?.smtpPassword);
  if (!p || typeof p.smtpUrl !== "string" || !Number.isInteger(p.smtpPort) || typeof p.smtpUsername !== "string" || !password) return undefined;
  return { kind: "smtp", name: c.name, properties: { smtpUrl: p.smtpUrl, smtpPort: p.smtpPort as number, smtpUsername: p.smtpUsername, smtpPassword: password } };
}

/** Every item read, or undefined when one is not of the shape. */
function readAll<T>(items: unknown, read: (item: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(items)) return undefined;
  const out: T[] = [];
  for (const item of items) {
    const one = read(item);
    if (one === undefined) return undefined;
    out.push(one);
  }
  return out;
}

/** A fabric config with the provider Prophecy requires to create it. */
export type CreatableFabric = FabricConfig & { readonly provider: NonNullable<FabricConfig["provider"]> };

export function createFabric(fabric: CreatableFabric): ApiCall<{ id: string }> {
  return {
    method: "POST",
    path: fabricsPath,
    body: { name: fabric.name, teamName: fabric.teamName, provider: fabric.provider, description: fabric.description },
    what: `create fabric ${fabric.name}`,
    read: readId,
    expected: "data.id",
  };
}

/** `name` for messages, when it is known (an import knows only the id). */
export function getFabric(fabricId: string, name?: string): ApiCall<RemoteFabric> {
  return {
    method: "GET",
    path: fabricPath(fabricId),
    what: name === undefined ? `read fabric ${fabricId}` : `read fabric ${name} (id ${fabricId})`,
    read: (data) => {
      const d = record(data);
      const id = idOf(d?.fabricID);
      const teamId = idOf(d?.teamID);
      return d && id !== undefined && teamId !== undefined && typeof d.name === "string" ? { id, name: d.name, teamId } : undefined;
    },
    expected: "data.fabricID, data.name and data.teamID",
  };
}

/** Only a fabric's name and description can change. */
export function updateFabric(fabricId: string, fabric: FabricConfig): ApiCall<{ id: string }> {
  return {
    method: "PUT",
    path: fabricPath(fabricId),
    body: { name: fabric.name, description: fabric.description },
    what: `update fabric ${fabric.name} (id ${fabricId})`,
    read: readId,
    expected: "data.id",
  };
}

export function deleteFabric(fabricId: string, name: string): ApiCall<{ id: string }> {
  return { method: "DELETE", path: fabricPath(fabricId), what: `delete fabric ${name} (id ${fabricId})`, read: readId, expected: "data.id" };
}

export function listConnections(fabricId: string, fabric: string): ApiCall<RemoteConnection[]> {
  return {
    method: "GET",
    path: connectionsPath(fabricId),
    what: `list the connections of fabric ${fabric} (id ${fabricId})`,
    read: (data) => readAll(record(data)?.Connections, readConnection),
    expected: "data.Connections, a list of connections (an SMTP one with smtpUrl, smtpPort, smtpUsername and an smtpPassword reference)",
  };
}

/** The body of a connection create or update: Prophecy's four fields, the password naming the secret's id. */
function connectionBody(connection: ConnectionConfig, secretId: string): unknown {
  const p = connection.properties;
  return {
    name: connection.name,
    kind: connection.kind,
    isDefaultWarehouseConnection: connection.isDefaultWarehouseConnection,
    properties: {
      smtpUrl: p.smtpUrl,
      smtpPort: p.smtpPort,
      smtpUsername: p.smtpUsername,
      smtpPassword: { kind: "prophecy", subKind: "text", type: "secret", properties: { id: secretId, name: p.smtpPassword.properties.name } },
    },
  };
}

/** True when the two configs make the same body: what differs between them is fabricate's own (tls, a CA, `from`). */
export function sameConnectionBody(a: ConnectionConfig, b: ConnectionConfig): boolean {
  const x = a.properties;
  const y = b.properties;
  return a.name === b.name && a.kind === b.kind && x.smtpUrl === y.smtpUrl && x.smtpPort === y.smtpPort && x.smtpUsername === y.smtpUsername && x.smtpPassword.properties.name === y.smtpPassword.properties.name;
}

export function createConnection(fabricId: string, fabric: string, connection: ConnectionConfig, secretId: string): ApiCall<{ id: string }> {
  return {
    method: "POST",
    path: connectionsPath(fabricId),
    body: connectionBody(connection, secretId),
    what: `create connection ${fabric}/${connection.name}`,
    read: readId,
    expected: "data.id",
  };
}

export function updateConnection(fabricId: string, fabric: string, connection: ConnectionConfig, secretId: string): ApiCall<{ id: string }> {
  return {
    method: "PUT",
    path: connectionPath(fabricId, connection.name),
    body: connectionBody(connection, secretId),
    what: `update connection ${fabric}/${connection.name}`,
    read: readId,
    expected: "data.id",
  };
}

export function deleteConnection(fabricId: string, fabric: string, name: string): ApiCall<{ id: string }> {
  return { method: "DELETE", path: connectionPath(fabricId, name), what: `delete connection ${fabric}/${name}`, read: readId, expected: "data.id" };
}

export function listSecrets(fabricId: string, fabric: string): ApiCall<RemoteSecret[]> {
  return {
    method: "GET",
    path: secretsPath(fabricId),
    what: `list the secrets of fabric ${fabric} (id ${fabricId})`,
    read: (data) =>
      readAll(record(data)?.secrets, (item) => {
        const ref = readSecretRef(item);
        return ref && { id: ref.id, name: ref.name };
      }),
    expected: "data.secrets, a list of secrets with properties.id and properties.name",
  };
}

/** The value travels only in this body; it is never part of `what`. */
export function createSecret(fabricId: string, fabric: string, name: string, value: string): ApiCall<{ id: string }> {
  return {
    method: "POST",
    path: secretsPath(fabricId),
    body: { kind: "prophecy", subKind: "text", properties: { name, value } },
    what: `create secret ${fabric}/${name}`,
    read: readId,
    expected: "data.id",
  };
}

/** Rotation: the same secret (name and id) with a new value. */
export function updateSecret(fabricId: string, fabric: string, secret: RemoteSecret, value: string): ApiCall<{ id: string }> {
  return {
    method: "PUT",
    path: secretPath(fabricId, secret.id),
    body: { kind: "prophecy", subKind: "text", properties: { name: secret.name, value } },
    what: `upload secret ${fabric}/${secret.name} again`,
    read: readId,
    expected: "data.id",
  };
}
