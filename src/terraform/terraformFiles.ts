// `fabricate synth --target terraform`: the stack directory a CDK app's FabricateStack named "fabrics"
// would write for the same declaration (cdk.tf.json beside the fabric configs), computed from the YAML
// Model without cdktf.
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Model } from "../model.js";
import { synthFabrics } from "../synth/fabricConfig.js";
import { fabricConfigFiles } from "../synth/fabricConfigFiles.js";
import { defaultStateFile, renderTerraformJson, stackDocument } from "./stackJson.js";
import { verifyResource, verifyResourceNameClashes } from "./verifyResource.js";
import type { VerifySettings } from "./verifySettings.js";

/** The stack's name, which cdk.tf.json records: a CDK app that should match the YAML path uses it too. */
export const terraformStackName = "fabrics";

/** The file cdktf names a stack's Terraform JSON. */
export const terraformJsonFileName = "cdk.tf.json";

/** File name → content of the synthesized stack directory (without its manifest, which the writer renders). */
export function terraformFilesFromModel(model: Model, settings: VerifySettings): { files: Map<string, string>; diagnostics: Diagnostic[] } {
  const configs = synthFabrics(model);
  const fabricFiles = fabricConfigFiles(model, configs);
  const diagnostics = [...fabricFiles.diagnostics, ...verifyResourceNameClashes(model)];
  if (hasErrors(diagnostics)) return { files: new Map(), diagnostics };
  const resources = configs.flatMap((fabric) =>
    fabric.connections.map((c) => ({
      ...verifyResource(settings, model.terraform?.verify, fabric, c),
      constructPath: `${terraformStackName}/${fabric.name}/${c.name}/verify`,
    })),
  );
  const terraformJson = renderTerraformJson(stackDocument(resources, { stackName: terraformStackName, stateFile: defaultStateFile }));
  return { files: new Map([[terraformJsonFileName, terraformJson], ...fabricFiles.files]), diagnostics };
}
