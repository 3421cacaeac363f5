// Schema-valid declarations → the normalized Model, with the checks that need more than one field or
// more than one declaration: defaults filled in (port and tls from each other and the url, secret
// providers from the fabric), url and tls rules, control characters in what travels over SMTP,
// duplicates across files, and references between teams and fabrics.
import { isAbsolute, join } from "node:path";
import { errorAt, warningAt, type Diagnostic, type DocPath, type Location } from "../diagnostics/diagnostic.js";
import { parseDuration } from "../duration.js";
import type * as Decl from "../generated/Fabricate.js";
import { caDigest, caFileProblem } from "../files/caFile.js";
import { readBoundedFileSync } from "../files/readBoundedFile.js";
import { defaultProphecyUrl, type Fabric, type Model, type ProphecySettings, type SecretRef, type SecretsSettings, type SmtpConnection, type Team, type TerraformSettings, type TlsMode } from "../model.js";
import { canonicalJson } from "../json/canonical.js";
import type { ConfigSource } from "./configSource.js";
import { didYouMean } from "./didYouMean.js";
import { parseHostPattern, sharedDomainOf } from "../trust/hostPatterns.js";
import { parseHttpsEndpoint } from "./httpsEndpoint.js";
import { maxCaFileBytes } from "./limits.js";
import { parseServerAddress } from "./serverAddress.js";
import { compareCodePoints } from "../json/canonical.js";

const defaultExecTimeoutMs = 10_000;
const controlCharacter = /[\u0000-\u001f\u007f]/;

function byName<T extends { name: string }>(a: T, b: T): number {
  return compareCodePoints(a.name, b.name);
}

function describe(where: Location): string {
  return where.line === undefined ? (where.file ?? "?") : `${where.file}:${where.line}:${where.col}`;
}

interface Declared {
  readonly name: string;
  readonly origin: Location;
}

/** Which source declared each fabric, so that a diagnostic about its team field can find its line. */
type FabricSources = Map<Fabric, ConfigSource>;

function locateField(fabricSources: FabricSources, fabric: Fabric, field: string): Location {
  return fabricSources.get(fabric)!.locate([...(fabric.origin.path ?? []), field]);
}

/** Reports the second and later declarations of a name, each pointing back at the first. */
function checkUnique<T extends Declared>(kind: string, items: readonly T[], diagnostics: Diagnostic[]): T[] {
  const first = new Map<string, T>();
  for (const item of items) {
    const earlier = first.get(item.name);
    if (earlier) {
      diagnostics.push(
        errorAt(item.origin, `config.duplicate-${kind}`, `${kind} "${item.name}" is declared twice`, {
          detail: `first declared at ${describe(earlier.origin)}`,
        }),
      );
    } else {
      first.set(item.name, item);
    }
  }
  return [...first.values()];
}

/** A path written in a config file, made relative to the working directory (absolute stays absolute). */
function relativeTo(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : join(baseDir, path);
}

/**
 * The schema's pattern admits any duration; one past the parser's bound (24h) would quietly become a
 * default. `at` is asked only for a problem: a position costs the file's full YAML parse.
 */
function checkDuration(text: string, at: () => Location, ctx: Context): void {
  if (parseDuration(text) === undefined) ctx.diagnostics.push(errorAt(at(), "config.duration", `timeout ${JSON.stringify(text)} is too long: at most 24h`));
}

/** A fabric's (or the prophecy block's) `secrets`, with defaults; `at` locates its fields for diagnostics. */
function secretsSettings(decl: Decl.SecretProviderSettings | undefined, baseDir: string, at: (...field: string[]) => Location, ctx: Context): SecretsSettings {
  if (decl?.exec?.timeout !== undefined) checkDuration(decl.exec.timeout, () => at("secrets", "exec", "timeout"), ctx);
  return {
    provider: decl?.provider ?? "env",
    ...(decl?.file && { file: { directory: relativeTo(baseDir, decl.file.directory ?? "/run/secrets") } }),
    ...(decl?.exec && {
      exec: { command: decl.exec.command, timeoutMs: parseDuration(decl.exec.timeout ?? "") ?? defaultExecTimeoutMs },
    }),
    ...(decl?.vault && { vault: { address: decl.vault.address, mount: decl.vault.mount ?? "secret" } }),
  };
}

