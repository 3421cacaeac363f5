// The secrets stage's entry point: a fabric's provider settings (from its fabric config) plus this
// run's overrides → a resolver for that fabric's references. `databricks` and `prophecy` references
// resolve only inside their runtime, except a prophecy reference that says where its value comes from
// (`from`); a run may map them (or any provider) to another one, as in `--secret-provider prophecy=env`.
import { formatSecretRef, runtimeOnlyProviders, secretProviderNames, type SecretProviderName, type SecretRef } from "../model.js";
import type { SecretProvidersConfig } from "../synth/fabricConfig.js";
import { EnvSecretProvider } from "./envProvider.js";
import { ExecSecretProvider } from "./execProvider.js";
import { defaultSecretsDirectory, FileSecretProvider } from "./fileProvider.js";
import { secretMissing, type SecretProvider, type SecretResolution } from "./secretProvider.js";
import { VaultSecretProvider } from "./vaultProvider.js";

export type ProviderOverrides = Readonly<Partial<Record<SecretProviderName, SecretProviderName>>>;

export interface SecretResolverOptions {
  /** Providers mapped to another for this run: `{ prophecy: "env" }`. */
  readonly overrides?: ProviderOverrides;
  readonly env?: NodeJS.ProcessEnv;
  /** The command's timeout, which bounds reading a file secret. Default 10s. */
  readonly timeoutMs?: number;
}

const defaultTimeoutMs = 10_000;

export type SecretResolver = (ref: SecretRef) => Promise<SecretResolution>;

function providerFor(name: SecretProviderName, settings: SecretProvidersConfig, env: NodeJS.ProcessEnv, timeoutMs: number): SecretProvider | string {
  switch (name) {
    case "env":
      return new EnvSecretProvider(env);
    case "file":
      return new FileSecretProvider(settings.file?.directory ?? defaultSecretsDirectory, timeoutMs);
    case "exec":
      return settings.exec ? new ExecSecretProvider(settings.exec) : "the fabric configures no secrets.exec.command";
    case "vault":
      return settings.vault ? new VaultSecretProvider(settings.vault, env) : "the fabric configures no secrets.vault.address";
    case "databricks":
    case "prophecy":
      return `${name} references resolve only inside the fabric's runtime; map them for this run with --secret-provider ${name}=env (or file, exec, vault)`;
  }
}

/** Resolves a fabric's references; every failure reason starts with the reference it is about. */
export function secretResolver(settings: SecretProvidersConfig, options: SecretResolverOptions = {}): SecretResolver {
  const env = options.env ?? process.env;
  return async (ref) => {
    const named = formatSecretRef(ref);
    const mapped = options.overrides?.[ref.provider];
    // A prophecy reference is read where its `from` says, unless this run maps prophecy elsewhere.
    const source = mapped === undefined && ref.from ? ref.from : { provider: mapped ?? ref.provider, secret: ref.secret, ...(ref.key !== undefined && { key: ref.key }) };
    const via = mapped && mapped !== ref.provider ? ` (resolved with ${mapped} for this run)` : mapped === undefined && ref.from ? ` (from ${formatSecretRef(ref.from)})` : "";
    const provider = providerFor(source.provider, settings, env, options.timeoutMs ?? defaultTimeoutMs);
    if (typeof provider === "string") return secretMissing(`${named}${via}: ${provider}`);
    const resolution = await provider.resolve(source);
    return resolution.ok ? resolution : secretMissing(`${named}${via}: ${resolution.reason}`);
  };
}

/** Parses `prophecy=env`, the value of --secret-provider. */
export function parseProviderOverride(text: string): { from: SecretProviderName; to: SecretProviderName } | { error: string } {
  const m = /^([a-z]+)=([a-z]+)$/.exec(text.trim());
  const known = (s: string): s is SecretProviderName => (secretProviderNames as readonly string[]).includes(s);
  if (!m || !known(m[1]!) || !known(m[2]!)) {
    return { error: `--secret-provider takes FROM=TO with providers among ${secretProviderNames.join(", ")}, as in prophecy=env` };
  }
  if (runtimeOnlyProviders.includes(m[2])) return { error: `--secret-provider cannot map to ${m[2]}: it resolves only inside the fabric's runtime` };
  return { from: m[1], to: m[2] };
}
