// What the stand-in refuses, as the real API would, one row a rule: the status, the envelope
// {success: false, message}, a message that names the problem, and nothing changed by the refusal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProphecyStandIn, RouteName, RouteParams, Snapshot } from "../../../src/demo/prophecyStandIn/index.js";
import {
  bobToken,
  call,
  connectionBody,
  fabricBody,
  idIn,
  route,
  secretBody,
  secretRef,
  seedFabric,
  startTestStandIn,
  type CallOptions,
  type CallResult,
} from "../../helpers/prophecyStandIn.js";

let standIn: ProphecyStandIn;
/** alice's fabric with secret and connection "gmail-alerts"; alice's second fabric with secret "other"; bob's fabric. */
let ids: { fabricId: string; secretId: string; otherFabricId: string; otherSecretId: string; bobFabricId: string };
let before: Snapshot;

beforeAll(async () => {
  standIn = await startTestStandIn();
  const seeded = await seedFabric(standIn);
  const otherFabricId = idIn(await route(standIn, "createFabric", {}, { body: fabricBody("marketing-dev") }));
  const otherSecretId = idIn(await route(standIn, "createSecret", { fabricId: otherFabricId }, { body: secretBody("other", "v") }));
  const bobFabricId = idIn(await route(standIn, "createFabric", {}, { body: fabricBody("finance-prod", "finance"), token: bobToken }));
  ids = { ...seeded, otherFabricId, otherSecretId, bobFabricId };
  before = standIn.data();
});

afterAll(() => standIn.close());

type Ids = typeof ids;
const ref = (i: Ids) => secretRef(i.secretId, "gmail-alerts");
const connection = (i: Ids, extra: Record<string, unknown> = {}, properties: Record<string, unknown> = {}) => {
  const body = connectionBody("new-conn", ref(i));
  return { ...body, ...extra, properties: { ...body.properties, ...properties } };
};
const existing = (i: Ids, extra: Record<string, unknown> = {}, properties: Record<string, unknown> = {}) => ({
  ...connection(i, extra, properties),
  ...(extra.name === undefined && { name: "gmail-alerts" }),
});

interface Case {
  readonly title: string;
  readonly send: (i: Ids) => { route: RouteName; params?: RouteParams; options?: CallOptions } | { method: string; path: string; options?: CallOptions };
  readonly status: number;
  readonly message: RegExp;
}