interface Context {
  readonly source: ConfigSource;
  readonly diagnostics: Diagnostic[];
  readonly fabricSources: FabricSources;
  /** Each url parsed once: connections share a few servers (0.1 s saved at 100,000 connections). */
  readonly addresses: Map<string, ReturnType<typeof parseServerAddress>>;
}

/**
 * Where a team, fabric or connection (its name) or a top-level block (its key) was declared: file and
 * path at once, and the line and column computed only if something reads them (a YAML file's
 * positions cost a full parse).
 */
class DeclarationOrigin implements Location {
  readonly file?: string;
  private position?: Location;

  constructor(
    private readonly source: ConfigSource,
    readonly path: DocPath,
    private readonly named = true,
  ) {
    this.file = source.origin(path).file;
  }

  private located(): Location {
    return (this.position ??= this.named ? this.source.locate([...this.path, "name"]) : this.source.locate(this.path, true));
  }
  get line(): number | undefined {
    return this.located().line;
  }
  get col(): number | undefined {
    return this.located().col;
  }
}

function originOf(path: DocPath, ctx: Context): Location {
  return new DeclarationOrigin(ctx.source, path);
}

/** What a reference (or its `from`) needs of the provider settings that resolve it. */
function checkResolvable(ref: { provider: string; secret: string }, settings: SecretsSettings, at: (field: string) => Location, whose: string, ctx: Context): void {
  if (ref.secret.split("/").includes("..")) {
    ctx.diagnostics.push(errorAt(at("secret"), "config.secret-name", "a secret name must not contain a '..' path segment", { sensitive: true }));
  }
  if (ref.provider === "exec" && !settings.exec) {
    ctx.diagnostics.push(errorAt(at("provider"), "config.secret-provider-settings", `this reference uses the exec provider, but ${whose} has no secrets.exec.command`));
  }
  if (ref.provider === "vault" && !settings.vault) {
    ctx.diagnostics.push(errorAt(at("provider"), "config.secret-provider-settings", `this reference uses the vault provider, but ${whose} has no secrets.vault.address`));
  }
}

function buildSecretRef(decl: Decl.SecretReference, settings: SecretsSettings, at: (...field: string[]) => Location, whose: string, ctx: Context): SecretRef {
  const from = decl.from && { provider: decl.from.provider ?? "env", secret: decl.from.secret, ...(decl.from.key !== undefined && { key: decl.from.key }) };
  const ref: SecretRef = { provider: decl.provider ?? settings.provider, secret: decl.secret, ...(decl.key !== undefined && { key: decl.key }), ...(from && { from }) };
  checkResolvable(ref, settings, (field) => at(field), whose, ctx);
  if (from) {
    if (ref.provider !== "prophecy") {
      ctx.diagnostics.push(errorAt(at("from"), "config.secret-from", `only a prophecy reference takes from (where its value is read to upload it); this one's provider is ${ref.provider}`));
    }
    checkResolvable(from, settings, (field) => at("from", field), whose, ctx);
  }
  return ref;
}

/**
 * A CA file's digest, read as untrusted input (a regular file under a cap, holding a PEM certificate).
 * `at` is asked only for a problem: a position costs the file's full YAML parse.
 */
function caFileDigest(path: string, written: string, at: () => Location, ctx: Context): string | undefined {
  const read = readBoundedFileSync(path, maxCaFileBytes);
  const problem = read.ok ? caFileProblem(read.bytes) : read.reason;
  if (problem || !read.ok) {
    ctx.diagnostics.push(errorAt(at(), "config.ca-file", `caFile ${JSON.stringify(written)} ${problem} (it is relative to this file)`));
    return undefined;
  }
  return caDigest(read.bytes);
}

