// A connection's verify resource as a cdktf construct. Its attributes are the ones src/terraform/
// computes for the YAML path, produced when the stack is synthesized (a connection's fields are final
// only once every declaration of the stack has been checked): one source for both paths keeps them
// byte-identical.
import { provider } from "@cdktf/provider-null";
import { TerraformResource, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { VerifyResource } from "../terraform/verifyResource.js";

export class ConnectionVerifyResource extends TerraformResource {
  /** `type` and `logicalId` as `produce` will return them; they name the resource before synthesis. */
  constructor(scope: Construct, id: string, type: string, logicalId: string, private readonly produce: () => VerifyResource) {
    super(scope, id, { terraformResourceType: type });
    this.overrideLogicalId(logicalId);
  }

  /**
   * Added after cdktf's own rendering rather than as synthesized attributes: cdktf merges its
   * provisioners (none, as undefined) over those, which would delete ours.
   */
  override toTerraform(): Record<string, unknown> {
    const json = super.toTerraform() as { resource: Record<string, Record<string, object>> };
    Object.assign(json.resource[this.terraformResourceType]![this.friendlyUniqueId]!, this.produce().attributes);
    return json;
  }
}

/** null_resource needs the null provider configured once in its stack. */
export function addNullProvider(stack: TerraformStack): void {
  new provider.NullProvider(stack, "null");
}
