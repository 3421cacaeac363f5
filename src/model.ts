// The Model: teams, fabrics and connections, normalized (every default filled in) and typed. YAML and
// CDK both build it (through config/buildModel), and every later stage reads only it.
import type { Location } from "./diagnostics/diagnostic.js";

export type SecretProviderName = "env" | "file" | "exec" | "vault" | "databricks" | "prophecy";
export const secretProviderNames: readonly SecretProviderName[] = ["env", "file", "exec", "vault", "databricks", "prophecy"];
/** References that only the fabric's runtime can resolve; verify needs them mapped to another provider. */
export const runtimeOnlyProviders: readonly SecretProviderName[] = ["databricks", "prophecy"];

export interface SecretRef {
  readonly provider: SecretProviderName;
  readonly secret: string;
  readonly key?: string;
}

/** `env:GMAIL_ALERTS_PASSWORD`, or `vault:smtp/sendgrid#apiKey`: how plans and messages name a secret. */
export function formatSecretRef(ref: SecretRef): string {
  return `${ref.provider}:${ref.secret}${ref.key ? `#${ref.key}` : ""}`;
}

export interface SecretsSettings {
  /** The provider for references that name none. */
  readonly provider: SecretProviderName;
  readonly file?: { readonly directory: string };
  readonly exec?: { readonly command: readonly string[]; readonly timeoutMs: number };
  readonly vault?: { readonly address: string; readonly mount: string };
}

export type TlsMode = "starttls" | "implicit" | "none";

export type ConnectionType = "smtp";

/** What a connection type can be used for, kept as data beside the type (DESIGN.md). */
export interface Capabilities {
  readonly emailStep: boolean;
  readonly source: boolean;
  readonly environmentBrowser: boolean;
}

export const connectionCapabilities: Record<ConnectionType, Capabilities> = {
  smtp: { emailStep: true, source: false, environmentBrowser: false },
};

export interface SmtpConnection {
  readonly name: string;
  readonly type: "smtp";
  /** The server's host name or IP (no scheme, no port). */
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMode;
  readonly username: string;
  readonly password: SecretRef;
  /** A PEM file of a private CA; a path relative to the working directory the config was loaded from. */
  readonly caFile?: string;
  readonly insecure: boolean;
  readonly origin: Location;
}

export type Connection = SmtpConnection;

export type FabricProvider = "databricks" | "bigquery" | "ProphecyManaged";

export interface Fabric {
  readonly name: string;
  readonly team: string;
  readonly description?: string;
  readonly provider?: FabricProvider;
  readonly secrets: SecretsSettings;
  readonly trustedHosts: readonly string[];
  /** Sorted by name. */
  readonly connections: readonly Connection[];
  readonly origin: Location;
}

export interface Team {
  readonly name: string;
  readonly description?: string;
  /** Sorted. */
  readonly members: readonly string[];
  /** Sorted. */
  readonly reviewers: readonly string[];
  readonly origin: Location;
}

export interface Model {
  /** Sorted by name. */
  readonly teams: readonly Team[];
  /** Sorted by name. */
  readonly fabrics: readonly Fabric[];
}

export function findTeam(model: Model, name: string): Team | undefined {
  return model.teams.find((t) => t.name === name);
}
