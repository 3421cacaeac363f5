// vault: HashiCorp Vault KV v2 over its HTTP API (GET /v1/<mount>/data/<path>), with the token from
// VAULT_TOKEN as every Vault client reads it. A KV secret holds fields: the reference's `key` picks one;
// without a key the secret must hold exactly one field.
import type { SecretRef } from "../model.js";
import { secretFound, secretMissing, type SecretProvider, type SecretResolution } from "./secretProvider.js";

export interface VaultSettings {
  readonly address: string;
  readonly mount: string;
}

const requestTimeoutMs = 10_000;

export class VaultSecretProvider implements SecretProvider {
  constructor(
    private readonly settings: VaultSettings,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async resolve(ref: SecretRef): Promise<SecretResolution> {
    const token = this.env.VAULT_TOKEN;
    if (!token) return secretMissing("VAULT_TOKEN is not set");
    const mount = this.settings.mount.replace(/^\/+|\/+$/g, "");
    const path = ref.secret.split("/").map(encodeURIComponent).join("/");
    const url = `${this.settings.address.replace(/\/+$/, "")}/v1/${mount}/data/${path}`;
    let response: Response;
    try {
      response = await fetch(url, { headers: { "X-Vault-Token": token }, signal: AbortSignal.timeout(requestTimeoutMs), redirect: "error" });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      return secretMissing(`cannot reach Vault at ${this.settings.address} (${cause ?? (e as Error).name})`);
    }
    if (response.status === 404) return secretMissing(`Vault has no secret at ${mount}/data/${ref.secret}`);
    if (response.status === 403) return secretMissing(`Vault refused the token for ${mount}/data/${ref.secret} (403 permission denied)`);
    if (!response.ok) return secretMissing(`Vault answered ${response.status} for ${mount}/data/${ref.secret}`);
    let fields: unknown;
    try {
      fields = ((await response.json()) as { data?: { data?: unknown } }).data?.data;
    } catch {
      return secretMissing(`Vault's answer for ${mount}/data/${ref.secret} is not KV v2 JSON`);
    }
    if (fields === null || typeof fields !== "object") return secretMissing(`Vault's answer for ${mount}/data/${ref.secret} holds no data (is ${mount} a KV v2 mount?)`);
    const record = fields as Record<string, unknown>;
    const names = Object.keys(record).sort();
    const key = ref.key ?? (names.length === 1 ? names[0]! : undefined);
    if (key === undefined) return secretMissing(`the Vault secret has fields ${names.join(", ") || "(none)"}: name one with \`key\``);
    const value = record[key];
    if (typeof value !== "string" || value === "") return secretMissing(`the Vault secret has no field ${JSON.stringify(key)} (fields: ${names.join(", ") || "none"})`);
    return secretFound(value);
  }
}
