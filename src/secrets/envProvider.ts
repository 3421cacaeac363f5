// env: a secret is an environment variable of the process that runs verify or send (CI secrets).
import type { SecretRef } from "../model.js";
import { secretFound, secretMissing, type SecretProvider, type SecretResolution } from "./secretProvider.js";

export class EnvSecretProvider implements SecretProvider {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  async resolve(ref: SecretRef): Promise<SecretResolution> {
    if (ref.key !== undefined) return secretMissing("the env provider holds one value per variable: drop `key` from the reference");
    const value = this.env[ref.secret];
    if (value === undefined) return secretMissing(`environment variable ${ref.secret} is not set`);
    // An empty password is a CI secret that was never filled in, not a password.
    if (value === "") return secretMissing(`environment variable ${ref.secret} is empty`);
    return secretFound(value);
  }
}
