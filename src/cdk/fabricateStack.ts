// A TerraformStack for fabrics: it chooses the resource kind and the fabricate command the
// connections' verify resources use, and gives the stack a local backend with a relative state path
// when it has no backend of its own (cdktf's default path is absolute, which would make cdk.tf.json
// differ from machine to machine). It also checks its declarations first thing in synthesis.
// Connections work in a plain TerraformStack too, with the defaults.
import { LocalBackend, TerraformBackend, TerraformStack } from "cdktf";
import type { Construct, IConstruct } from "constructs";
import type * as Decl from "../generated/Fabricate.js";
import type { SecretProviderName, SourceProviderName } from "../model.js";
import { defaultStateFile } from "../terraform/stackJson.js";
import { StackDeclarations } from "./stackDeclarations.js";
import { defaultVerifySettings, type VerifyResourceKind, type VerifySettings } from "../terraform/verifySettings.js";

const fabricateStackSymbol = Symbol.for("fabricate/cdk.FabricateStack");

/** What each connection's provisioner passes to `fabricate verify` (YAML: `terraform.verify`). */
export interface VerifyProps {
  /**
   * The bound on each connection's whole session (verify --timeout), a duration such as "20s".
   * @default "10s"
   */
  readonly timeout?: string;
  /**
   * A PEM file of a private CA that verify trusts beside each connection's own (verify --ca), as the
   * provisioner finds it: absolute, or relative to the stack's directory, where Terraform runs.
   * @default no CA beyond each connection's own and the system's
   */
  readonly caFile?: string;
  /**
   * References of one provider resolved by another (verify --secret-provider FROM=TO), such as
   * `{ prophecy: "env" }`.
   * @default each reference resolved by its own provider
   */
  readonly secretProviders?: Readonly<Partial<Record<SecretProviderName, SourceProviderName>>>;
}

export interface FabricateStackProps {
  /**
   * The Terraform resource each connection adds: the built-in `terraform_data` (Terraform 1.4+, no
   * provider to download) or `null_resource` (the hashicorp/null provider).
   * @default "terraform_data"
   */
  readonly verifyResource?: VerifyResourceKind;
  /**
   * The shell words that start fabricate in the provisioner, which runs
   * `<fabricate> verify --fabric F --connection C --synthesized .` in the stack's directory.
   * @default "npx --no-install fabricate"
   */
  readonly fabricate?: string;
  /**
   * What the provisioners pass to verify beyond the connection: timeout, CA file, provider mapping.
   * @default verify's defaults
   */
  readonly verify?: VerifyProps;
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
    this.stateFile = props.stateFile ?? defaultStateFile;
    if (props.verify !== undefined) StackDeclarations.of(this).setTerraformSettings({ verify: verifyDeclaration(props.verify) });
  }

  override prepareStack(): void {
    // Check the declarations before cdktf resolves the fingerprints, so that a mistake reads as our
    // diagnostics rather than as a token resolution error.
    StackDeclarations.of(this).model();
    if (!this.node.findAll().some(TerraformBackend.isBackend)) new LocalBackend(this, { path: this.stateFile });
    super.prepareStack();
  }
}

/** The props as a YAML `terraform.verify` holds them; anything else from plain JavaScript goes to the schema check. */
function verifyDeclaration(v: VerifyProps): Decl.ProvisionersVerifySettings {
  return {
    ...(v.timeout !== undefined && { timeout: v.timeout }),
    ...(v.caFile !== undefined && { caFile: v.caFile }),
    ...(v.secretProviders !== undefined && { secretProviders: { ...v.secretProviders } }),
  };
}
