// vault: HashiCorp Vault KV v2 over its HTTP API (GET /v1/<mount>/data/<path>), with the token from
// VAULT_TOKEN as every Vault client reads it. A KV secret holds fields: the reference's `key` picks one;
// without a key the secret must hold exactly one field.
//
// The token travels with every request, so it goes only over https://, or over http:// to a loopback
// address (a dev server on 127.0.0.1 or [::1]; not the name localhost, which resolution could send
// elsewhere). The schema says so for config files; it is checked again here because a state file can
// be edited by hand. Addresses are shown by their origin only: a URL may carry user:password@.
import { isLoopbackAddress } from "../config/httpsEndpoint.js";
import type { SecretRef } from "../model.js";
import { secretFound, secretMissing, type SecretProvider, type SecretResolution } from "./secretProvider.js";

export interface VaultSettings {
  readonly address: string;
  readonly mount: string;
}

const requestTimeoutMs = 10_000;

/** The address to show, or why the token must not be sent there. */
export function vaultOrigin(address: string): { origin: string } | { refused: string } {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { refused: "the Vault address is not a URL" };
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && isLoopbackAddress(url.hostname))) return { origin: url.origin };
  return {
    refused: `refusing to send the Vault token to ${url.protocol}//${url.host}: the address must be https:// (http:// only on a loopback address such as 127.0.0.1)`,
  };
}

export class VaultSecretProvider implements SecretProvider {
  constructor(
    private readonly settings: VaultSettings,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async resolve(ref: SecretRef): Promise<SecretResolution> {
    const token = this.env.VAULT_TOKEN;
    if (!token) return secretMissing("VAULT_TOKEN is not set");
    const address = vaultOrigin(this.settings.address);
    if ("refused" in address) return secretMissing(address.refused);
    const mount = this.settings.mount.replace(/^\/+|\/+$/g, "");
    const path = ref.secret.split("/").map(encodeURIComponent).join("/");
    const url = `${this.settings.address.replace(/\/+$/, "")}/v1/${mount}/data/${path}`;
    let response: Response;
    try {
      response = await fetch(url, { headers: { "X-Vault-Token": token }, signal: AbortSignal.timeout(requestTimeoutMs), redirect: "error" });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      return secretMissing(`cannot reach Vault at ${address.origin} (${cause ?? (e as Error).name})`);
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
