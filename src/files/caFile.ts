// A private CA file's content, judged and named the same way wherever one is read (validate, verify and
// send, the Prophecy client): it must hold a PEM certificate, and the trust rules know it by the sha256
// of its bytes, never by its path.
import { createRequire } from "node:module";

/** Why `bytes` cannot be a CA file, or undefined when they can. */
export function caFileProblem(bytes: Buffer): string | undefined {
  return bytes.includes("-----BEGIN CERTIFICATE-----") ? undefined : "holds no PEM certificate";
}

/** `sha256:<hex>` of a CA file's bytes. */
export function caDigest(bytes: Buffer): string {
  // Required when first used, not imported: node:crypto takes 3 ms to load, which every validate would
  // pay at start-up although only a config with a caFile needs it.
  const { createHash } = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
