// How a stack's connections are verified by Terraform: which resource kind each connection adds and how
// its provisioner starts fabricate. Kept free of cdktf so that the CLI can offer these as flags without
// loading it.

/** `null_resource` (the hashicorp/null provider) or the built-in `terraform_data` (Terraform 1.4+). */
export type VerifyResourceKind = "null_resource" | "terraform_data";
export const verifyResourceKinds = ["null_resource", "terraform_data"] as const satisfies readonly VerifyResourceKind[];

export interface VerifySettings {
  readonly verifyResource: VerifyResourceKind;
  /** The shell words that start fabricate, such as `npx --no-install fabricate`. */
  readonly fabricate: string;
}

/**
 * `--no-install`: the provisioner runs in CI with real secrets, and a plain `npx fabricate` where
 * fabricate is not installed would download and run whatever package holds that name.
 */
export const defaultVerifySettings: VerifySettings = { verifyResource: "null_resource", fabricate: "npx --no-install fabricate" };
