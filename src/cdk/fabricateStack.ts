// A TerraformStack for fabrics: it chooses the resource kind and the fabricate command the
// connections' verify resources use, and gives the stack a local backend with a relative state path
// when it has no backend of its own (cdktf's default path is absolute, which would make cdk.tf.json
// differ from machine to machine). It also checks its declarations first thing in synthesis.
// Connections work in a plain TerraformStack too, with the defaults.
import { LocalBackend, TerraformBackend, TerraformStack } from "cdktf";
import type { Construct, IConstruct } from "constructs";
import { StackDeclarations } from "./stackDeclarations.js";
import { defaultVerifySettings, type VerifyResourceKind, type VerifySettings } from "./verifySettings.js";

const fabricateStackSymbol = Symbol.for("fabricate/cdk.FabricateStack");

export interface FabricateStackProps {
  /**
   * The Terraform resource each connection adds: `null_resource` (the hashicorp/null provider) or the
   * built-in `terraform_data` (Terraform 1.4+, no provider to download).
   * @default "null_resource"
   */
  readonly verifyResource?: VerifyResourceKind;
  /**
   * The shell words that start fabricate in the provisioner, which runs
   * `<fabricate> verify --fabric F --connection C --synthesized .` in the stack's directory.
   * @default "npx --no-install fabricate"
   */
  readonly fabricate?: string;
  /**
   * The local backend's state file, relative to the stack's directory. Used only when the stack has no
   * backend of its own.
   * @default "terraform.tfstate"
   */
  readonly stateFile?: string;
}

export class FabricateStack extends TerraformStack {
  /** By symbol rather than instanceof, so that it holds across copies of this module. */
  static isFabricateStack(x: unknown): x is FabricateStack {
    return x !== null && typeof x === "object" && fabricateStackSymbol in x;
  }

  /** The verify settings of the stack that holds `scope`: its own if it is a FabricateStack, else the defaults. */
  static verifySettingsOf(scope: IConstruct): VerifySettings {
    const stack = TerraformStack.of(scope);
    return FabricateStack.isFabricateStack(stack) ? stack.verifySettings : defaultVerifySettings;
  }

  readonly verifySettings: VerifySettings;
  private readonly stateFile: string;

  constructor(scope: Construct, id: string, props: FabricateStackProps = {}) {
    super(scope, id);
    Object.defineProperty(this, fabricateStackSymbol, { value: true });
    this.verifySettings = {
      verifyResource: props.verifyResource ?? defaultVerifySettings.verifyResource,
      fabricate: props.fabricate ?? defaultVerifySettings.fabricate,
    };
    this.stateFile = props.stateFile ?? "terraform.tfstate";
  }

  override prepareStack(): void {
    // Check the declarations before cdktf resolves the fingerprints, so that a mistake reads as our
    // diagnostics rather than as a token resolution error.
    StackDeclarations.of(this).model();
    if (!this.node.findAll().some(TerraformBackend.isBackend)) new LocalBackend(this, { path: this.stateFile });
    super.prepareStack();
  }
}
