// The stack's Terraform JSON (cdk.tf.json), written without cdktf: what cdktf 0.21.0 writes for a
// FabricateStack that holds only fabricate's constructs, to the byte, so that `synth --target terraform`
// from YAML never loads cdktf (a CommonJS tree the size of the rest of the tool) and still matches the
// CDK app that declares the same fabrics. test/terraform/stackJson.test.ts synthesizes the same stacks
// through cdktf and compares; cdktf is archived, so 0.21.0 is the last shape there will be.
import { canonicalJson } from "../json/canonical.js";
import type { VerifyResource } from "./verifyResource.js";

/** The cdktf release whose output this is; a CDK app's cdk.tf.json records the cdktf it ran. */
export const cdktfVersion = "0.21.0";

/** The null provider as @cdktf/provider-null 11.0.1 (the release for cdktf 0.21.0) declares it. */
const nullProvider = { source: "null", version: "3.2.4" };

/** The local backend's state file when a stack has no backend of its own: relative, so no machine path is written. */
export const defaultStateFile = "terraform.tfstate";

export interface StackJsonOptions {
  readonly stackName: string;
  /** The local backend's state file, relative to the stack's directory. */
  readonly stateFile: string;
}

/** One construct path per resource: `<stack>/<fabric>/<connection>/verify`, as the constructs nest. */
export interface PlacedResource extends VerifyResource {
  readonly constructPath: string;
}

export function stackDocument(resources: readonly PlacedResource[], options: StackJsonOptions): object {
  const byType: Record<string, Record<string, unknown>> = {};
  for (const r of resources) {
    byType[r.type] ??= {};
    byType[r.type]![r.id] = { "//": { metadata: { path: r.constructPath, uniqueId: r.id } }, ...r.attributes };
  }
  const usesNull = resources.some((r) => r.type === "null_resource");
  return {
    "//": { metadata: { backend: "local", stackName: options.stackName, version: cdktfVersion }, outputs: {} },
    ...(usesNull && { provider: { null: [{}] } }),
    ...(resources.length > 0 && { resource: byType }),
    terraform: { backend: { local: { path: options.stateFile } }, ...(usesNull && { required_providers: { null: nullProvider } }) },
  };
}

/**
 * cdktf's serialisation (json-stable-stringify with two spaces): canonical JSON (keys sorted by code
 * unit, as its default sort does), except that an empty object or array is broken over two lines at the
 * indent of the line holding it, and no trailing newline. A `{}` or `[]` can end a line only as a value:
 * strings are quoted. Only for the Terraform JSON: everything else fabricate writes is canonical JSON.
 */
export function renderTerraformJson(value: unknown): string {
  return canonicalJson(value)
    .trimEnd()
    .replace(/([{[])([}\]])(,?)$/gm, (_, open: string, close: string, comma: string, at: number, json: string) => {
      const lineStart = json.lastIndexOf("\n", at) + 1;
      const indent = /^ */.exec(json.slice(lineStart, at))![0];
      return `${open}\n${indent}${close}${comma}`;
    });
}