function buildConnection(decl: Decl.Connection, fabricPath: (string | number)[], index: number, settings: SecretsSettings, ctx: Context): SmtpConnection | undefined {
  const path = [...fabricPath, "connections", index];
  const at = (...field: (string | number)[]): Location => ctx.source.locate([...path, ...field]);
  let address = ctx.addresses.get(decl.url);
  if (!address) ctx.addresses.set(decl.url, (address = parseServerAddress(decl.url)));
  const problems = ctx.diagnostics.length;
  if (controlCharacter.test(decl.url)) {
    ctx.diagnostics.push(errorAt(at("url"), "config.control-character", "url holds a control character (CR, LF, NUL…), which must never reach an SMTP server"));
  } else if ("error" in address) {
    ctx.diagnostics.push(errorAt(at("url"), "config.url", `url ${JSON.stringify(decl.url)} ${address.error}`));
  }
  if (controlCharacter.test(decl.username)) {
    ctx.diagnostics.push(errorAt(at("username"), "config.control-character", "username holds a control character (CR, LF, NUL…), which would be sent in the SMTP dialogue"));
  }
  const addr = "error" in address ? { host: decl.url } : address;
  if (addr.port !== undefined && decl.port !== undefined && addr.port !== decl.port) {
    ctx.diagnostics.push(errorAt(at("port"), "config.port-mismatch", `port ${decl.port} disagrees with the url's port ${addr.port}`));
  }
  if (addr.scheme === "smtps" && decl.tls !== undefined && decl.tls !== "implicit") {
    ctx.diagnostics.push(errorAt(at("tls"), "config.tls-mismatch", `tls: ${decl.tls} contradicts the url's smtps:// scheme, which means implicit TLS`));
  }
  const port = decl.port ?? addr.port ?? (decl.tls === "implicit" || addr.scheme === "smtps" ? 465 : 587);
  const tls: TlsMode = decl.tls ?? (port === 465 || addr.scheme === "smtps" ? "implicit" : "starttls");
  const insecure = decl.insecure ?? false;
  if (tls === "none" && !insecure) {
    ctx.diagnostics.push(
      errorAt(at("tls"), "config.tls-none", "tls: none sends the password in clear text; it is allowed only with insecure: true on this connection"),
    );
  }
  if (decl.tls === "starttls" && port === 465) {
    ctx.diagnostics.push(warningAt(at("tls"), "config.tls-port", "port 465 is the implicit-TLS port; did you mean tls: implicit?"));
  }
  if (decl.tls === "implicit" && (port === 587 || port === 25)) {
    ctx.diagnostics.push(warningAt(at("tls"), "config.tls-port", `port ${port} usually speaks STARTTLS, not implicit TLS; did you mean tls: starttls?`));
  }
  const caFile = decl.caFile === undefined ? undefined : relativeTo(ctx.source.baseDir, decl.caFile);
  const caSha256 = caFile === undefined ? undefined : caFileDigest(caFile, decl.caFile!, () => at("caFile"), ctx);
  const password = buildSecretRef(decl.password, settings, (...field) => at("password", ...field), "the fabric", ctx);
  if (ctx.diagnostics.length > problems && ctx.diagnostics.slice(problems).some((d) => d.severity === "error")) return undefined;
  return {
    name: decl.name,
    type: "smtp",
    host: addr.host,
    port,
    tls,
    username: decl.username,
    password,
    ...(caFile !== undefined && { caFile }),
    ...(caSha256 !== undefined && { caSha256 }),
    insecure,
    origin: originOf(path, ctx),
  };
}

