// file: a secret is a file named by the reference in one directory, as CI runners and Kubernetes mount
// them (one value per file, usually with a trailing newline that is not part of the value). The name
// comes from a config a pull request may change, so the file is read bounded (readBoundedFile.ts): a
// FIFO, a device or a huge file is refused, and the read ends within the command's timeout.
import { join } from "node:path";
import { readBoundedFile } from "../files/readBoundedFile.js";
import type { SecretRef } from "../model.js";
import { secretFound, secretMissing, trimTrailingNewline, type SecretProvider, type SecretResolution } from "./secretProvider.js";

/** Where Docker and Kubernetes mount secrets when a fabric names no directory. */
export const defaultSecretsDirectory = "/run/secrets";

/** Far above any password or token; the same bound as an exec provider's output. */
const maxSecretFileBytes = 1024 * 1024;

export class FileSecretProvider implements SecretProvider {
  constructor(
    private readonly directory: string,
    /** The command's timeout: the read is abandoned after it. */
    private readonly timeoutMs: number,
  ) {}

  async resolve(ref: SecretRef): Promise<SecretResolution> {
    if (ref.key !== undefined) return secretMissing("the file provider holds one value per file: drop `key` from the reference");
    // The schema already refuses `..`; checked again because a state file can be edited by hand.
    if (ref.secret.split("/").includes("..")) return secretMissing("a secret name must not contain a '..' path segment");
    const path = join(this.directory, ref.secret);
    const read = await readBoundedFile(path, { maxBytes: maxSecretFileBytes, timeoutMs: this.timeoutMs });
    if (!read.ok) return secretMissing(`file ${path} ${read.reason}`);
    const value = trimTrailingNewline(read.bytes.toString("utf8"));
    if (value === "") return secretMissing(`file ${path} is empty`);
    return secretFound(value);
  }
}
