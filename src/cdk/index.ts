// fabricate's CDK for Terraform constructs: the only module that imports cdktf, @cdktf/provider-null
// and constructs. Published as the package export "fabricate/cdk".
export { FabricateConfigError } from "./configError.js";
export { Fabric, type FabricProps, type SecretsSettingsProps } from "./fabric.js";
export { FabricateStack, type FabricateStackProps, type VerifyProps } from "./fabricateStack.js";
export { SecretRef, type SecretReference } from "./secretRef.js";
export { SmtpConnection, type SmtpConnectionProps } from "./smtpConnection.js";
export { Team, type TeamProps } from "./team.js";
export { verifyCommand, verifyResourceId } from "../terraform/verifyResource.js";
export { type VerifyResourceKind } from "../terraform/verifySettings.js";
