// The request bodies the stand-in accepts, as JSON Schemas written from the API contract, and their
// TypeScript types checked against them (ajv's JSONSchemaType), compiled once when the module loads.
// Every object is closed (additionalProperties: false) because a strict stand-in must fail a client
// that sends a field the real API would ignore or refuse: that client is wrong about the contract.
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject, JSONSchemaType } from "ajv";

export const providers = ["databricks", "bigquery", "ProphecyManaged"] as const;
export type Provider = (typeof providers)[number];

/** The placeholder by which a connection embedded in a create-fabric call names the embedded secret. */
export const embeddedSecretPlaceholder = "{{SECRET}}";

/** A Prophecy-held text secret as POSTed or PUT; only `text` is known to this stand-in (SMTP passwords). */
export interface SecretBody {
  kind: "prophecy";
  subKind: "text";
  properties: { name: string; value: string };
}

/** How a connection refers to a secret of its fabric. */
export interface SecretReference {
  kind: "prophecy";
  subKind: "text";
  type: "secret";
  properties: { id: string; name: string };
}

export interface SmtpProperties<Password> {
  smtpUrl: string;
  smtpPort: number;
  smtpUsername: string;
  smtpPassword: Password;
}

export interface ConnectionBody<Password = SecretReference> {
  name: string;
  kind: "smtp";
  isDefaultWarehouseConnection: boolean;
  properties: SmtpProperties<Password>;
}

export interface CreateFabricBody {
  name: string;
  teamName: string;
  provider: Provider;
  description?: string;
  secret?: SecretBody;
  connection?: ConnectionBody<typeof embeddedSecretPlaceholder>;
}

/** Team and provider may be restated but not changed (the store refuses a change). */
export interface UpdateFabricBody {
  name: string;
  description: string;
  teamName?: string;
  provider?: Provider;
}

const name = { type: "string", minLength: 1 } as const;

const secretBody: JSONSchemaType<SecretBody> = {
  type: "object",
  properties: {
    kind: { type: "string", const: "prophecy" },
    subKind: { type: "string", const: "text" },
    properties: {
      type: "object",
      properties: { name, value: { type: "string", minLength: 1 } },
      required: ["name", "value"],
      additionalProperties: false,
    },
  },
  required: ["kind", "subKind", "properties"],
  additionalProperties: false,
};

const secretReference: JSONSchemaType<SecretReference> = {
  type: "object",
  properties: {
    kind: { type: "string", const: "prophecy" },
    subKind: { type: "string", const: "text" },
    type: { type: "string", const: "secret" },
    properties: {
      type: "object",
      properties: { id: { type: "string", pattern: "^[0-9]+$" }, name },
      required: ["id", "name"],
      additionalProperties: false,
    },
  },
  required: ["kind", "subKind", "type", "properties"],
  additionalProperties: false,
};

// Written out twice because JSONSchemaType cannot check a schema built for a generic password type.
const smtpFields = {
  smtpUrl: { type: "string", minLength: 1 },
  smtpPort: { type: "integer", minimum: 1, maximum: 65535 },
  smtpUsername: { type: "string", minLength: 1 },
} as const;
const smtpRequired = ["smtpUrl", "smtpPort", "smtpUsername", "smtpPassword"] as const;
const connectionFields = { name, kind: { type: "string", const: "smtp" }, isDefaultWarehouseConnection: { type: "boolean" } } as const;
const connectionRequired = ["name", "kind", "isDefaultWarehouseConnection", "properties"] as const;

const connectionBody: JSONSchemaType<ConnectionBody> = {
  type: "object",
  properties: {
    ...connectionFields,
    properties: {
      type: "object",
      properties: { ...smtpFields, smtpPassword: secretReference },
      required: [...smtpRequired],
      additionalProperties: false,
    },
  },
  required: [...connectionRequired],
  additionalProperties: false,
};

const embeddedConnectionBody: JSONSchemaType<ConnectionBody<typeof embeddedSecretPlaceholder>> = {
  type: "object",
  properties: {
    ...connectionFields,
    properties: {
      type: "object",
      properties: { ...smtpFields, smtpPassword: { type: "string", const: embeddedSecretPlaceholder } },
      required: [...smtpRequired],
      additionalProperties: false,
    },
  },
  required: [...connectionRequired],
  additionalProperties: false,
};

const createFabricBody: JSONSchemaType<CreateFabricBody> = {
  type: "object",
  properties: {
    name,
    teamName: name,
    provider: { type: "string", enum: providers },
    // JSONSchemaType wants optional fields nullable; `not: null` keeps them strict all the same.
    description: { type: "string", nullable: true, not: { type: "null" } },
    secret: { ...secretBody, nullable: true, not: { type: "null" } },
    connection: { ...embeddedConnectionBody, nullable: true, not: { type: "null" } },
  },
  required: ["name", "teamName", "provider"],
  // The embedded connection names the embedded secret, so it cannot come alone.
  dependentRequired: { connection: ["secret"] },
  additionalProperties: false,
};

const updateFabricBody: JSONSchemaType<UpdateFabricBody> = {
  type: "object",
  properties: {
    name,
    description: { type: "string" },
    teamName: { ...name, nullable: true, not: { type: "null" } },
    provider: { type: "string", enum: providers, nullable: true, not: { type: "null" } },
  },
  required: ["name", "description"],
  additionalProperties: false,
};

const ajv = new Ajv2020({ strict: true, allErrors: true });

export const validateCreateFabric = ajv.compile(createFabricBody);
export const validateUpdateFabric = ajv.compile(updateFabricBody);
export const validateConnection = ajv.compile(connectionBody);
export const validateSecret = ajv.compile(secretBody);

/** ajv's errors as one line that names each offending place, as an API's 400 message would. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  const lines = (errors ?? [])
    .map((e) => {
      const at = e.instancePath === "" ? "body" : `body${e.instancePath.replace(/\//g, ".")}`;
      switch (e.keyword) {
        case "additionalProperties":
          return `${at}: unknown field "${String(e.params.additionalProperty)}"`;
        case "required":
          return `${at}: missing field "${String(e.params.missingProperty)}"`;
        case "const":
          return `${at} must be ${JSON.stringify(e.params.allowedValue)}`;
        case "enum":
          return `${at} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
        case "not": // only ever `not: null`, beside a nullable that JSONSchemaType asks for
          return `${at} must not be null`;
        case "dependentRequired":
          return `${at}: "${String(e.params.property)}" needs "${String(e.params.missingProperty)}"`;
        default:
          return `${at} ${e.message ?? "is invalid"}`;
      }
    });
  return [...new Set(lines)].join("; ");
}
