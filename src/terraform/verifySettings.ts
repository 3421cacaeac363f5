// How a stack's connections are verified by Terraform: which resource kind each connection adds and how
// its provisioner starts fabricate. Free of cdktf: the CLI offers these as flags, and `synth --target
// terraform` writes the Terraform JSON itself.

/** The built-in `terraform_data` (Terraform 1.4+) or `null_resource` (the hashicorp/null provider). */
export type VerifyResourceKind = "terraform_data" | "null_resource";
export const verifyResourceKinds = ["terraform_data", "null_resource"] as const satisfies readonly VerifyResourceKind[];

export interface VerifySettings {
  readonly verifyResource: VerifyResourceKind;
  /** The shell words that start fabricate, such as `npx --no-install fabricate`. */
  readonly fabricate: string;
}

/**
 * terraform_data: `terraform init` needs no provider from a registry. `--no-install`: the provisioner
 * runs in CI with real secrets, and a plain `npx fabricate` where fabricate is not installed would
 * download and run whatever package holds that name.
 */
export const defaultVerifySettings: VerifySettings = { verifyResource: "terraform_data", fabricate: "npx --no-install fabricate" };
