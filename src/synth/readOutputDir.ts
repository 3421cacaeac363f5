// Reads the fabric configs back from a synth output directory (`fabricate synth --out DIR`, or a cdktf
// stack directory such as cdktf.out/stacks/<stack>/), for users who have no YAML: a CDK app's
// `terraform apply` runs `fabricate verify --synthesized .` there. What is read is checked as untrusted
// input: only files that DIR/manifest.json lists, each matching the size and sha256 recorded there
// (a file edited after synth is refused, not verified), each valid against
// schemas/fabric-config.schema.json and named after the fabric it holds. Terraform's own files
// (`*.tf.json`) are listed but are not fabric configs; anything unlisted (state, .terraform/) is ignored.
import { join } from "node:path";
import { maxFileBytes } from "../config/limits.js";
import { errorAt, type Diagnostic } from "../diagnostics/diagnostic.js";
import { readBoundedFileSync } from "../files/readBoundedFile.js";
import type { SynthManifest, SynthManifestEntry } from "../generated/SynthManifest.js";
import validateFabricConfig from "../generated/validateFabricConfig.js";
import validateSynthManifest from "../generated/validateSynthManifest.js";
import { describeSchemaError, parseJson } from "../json/untrustedJson.js";
import type { FabricConfig } from "./fabricConfig.js";
import { fabricConfigFileName } from "./fabricConfigFiles.js";
import { fileSha256, isListableFileName, manifestFileName } from "./writeOutputDir.js";

const terraformFile = /\.tf\.json$/;

/** Far above a fabric config of 10,000 connections (about 10 MiB). */
const maxFabricConfigBytes = 64 * 1024 * 1024;

function readManifest(dir: string): { entries: SynthManifestEntry[] } | { error: Diagnostic } {
  const file = join(dir, manifestFileName);
  const fail = (summary: string) => ({ error: errorAt({ file }, "synthesized.manifest", summary) });
  // Far larger than the manifest of thousands of fabrics; the same bound as a config file.
  const read = readBoundedFileSync(file, maxFileBytes);
  if (!read.ok) return fail(read.problem === "missing" ? `no ${manifestFileName}: ${dir} is not a directory written by fabricate synth` : `cannot be read: it ${read.reason}`);
  const parsed = parseJson(read.bytes);
  if (!parsed.ok) return fail("not valid JSON, so not a manifest of fabricate synth");
  if (!validateSynthManifest(parsed.value)) return fail(`not a manifest of fabricate synth (schemas/synth-manifest.schema.json): ${describeSchemaError(validateSynthManifest.errors)}`);
  const entries = (parsed.value as SynthManifest).files;
  const unsafe = entries.find((e) => !isListableFileName(e.path));
  if (unsafe) return fail(`lists ${JSON.stringify(unsafe.path)}, which is not a plain file name in this directory`);
  const twice = entries.find((e, i) => entries.findIndex((o) => o.path === e.path) !== i);
  if (twice) return fail(`lists ${JSON.stringify(twice.path)} twice`);
  return { entries };
}

/** One listed fabric config, checked against its manifest entry, the schema and its own name. */
function readFabricConfig(dir: string, entry: SynthManifestEntry): { fabric: FabricConfig } | { error: Diagnostic } {
  const file = join(dir, entry.path);
  const fail = (code: string, summary: string) => ({ error: errorAt({ file }, code, summary) });
  const read = readBoundedFileSync(file, maxFabricConfigBytes);
  if (!read.ok) return fail("synthesized.read", `listed in ${manifestFileName}, but it ${read.reason}`);
  const bytes = read.bytes;
  if (bytes.length !== entry.bytes) {
    return fail("synthesized.changed", `${bytes.length} bytes where ${manifestFileName} records ${entry.bytes}: the file changed after synth; synthesize again`);
  }
  if (fileSha256(bytes) !== entry.sha256) {
    return fail("synthesized.changed", `content does not match the sha256 in ${manifestFileName}: the file changed after synth; synthesize again`);
  }
  const parsed = parseJson(bytes);
  if (!parsed.ok) return fail("synthesized.json", "not valid JSON, so not a fabric config");
  if (!validateFabricConfig(parsed.value)) {
    return fail("synthesized.schema", `not a fabric config (schemas/fabric-config.schema.json): ${describeSchemaError(validateFabricConfig.errors)}`);
  }
  const fabric = parsed.value as FabricConfig;
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
