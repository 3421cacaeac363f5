// fabricate synth [paths] --out DIR --target fabric|terraform: one fabric config per fabric (and, for
// terraform, the stack's cdk.tf.json, as the CDK constructs would write it), swapped into DIR only when
// all of it succeeded. Neither target loads cdktf. Only the flags live here; the work is loaded when
// the command runs (synthRun.ts).
import { Option, type Command } from "commander";
import { defaultVerifySettings, verifyResourceKinds } from "../../terraform/verifySettings.js";
import type { SynthOptions } from "./synthRun.js";

const targets = ["fabric", "terraform"] as const;

export function registerSynth(program: Command): void {
  program
    .command("synth")
    .description("write one fabric config per fabric (OUT/<fabric>.json) and OUT/manifest.json")
    .argument("[paths...]", "config files or directories (default: ./fabrics if it exists, else .)")
    .option("--out <dir>", "output directory, replaced as a whole", "fabricate.out")
    .addOption(new Option("--target <target>", "fabric: fabric configs; terraform: also the Terraform JSON (cdk.tf.json)").choices(targets).default("fabric"))
    .addOption(new Option("--verify-resource <kind>", "terraform: the resource each connection adds").choices(verifyResourceKinds).default(defaultVerifySettings.verifyResource))
    .option("--fabricate <command>", "terraform: how the provisioner starts fabricate", defaultVerifySettings.fabricate)
    .action(async (paths: string[], options: SynthOptions) => (await import("./synthRun.js")).runSynth(paths, options));
}
