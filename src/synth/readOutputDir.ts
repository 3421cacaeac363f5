// Reads the fabric configs back from a synth output directory (`fabricate synth --out DIR`, or a cdktf
// stack directory such as cdktf.out/stacks/<stack>/), for users who have no YAML: a CDK app's
// `terraform apply` runs `fabricate verify --synthesized .` there. What is read is checked as untrusted
// input: only files that DIR/manifest.json lists, each matching the size and sha256 recorded there
// (a file edited after synth is refused, not verified), each valid against
// schemas/fabric-config.schema.json and named after the fabric it holds. Terraform's own files
// (`*.tf.json`) are listed but are not fabric configs; anything unlisted (state, .terraform/) is ignored.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { maxFileBytes } from "../config/limits.js";
import { errorAt, type Diagnostic } from "../diagnostics/diagnostic.js";
import validateFabricConfig from "../generated/validateFabricConfig.js";
import type { FabricConfig } from "./fabricConfig.js";
import { fabricConfigFileName } from "./fabricConfigFiles.js";
import { fileSha256, isListableFileName, manifestFileName, type OutputManifest } from "./writeOutputDir.js";

const terraformFile = /\.tf\.json$/;

type ManifestEntry = OutputManifest["files"][number];

function isManifestEntry(x: unknown): x is ManifestEntry {
  if (x === null || typeof x !== "object") return false;
  const e = x as Record<string, unknown>;
  return typeof e.path === "string" && typeof e.sha256 === "string" && Number.isSafeInteger(e.bytes);
}

function readManifest(dir: string): { entries: ManifestEntry[] } | { error: Diagnostic } {
  const file = join(dir, manifestFileName);
  const fail = (summary: string) => ({ error: errorAt({ file }, "synthesized.manifest", summary) });
  let manifest: unknown;
  try {
    if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > maxFileBytes) return fail(`larger than ${maxFileBytes} bytes: not a manifest of fabricate synth`);
    manifest = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === "ENOENT" ? `no ${manifestFileName}: ${dir} is not a directory written by fabricate synth` : `cannot read: ${code ?? (e as Error).message}`);
  }
  const m = manifest as Partial<Record<keyof OutputManifest, unknown>> | null;
  if (m === null || typeof m !== "object" || m.generator !== "fabricate" || m.version !== 1 || !Array.isArray(m.files) || !m.files.every(isManifestEntry)) {
    return fail("not a manifest of fabricate synth (expected generator \"fabricate\", version 1 and a list of files)");
  }
  const unsafe = m.files.find((e) => !isListableFileName(e.path));
  if (unsafe) return fail(`lists ${JSON.stringify(unsafe.path)}, which is not a plain file name in this directory`);
  const entries: ManifestEntry[] = m.files;
  const twice = entries.find((e, i) => entries.findIndex((o) => o.path === e.path) !== i);
  if (twice) return fail(`lists ${JSON.stringify(twice.path)} twice`);
  return { entries };
}

/** One listed fabric config, checked against its manifest entry, the schema and its own name. */
function readFabricConfig(dir: string, entry: ManifestEntry): { fabric: FabricConfig } | { error: Diagnostic } {
  const file = join(dir, entry.path);
  const fail = (code: string, summary: string) => ({ error: errorAt({ file }, code, summary) });
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size !== entry.bytes) return fail("synthesized.changed", `${size} bytes where ${manifestFileName} records ${entry.bytes}: the file changed after synth; synthesize again`);
    bytes = readFileSync(file);
  } catch (e) {
    return fail("synthesized.read", `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (fileSha256(bytes) !== entry.sha256) {
    return fail("synthesized.changed", `content does not match the sha256 in ${manifestFileName}: the file changed after synth; synthesize again`);
  }
  let config: unknown;
  try {
    config = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    return fail("synthesized.json", `not valid JSON: ${(e as Error).message}`);
  }
  if (!validateFabricConfig(config)) {
    const first = validateFabricConfig.errors?.[0];
    return fail("synthesized.schema", `not a fabric config (schemas/fabric-config.schema.json): ${first ? `${first.instancePath || "/"} ${first.message ?? "is invalid"}` : "invalid"}`);
  }
  const fabric = config as FabricConfig;
  if (fabricConfigFileName(fabric.name) !== entry.path) return fail("synthesized.name", `holds fabric "${fabric.name}", which synth writes to ${fabricConfigFileName(fabric.name)}`);
  return { fabric };
}

/** The fabric configs in `dir`, in manifest order, or the diagnostics that say why they cannot be trusted. */
export function readSynthesizedFabrics(dir: string): { fabrics: FabricConfig[]; diagnostics: Diagnostic[] } {
  const manifest = readManifest(dir);
  if ("error" in manifest) return { fabrics: [], diagnostics: [manifest.error] };
  const fabrics: FabricConfig[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const entry of manifest.entries.filter((e) => !terraformFile.test(e.path))) {
    const read = readFabricConfig(dir, entry);
    if ("error" in read) diagnostics.push(read.error);
    else fabrics.push(read.fabric);
  }
  return { fabrics: diagnostics.length > 0 ? [] : fabrics, diagnostics };
}
