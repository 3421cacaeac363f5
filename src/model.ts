// The Model: teams, fabrics and connections, normalized (every default filled in) and typed. YAML and
// CDK both build it (through config/buildModel), and every later stage reads only it.
import type { Location } from "./diagnostics/diagnostic.js";

export type SecretProviderName = "env" | "file" | "exec" | "vault" | "databricks" | "prophecy";
export const secretProviderNames: readonly SecretProviderName[] = ["env", "file", "exec", "vault", "databricks", "prophecy"];
/** References that only the fabric's runtime can resolve; verify needs them mapped to another provider. */
export const runtimeOnlyProviders: readonly SecretProviderName[] = ["databricks", "prophecy"];

/** The providers that can read a value here (not only inside a fabric's runtime). */
export type SourceProviderName = "env" | "file" | "exec" | "vault";

/** Where a value is read: a reference to a secret that fabricate itself can resolve. */
export interface SourceRef {
  readonly provider: SourceProviderName;
  readonly secret: string;
  readonly key?: string;
}

export interface SecretRef {
  readonly provider: SecretProviderName;
  readonly secret: string;
  readonly key?: string;
  /**
   * Only on a prophecy reference: where its value is read, to create the secret in Prophecy when it
   * is missing and to verify with it.
   */
  readonly from?: SourceRef;
}

/** `env:GMAIL_ALERTS_PASSWORD`, or `vault:smtp/sendgrid#apiKey`: how plans and messages name a secret. */
export function formatSecretRef(ref: Omit<SecretRef, "from">): string {
  return `${ref.provider}:${ref.secret}${ref.key ? `#${ref.key}` : ""}`;
}

/** `prophecy:gmail-alerts from env:GMAIL_ALERTS_PASSWORD`: a reference with where its value is read, for plans. */
export function describeSecretRef(ref: SecretRef): string {
  return ref.from ? `${formatSecretRef(ref)} from ${formatSecretRef(ref.from)}` : formatSecretRef(ref);
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

/** What a connection type can be used for, kept as data beside the type (docs/design.md). */
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
  /** `sha256:…` of the CA file's content as loaded: the trust rules bind the CA by content, not path. */
  readonly caSha256?: string;
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

/** Where apply pushes fabrics (Prophecy's orchestration API); absent: fabricate keeps state only. */
export interface ProphecySettings {
  /** The API's base URL, without a trailing slash. */
  readonly url: string;
  readonly token: SecretRef;
  /** The token's provider settings (its default provider, file directory, exec command, Vault). */
  readonly secrets: SecretsSettings;
  readonly caFile?: string;
  readonly caSha256?: string;
  /** Prophecy's team id → the team's name here (Prophecy reads a fabric's team back by id). */
  readonly teams: Readonly<Record<string, string>>;
  readonly origin: Location;
}

export const defaultProphecyUrl = "https://app.prophecy.io";

/**
 * Settings of the Terraform stack (`synth --target terraform`, or a CDK app's FabricateStack): what each
 * connection's provisioner passes to `fabricate verify`, as written (the command line reads them).
 */
export interface TerraformSettings {
  readonly verify: {
    /** A duration as written, such as `20s`: verify's --timeout. */
    readonly timeout?: string;
    /** verify's --ca, as the provisioner finds it (absolute, or relative to the stack's directory). */
    readonly caFile?: string;
    /** verify's --secret-provider FROM=TO. */
    readonly secretProviders: Readonly<Partial<Record<SecretProviderName, SourceProviderName>>>;
  };
  readonly origin: Location;
}

export interface Model {
  /** Sorted by name. */
  readonly teams: readonly Team[];
  /** Sorted by name. */
  readonly fabrics: readonly Fabric[];
  readonly prophecy?: ProphecySettings;
  readonly terraform?: TerraformSettings;
}

export function findTeam(model: Model, name: string): Team | undefined {
  return model.teams.find((t) => t.name === name);
}