/** trustedHosts entries: a valid pattern each, and a warning for a wildcard under a shared cloud domain. */
function checkTrustedHosts(patterns: readonly string[], path: DocPath, ctx: Context): void {
  patterns.forEach((pattern, i) => {
    const at = () => ctx.source.locate([...path, "trustedHosts", i]);
    const parsed = parseHostPattern(pattern);
    if ("error" in parsed) {
      ctx.diagnostics.push(errorAt(at(), "config.trusted-host", `trustedHosts entry ${JSON.stringify(pattern)} ${parsed.error}`));
      return;
    }
    const shared = sharedDomainOf(pattern);
    if (shared) {
      ctx.diagnostics.push(
        warningAt(at(), "config.trusted-host-shared", `${pattern} trusts every host under ${shared}, where anyone can run a server of their own: name the exact host (and port) instead, such as email-smtp.eu-west-1.amazonaws.com:587`),
      );
    }
  });
}

/** Fabric names that synth's own files take (`<fabric>.json` beside `manifest.json`). */
const reservedFabricNames = new Set(["manifest"]);

function buildFabric(decl: Decl.Fabric, index: number, ctx: Context): Fabric {
  const path = ["fabrics", index];
  if (reservedFabricNames.has(decl.name)) {
    ctx.diagnostics.push(errorAt(ctx.source.locate([...path, "name"]), "config.reserved-name", `a fabric cannot be named "${decl.name}": synth writes ${decl.name}.json for its own use`));
  }
  checkTrustedHosts(decl.trustedHosts ?? [], path, ctx);
  const secrets = secretsSettings(decl.secrets, ctx.source.baseDir, (...field) => ctx.source.locate([...path, ...field]), ctx);
  const connections = (decl.connections ?? [])
    // A connection the schema found broken is null here (wellFormedParts.ts): its errors are reported.
    .map((c, i) => (c === null ? undefined : buildConnection(c, path, i, secrets, ctx)))
    .filter((c): c is SmtpConnection => c !== undefined);
  const fabric: Fabric = {
    name: decl.name,
    team: decl.team,
    ...(decl.description !== undefined && { description: decl.description }),
    ...(decl.provider !== undefined && { provider: decl.provider }),
    secrets,
    trustedHosts: [...(decl.trustedHosts ?? [])].sort(),
    connections: checkUnique("connection", connections, ctx.diagnostics).sort(byName),
    origin: originOf(path, ctx),
  };
  ctx.fabricSources.set(fabric, ctx.source);
  return fabric;
}

function buildTeam(decl: Decl.Team, index: number, ctx: Context): Team {
  return {
    name: decl.name,
    ...(decl.description !== undefined && { description: decl.description }),
    members: [...(decl.members ?? [])].sort(),
    reviewers: [...(decl.reviewers ?? [])].sort(),
    origin: originOf(["teams", index], ctx),
  };
}

function buildProphecy(decl: Decl.Prophecy, ctx: Context): ProphecySettings | undefined {
  const at = (...field: string[]): Location => ctx.source.locate(["prophecy", ...field]);
  const problems = ctx.diagnostics.length;
  const endpoint = parseHttpsEndpoint(decl.url ?? defaultProphecyUrl);
  if ("error" in endpoint) ctx.diagnostics.push(errorAt(at("url"), "config.prophecy-url", `url ${JSON.stringify(decl.url)} ${endpoint.error}`));
  const secrets = secretsSettings(decl.secrets, ctx.source.baseDir, at, ctx);
  const token = buildSecretRef(decl.token, secrets, (...field) => at("token", ...field), "the prophecy block", ctx);
  if (token.provider === "prophecy" || token.provider === "databricks") {
    ctx.diagnostics.push(errorAt(at("token", "provider"), "config.prophecy-token", `the token's reference must be one fabricate can resolve (env, file, exec or vault), not ${token.provider}`));
  }
  if (token.from) ctx.diagnostics.push(errorAt(at("token", "from"), "config.secret-from", "the token's reference names its provider directly; from is only for prophecy references in connections"));
  const caFile = decl.caFile === undefined ? undefined : relativeTo(ctx.source.baseDir, decl.caFile);
  const caSha256 = caFile === undefined ? undefined : caFileDigest(caFile, decl.caFile!, () => at("caFile"), ctx);
  if (ctx.diagnostics.length > problems || "error" in endpoint) return undefined;
  return {
    url: endpoint.url,
    token,
    secrets,
    ...(caFile !== undefined && { caFile }),
    ...(caSha256 !== undefined && { caSha256 }),
    teams: { ...decl.teams },
    origin: new DeclarationOrigin(ctx.source, ["prophecy"], false),
  };
}

