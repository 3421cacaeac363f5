// file: a secret is a file named by the reference in one directory, as CI runners and Kubernetes mount
// them (one value per file, usually with a trailing newline that is not part of the value).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SecretRef } from "../model.js";
import { secretFound, secretMissing, trimTrailingNewline, type SecretProvider, type SecretResolution } from "./secretProvider.js";

/** Where Docker and Kubernetes mount secrets when a fabric names no directory. */
export const defaultSecretsDirectory = "/run/secrets";

export class FileSecretProvider implements SecretProvider {
  constructor(private readonly directory: string) {}

  async resolve(ref: SecretRef): Promise<SecretResolution> {
    if (ref.key !== undefined) return secretMissing("the file provider holds one value per file: drop `key` from the reference");
    // The schema already refuses `..`; checked again because a state file can be edited by hand.
    if (ref.secret.split("/").includes("..")) return secretMissing("a secret name must not contain a '..' path segment");
    const path = join(this.directory, ref.secret);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return secretMissing(`file ${path} does not exist`);
      if (code === "EACCES") return secretMissing(`file ${path} cannot be read (permission denied)`);
      if (code === "EISDIR") return secretMissing(`${path} is a directory, not a file`);
      return secretMissing(`file ${path} cannot be read (${code ?? "unknown error"})`);
    }
    const value = trimTrailingNewline(text);
    if (value === "") return secretMissing(`file ${path} is empty`);
    return secretFound(value);
  }
}
