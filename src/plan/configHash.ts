// The hash a saved plan records of the desired fabric configs: sha256 over canonical JSON, so it changes
// when what the config files declare changes, not when a comment or the indentation does. Each
// connection enters as its synth fingerprint (itself a sha256 of the connection's canonical JSON), which
// keeps hashing 10,000 connections cheap without losing any field.
import { canonicalDigest } from "../json/canonicalDigest.js";
import type { FabricConfig } from "../synth/fabricConfig.js";

export function configHash(desired: readonly FabricConfig[]): string {
  const digest = desired.map((f) => ({ ...f, connections: f.connections.map((c) => c.fingerprint) }));
  return canonicalDigest(digest);
}
