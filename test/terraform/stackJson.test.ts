// The YAML path writes cdk.tf.json without cdktf; cdktf itself is the oracle. The same Models, declared
// through the constructs and synthesized by cdktf (test/helpers/declareModel.ts), must give the same
// stack directory to the byte: both resource kinds, a custom fabricate command, verify settings, names
// that start with a digit, an exec provider, a fabric without connections and a config without any.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/loadConfig.js";
import type { Model } from "../../src/model.js";
import { renderTerraformJson } from "../../src/terraform/stackJson.js";
import { terraformFilesFromModel } from "../../src/terraform/terraformFiles.js";
import { verifyResourceKinds } from "../../src/terraform/verifySettings.js";
import { repoRoot, tempDir } from "../helpers/cli.js";
import { terraformFilesThroughCdktf } from "../helpers/declareModel.js";

function modelOf(yaml: string): Model {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, "config.yaml"), yaml);
    const { model, diagnostics } = loadConfig([dir]);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return model!;
  } finally {
    cleanup();
  }
}

const configs: Record<string, () => Model> = {
  "examples/fabrics": () => loadConfig([join(repoRoot, "examples", "fabrics")]).model!,
  "names starting with a digit, an exec provider, a fabric without connections": () =>
    modelOf(`version: 1
teams: [{ name: 1team }]
fabrics:
  - name: 9-ops
    team: 1team
    secrets: { provider: exec, exec: { command: [pass, show, "{secret}"], timeout: 1m30s } }
    connections:
      - { name: 0mail, type: smtp, url: "smtps://127.0.0.1:4650", username: "o'brien@example.com", password: { secret: smtp } }
  - { name: empty, team: 1team }
terraform: { verify: { caFile: "ca dir/ca.pem", secretProviders: { databricks: env } } }
`),
  "no connections at all": () => modelOf("version: 1\nteams: [{ name: t }]\nfabrics: [{ name: f, team: t }]\n"),
};

describe("cdk.tf.json without cdktf is what cdktf writes", () => {
  for (const [name, model] of Object.entries(configs)) {
    for (const verifyResource of verifyResourceKinds) {
      it(`${name}, ${verifyResource}`, () => {
        const settings = { verifyResource, fabricate: "node '/opt/my tools/fabricate.js'" };
        const ours = terraformFilesFromModel(model(), settings);
        expect(ours.diagnostics).toEqual([]);
        expect(ours.files).toEqual(terraformFilesThroughCdktf(model(), settings).files);
      });
    }
  }
});

describe("renderTerraformJson", () => {
  it("sorts keys, breaks empty objects and arrays over two lines and ends without a newline, as cdktf", () => {
    expect(renderTerraformJson({ b: [], a: { z: {}, y: [1, "x"] } })).toBe('{\n  "a": {\n    "y": [\n      1,\n      "x"\n    ],\n    "z": {\n    }\n  },\n  "b": [\n  ]\n}');
  });
});
