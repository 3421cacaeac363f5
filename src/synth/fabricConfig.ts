// Model → fabric configs: the artifact a fabric runs on. Shaped like the bodies of Prophecy's
// orchestration API (fabric: name, teamName, description, provider; connection: name, kind,
// isDefaultWarehouseConnection, properties.smtp*), so that it can be pushed there as it is. Our own
// additions (tls mode, capabilities, team members, fingerprints) sit beside those fields, never inside
// `properties`. Passwords appear only as references.
import { canonicalDigest } from "../json/canonicalDigest.js";
import { sameJson } from "../json/sameJson.js";
import {
  connectionCapabilities,
  findTeam,
  type Capabilities,
  type Fabric,
  type FabricProvider,
  type Model,
  type SecretProviderName,
  type SecretRef,
  type SecretsSettings,
  type SmtpConnection,
  type SourceProviderName,
  type TlsMode,
} from "../model.js";

/** Prophecy's spelling of a secret reference; `kind` names our provider. */
export interface SecretRefConfig {
  readonly kind: SecretProviderName;
  readonly subKind: "text";
  readonly type: "secret";
  readonly properties: { readonly name: string; readonly key?: string };
  /** Our addition, on a prophecy reference: where its value is read. Never sent to Prophecy. */
  readonly from?: { readonly kind: SourceProviderName; readonly properties: { readonly name: string; readonly key?: string } };
}

export interface SmtpConnectionConfig {
  readonly name: string;
  readonly kind: "smtp";
  readonly isDefaultWarehouseConnection: false;
  readonly properties: {
    readonly smtpUrl: string;
    readonly smtpPort: number;
    readonly smtpUsername: string;
    readonly smtpPassword: SecretRefConfig;
  };
  readonly tls: TlsMode;
  readonly insecure: boolean;
  readonly caFile?: string;
  readonly caSha256?: string;
  readonly capabilities: Capabilities;
  /** sha256 of the connection's non-secret fields and its secret reference: changes when they do. */
  readonly fingerprint: string;
}

export type ConnectionConfig = SmtpConnectionConfig;

export interface SecretProvidersConfig {
  readonly default: SecretProviderName;
  readonly file?: { readonly directory: string };
  readonly exec?: { readonly command: readonly string[]; readonly timeoutMs: number };
  readonly vault?: { readonly address: string; readonly mount: string };
}

export interface FabricConfig {
  readonly name: string;
  readonly teamName: string;
  readonly description: string;
  readonly provider?: FabricProvider;
  readonly team: { readonly members: readonly string[]; readonly reviewers: readonly string[] };
  readonly secretProviders: SecretProvidersConfig;
  readonly trustedHosts: readonly string[];
  /** Sorted by name. */
  readonly connections: readonly ConnectionConfig[];
}

export function secretRefConfig(ref: SecretRef): SecretRefConfig {
  const from = ref.from && { kind: ref.from.provider, properties: { name: ref.from.secret, ...(ref.from.key !== undefined && { key: ref.from.key }) } };
  return { kind: ref.provider, subKind: "text", type: "secret", properties: { name: ref.secret, ...(ref.key !== undefined && { key: ref.key }) }, ...(from && { from }) };
}

export function secretRefOf(config: SecretRefConfig): SecretRef {
  const f = config.from;
  const from = f && { provider: f.kind, secret: f.properties.name, ...(f.properties.key !== undefined && { key: f.properties.key }) };
  return { provider: config.kind, secret: config.properties.name, ...(config.properties.key !== undefined && { key: config.properties.key }), ...(from && { from }) };
}

/** A connection config with its fingerprint, computed from everything else in it. */
export function fingerprinted(body: Omit<SmtpConnectionConfig, "fingerprint">): SmtpConnectionConfig {
  return { ...body, fingerprint: canonicalDigest({ ...body, fingerprint: undefined }) };
}

/**
 * The fingerprint is the digest of the body's canonical JSON: a body with the same JSON as `prior` (the
 * connection as synthesized before) has its fingerprint, without hashing it again.
 */
function synthConnection(c: SmtpConnection, prior: ConnectionConfig | undefined): SmtpConnectionConfig {
  const body = {
    name: c.name,
    kind: "smtp" as const,
    isDefaultWarehouseConnection: false as const,
    properties: { smtpUrl: c.host, smtpPort: c.port, smtpUsername: c.username, smtpPassword: secretRefConfig(c.password) },
    tls: c.tls,
    insecure: c.insecure,
    ...(c.caFile !== undefined && { caFile: c.caFile }),
    ...(c.caSha256 !== undefined && { caSha256: c.caSha256 }),
    capabilities: connectionCapabilities[c.type],
  };
  return prior && sameJson(body, prior, "fingerprint") ? { ...body, fingerprint: prior.fingerprint } : fingerprinted(body);
}

/** A secrets block as fabric configs (and the state, for Prophecy's token) record it. */
export function secretProvidersConfig(s: SecretsSettings): SecretProvidersConfig {
  return { default: s.provider, ...(s.file && { file: s.file }), ...(s.exec && { exec: s.exec }), ...(s.vault && { vault: s.vault }) };
}

/**
 * `prior` is the fabric as synthesized before (as applied), if any: its connections' fingerprints are
 * reused for connections whose body is the same. A plan of 100,000 connections, nearly all unchanged,
 * spent 0.5 s hashing them again.
 */
export function synthFabric(model: Model, fabric: Fabric, prior?: FabricConfig): FabricConfig {
  const team = findTeam(model, fabric.team);
  const before = new Map((prior?.connections ?? []).map((c) => [c.name, c]));
  return {
    name: fabric.name,
    teamName: fabric.team,
    description: fabric.description ?? "",
    ...(fabric.provider !== undefined && { provider: fabric.provider }),
    team: { members: team?.members ?? [], reviewers: team?.reviewers ?? [] },
    secretProviders: secretProvidersConfig(fabric.secrets),
    trustedHosts: fabric.trustedHosts,
    connections: fabric.connections.map((c) => synthConnection(c, before.get(c.name))),
  };
}

/** Every fabric's config, sorted by name; `prior` as for synthFabric (the applied fabric configs). */
export function synthFabrics(model: Model, prior: readonly FabricConfig[] = []): FabricConfig[] {
  const before = new Map(prior.map((f) => [f.name, f]));
  return model.fabrics.map((f) => synthFabric(model, f, before.get(f.name)));
}