function buildTerraform(decl: Decl.Terraform, ctx: Context): TerraformSettings {
  const verify = decl.verify ?? {};
  if (verify.timeout !== undefined) checkDuration(verify.timeout, () => ctx.source.locate(["terraform", "verify", "timeout"]), ctx);
  return {
    verify: {
      ...(verify.timeout !== undefined && { timeout: verify.timeout }),
      ...(verify.caFile !== undefined && { caFile: verify.caFile }),
      secretProviders: { ...verify.secretProviders },
    },
    origin: new DeclarationOrigin(ctx.source, ["terraform"], false),
  };
}

/**
 * One block of a kind for the whole config (prophecy, terraform): a second one is fine only when it says
 * the same; `why` says why there is one.
 */
function mergeBlocks<T extends { readonly origin: Location }>(kind: string, why: string, blocks: readonly T[], diagnostics: Diagnostic[]): T | undefined {
  const [first, ...rest] = blocks;
  const same = (p: T) => canonicalJson({ ...p, origin: undefined }) === canonicalJson({ ...first, origin: undefined });
  for (const other of rest) {
    if (!same(other)) {
      diagnostics.push(errorAt(other.origin, `config.${kind}-twice`, `a second ${kind} block that differs from the first: ${why}`, { detail: `first declared at ${describe(first!.origin)}` }));
    }
  }
  return first;
}

/** Sources must have passed checkSchema. */
export function buildModel(sources: readonly ConfigSource[]): { model: Model; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const teams: Team[] = [];
  const fabrics: Fabric[] = [];
  const prophecyBlocks: ProphecySettings[] = [];
  const terraformBlocks: TerraformSettings[] = [];
  const fabricSources: FabricSources = new Map();
  const addresses: Context["addresses"] = new Map();
  for (const source of sources) {
    const decl = source.data as Decl.FabricateConfigFile;
    const ctx = { source, diagnostics, fabricSources, addresses };
    // Declarations the schema found broken beyond repair are null (wellFormedParts.ts).
    (decl.teams ?? []).forEach((t, i) => t !== null && teams.push(buildTeam(t, i, ctx)));
    (decl.fabrics ?? []).forEach((f, i) => f !== null && fabrics.push(buildFabric(f, i, ctx)));
    const prophecy = decl.prophecy && buildProphecy(decl.prophecy, ctx);
    if (prophecy) prophecyBlocks.push(prophecy);
    if (decl.terraform) terraformBlocks.push(buildTerraform(decl.terraform, ctx));
  }
  const prophecy = mergeBlocks("prophecy", "a config pushes to one Prophecy", prophecyBlocks, diagnostics);
  const terraform = mergeBlocks("terraform", "a config is one Terraform stack", terraformBlocks, diagnostics);
  const model: Model = {
    teams: checkUnique("team", teams, diagnostics).sort(byName),
    fabrics: checkUnique("fabric", fabrics, diagnostics).sort(byName),
    ...(prophecy && { prophecy }),
    ...(terraform && { terraform }),
  };
  const teamNames = model.teams.map((t) => t.name);
  for (const fabric of model.fabrics) {
    if (!teamNames.includes(fabric.team)) {
      diagnostics.push(
        errorAt(locateField(fabricSources, fabric, "team"), "config.unknown-team", `fabric "${fabric.name}" belongs to team "${fabric.team}", which is not declared${didYouMean(fabric.team, teamNames)}`),
      );
    }
  }
  return { model, diagnostics };
}