const cases: Case[] = [
  // Who is asking
  { title: "no X-AUTH-TOKEN", send: (i) => ({ route: "getFabric", params: { fabricId: i.fabricId }, options: { token: null } }), status: 401, message: /missing X-AUTH-TOKEN/ },
  { title: "an unknown token", send: (i) => ({ route: "getFabric", params: { fabricId: i.fabricId }, options: { token: "stolen" } }), status: 401, message: /invalid or expired/ },
  { title: "an unknown token on an unknown path", send: () => ({ method: "GET", path: "/nothing", options: { token: "stolen" } }), status: 401, message: /X-AUTH-TOKEN/ },
  { title: "a fabric of another team", send: (i) => ({ route: "getFabric", params: { fabricId: i.bobFabricId } }), status: 403, message: /"alice@example.com" is not a member of team "finance"/ },
  { title: "a connection in a fabric of another team", send: (i) => ({ route: "listConnections", params: { fabricId: i.fabricId }, options: { token: bobToken } }), status: 403, message: /not a member of team "marketing"/ },
  { title: "a fabric created for another team", send: () => ({ route: "createFabric", options: { body: fabricBody("x", "finance") } }), status: 403, message: /not a member of team "finance"/ },
  // What is addressed
  { title: "an unknown fabric", send: () => ({ route: "getFabric", params: { fabricId: "99999" } }), status: 404, message: /fabric 99999 not found/ },
  { title: "an unknown fabric's connections", send: () => ({ route: "createConnection", params: { fabricId: "99999" }, options: { body: {} } }), status: 404, message: /fabric 99999 not found/ },
  { title: "an unknown connection", send: (i) => ({ route: "getConnection", params: { fabricId: i.fabricId, connectionName: "nope" } }), status: 404, message: /connection "nope" not found/ },
  { title: "an unknown secret", send: (i) => ({ route: "getSecret", params: { fabricId: i.fabricId, secretId: "99999" } }), status: 404, message: /secret 99999 not found/ },
  { title: "a secret of another fabric by its id", send: (i) => ({ route: "deleteSecret", params: { fabricId: i.fabricId, secretId: i.otherSecretId } }), status: 404, message: /not found in fabric/ },
  { title: "an unknown path", send: () => ({ method: "GET", path: "/api/orchestration/fabrics" }), status: 404, message: /no such endpoint: GET \/api\/orchestration\/fabrics/ },
  { title: "a method a path does not have", send: () => ({ method: "PATCH", path: "/api/orchestration/fabric/1" }), status: 405, message: /PATCH is not allowed/ },
  // Body transport
  { title: "a body without Content-Type", send: () => ({ route: "createFabric", options: { body: fabricBody("x"), contentType: null } }), status: 415, message: /Content-Type must be application\/json/ },
  { title: "a body sent as text/plain", send: (i) => ({ route: "createSecret", params: { fabricId: i.fabricId }, options: { body: secretBody("x", "v"), contentType: "text/plain" } }), status: 415, message: /not text\/plain/ },
  { title: "a body that is not JSON", send: () => ({ route: "createFabric", options: { body: "{name: 1" } }), status: 400, message: /not valid JSON/ },
  { title: "no body where one is needed", send: () => ({ route: "createFabric", options: { body: "" } }), status: 400, message: /JSON body is required/ },
  // Fabric bodies
  { title: "an unknown field in a fabric", send: () => ({ route: "createFabric", options: { body: { ...fabricBody("x"), team: "marketing" } } }), status: 400, message: /unknown field "team"/ },
  { title: "a fabric without a provider", send: () => ({ route: "createFabric", options: { body: { name: "x", teamName: "marketing" } } }), status: 400, message: /missing field "provider"/ },
  { title: "an unknown provider", send: () => ({ route: "createFabric", options: { body: { ...fabricBody("x"), provider: "snowflake" } } }), status: 400, message: /provider must be one of "databricks", "bigquery", "ProphecyManaged"/ },
  { title: "a null description", send: () => ({ route: "createFabric", options: { body: { ...fabricBody("x"), description: null } } }), status: 400, message: /description must not be null/ },
  { title: "a fabric name taken in its team", send: () => ({ route: "createFabric", options: { body: fabricBody("marketing-prod") } }), status: 409, message: /fabric named "marketing-prod" already exists in team "marketing"/ },
  { title: "an embedded connection without a secret", send: () => ({ route: "createFabric", options: { body: { ...fabricBody("x"), connection: connectionBody("c", "{{SECRET}}") } } }), status: 400, message: /"connection" needs "secret"/ },
  {
    title: "an embedded connection that does not name the embedded secret",
    send: (i) => ({ route: "createFabric", options: { body: { ...fabricBody("x"), secret: secretBody("s", "v"), connection: connectionBody("c", ref(i)) } } }),
    status: 400,
    message: /smtpPassword must be "\{\{SECRET\}\}"/,
  },
  { title: "a fabric update without a description", send: (i) => ({ route: "updateFabric", params: { fabricId: i.fabricId }, options: { body: { name: "x" } } }), status: 400, message: /missing field "description"/ },
  { title: "a change of a fabric's team", send: (i) => ({ route: "updateFabric", params: { fabricId: i.fabricId }, options: { body: { name: "marketing-prod", description: "", teamName: "finance" } } }), status: 400, message: /team cannot change/ },
  { title: "a change of a fabric's provider", send: (i) => ({ route: "updateFabric", params: { fabricId: i.fabricId }, options: { body: { name: "marketing-prod", description: "", provider: "bigquery" } } }), status: 400, message: /provider cannot change/ },
  { title: "a rename onto another fabric of the team", send: (i) => ({ route: "updateFabric", params: { fabricId: i.fabricId }, options: { body: { name: "marketing-dev", description: "" } } }), status: 409, message: /"marketing-dev" already exists/ },
  // Connection bodies
  { title: "an unknown field in a connection", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, { type: "smtp" }) } }), status: 400, message: /unknown field "type"/ },
  { title: "an unknown SMTP property", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, {}, { smtpTls: "starttls" }) } }), status: 400, message: /body\.properties: unknown field "smtpTls"/ },
  { title: "a port as a string", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, {}, { smtpPort: "587" }) } }), status: 400, message: /smtpPort must be integer/ },
  { title: "port 0", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, {}, { smtpPort: 0 }) } }), status: 400, message: /smtpPort must be >= 1/ },
  { title: "port 65536", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, {}, { smtpPort: 65536 }) } }), status: 400, message: /smtpPort must be <= 65535/ },
  { title: "a port with a fraction", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, {}, { smtpPort: 587.5 }) } }), status: 400, message: /smtpPort must be integer/ },
  { title: "a kind other than smtp", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, { kind: "postgres" }) } }), status: 400, message: /kind must be "smtp"/ },
  { title: "isDefaultWarehouseConnection as a string", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, { isDefaultWarehouseConnection: "false" }) } }), status: 400, message: /isDefaultWarehouseConnection must be boolean/ },
  { title: "a missing SMTP property", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: { ...connection(i), properties: { smtpUrl: "h", smtpPort: 25, smtpPassword: ref(i) } } } }), status: 400, message: /missing field "smtpUsername"/ },
  { title: "a password in plain text", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, {}, { smtpPassword: "hunter2" }) } }), status: 400, message: /smtpPassword must be object/ },
  { title: "a reference without an id", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, {}, { smtpPassword: { ...ref(i), properties: { name: "gmail-alerts" } } }) } }), status: 400, message: /missing field "id"/ },
  { title: "a reference of another kind", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, {}, { smtpPassword: { ...ref(i), kind: "databricks" } }) } }), status: 400, message: /smtpPassword\.kind must be "prophecy"/ },
  { title: "a reference to a secret id that does not exist", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, {}, { smtpPassword: secretRef("99999", "gmail-alerts") }) } }), status: 400, message: /refers to secret 99999, which does not exist in fabric/ },
  { title: "a reference to another fabric's secret", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, {}, { smtpPassword: secretRef(i.otherSecretId, "other") }) } }), status: 400, message: /which does not exist in fabric/ },
  { title: "a reference whose name is not its id's", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, {}, { smtpPassword: secretRef(i.secretId, "renamed") }) } }), status: 400, message: /as "renamed", but that secret is named "gmail-alerts"/ },
  { title: "a connection name taken in its fabric", send: (i) => ({ route: "createConnection", params: { fabricId: i.fabricId }, options: { body: connection(i, { name: "gmail-alerts" }) } }), status: 409, message: /connection named "gmail-alerts" already exists/ },
  { title: "a connection update without isDefaultWarehouseConnection", send: (i) => ({ route: "updateConnection", params: { fabricId: i.fabricId, connectionName: "gmail-alerts" }, options: { body: { name: "gmail-alerts", kind: "smtp", properties: existing(i).properties } } }), status: 400, message: /missing field "isDefaultWarehouseConnection"/ },
  { title: "a change of a connection's name", send: (i) => ({ route: "updateConnection", params: { fabricId: i.fabricId, connectionName: "gmail-alerts" }, options: { body: existing(i, { name: "renamed" }) } }), status: 400, message: /name cannot change/ },
  { title: "a change of a connection's kind", send: (i) => ({ route: "updateConnection", params: { fabricId: i.fabricId, connectionName: "gmail-alerts" }, options: { body: existing(i, { kind: "postgres" }) } }), status: 400, message: /kind must be "smtp"/ },
  { title: "an update to a missing secret", send: (i) => ({ route: "updateConnection", params: { fabricId: i.fabricId, connectionName: "gmail-alerts" }, options: { body: existing(i, {}, { smtpPassword: secretRef("99999", "x") }) } }), status: 400, message: /does not exist/ },
  // Secret bodies
  { title: "a secret of another subKind", send: (i) => ({ route: "createSecret", params: { fabricId: i.fabricId }, options: { body: { ...secretBody("x", "v"), subKind: "binary" } } }), status: 400, message: /subKind must be "text"/ },
  { title: "an unknown field in a secret", send: (i) => ({ route: "createSecret", params: { fabricId: i.fabricId }, options: { body: { ...secretBody("x", "v"), type: "secret" } } }), status: 400, message: /unknown field "type"/ },
  { title: "a secret without a value", send: (i) => ({ route: "createSecret", params: { fabricId: i.fabricId }, options: { body: { kind: "prophecy", subKind: "text", properties: { name: "x" } } } }), status: 400, message: /missing field "value"/ },
  { title: "a secret name taken in its fabric", send: (i) => ({ route: "createSecret", params: { fabricId: i.fabricId }, options: { body: secretBody("gmail-alerts", "v") } }), status: 409, message: /secret named "gmail-alerts" already exists/ },
  { title: "a rotation that renames the secret", send: (i) => ({ route: "updateSecret", params: { fabricId: i.fabricId, secretId: i.secretId }, options: { body: secretBody("renamed", "v") } }), status: 400, message: /secret's name cannot change/ },
  { title: "deleting a secret a connection uses", send: (i) => ({ route: "deleteSecret", params: { fabricId: i.fabricId, secretId: i.secretId } }), status: 409, message: /is used by connection "gmail-alerts": change or delete it first/ },
  { title: "a body larger than 1 MiB", send: (i) => ({ route: "createSecret", params: { fabricId: i.fabricId }, options: { body: secretBody("big", "x".repeat(1024 * 1024)) } }), status: 413, message: /larger than/ },
];

function send(c: Case): Promise<CallResult> {
  const request = c.send(ids);
  return "route" in request ? route(standIn, request.route, request.params, request.options) : call(standIn, request.method, request.path, request.options);
}

describe("the stand-in refuses", () => {
  it.each(cases)("$title with $status", async (c) => {
    const answer = await send(c);
    expect({ status: answer.status, contentType: answer.headers.get("content-type") }).toEqual({ status: c.status, contentType: "application/json" });
    expect(answer.json).toEqual({ success: false, message: expect.stringMatching(c.message) });
  });

  it("and no refusal changed anything", () => {
    expect(standIn.data()).toEqual(before);
  });

  it("a method a path does not have, naming those it has in Allow", async () => {
    const answer = await call(standIn, "PATCH", `/api/orchestration/fabric/${ids.fabricId}/connection`);
    expect(answer.headers.get("allow")).toBe("POST, GET");
  });
});
