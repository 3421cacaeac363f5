// The Terraform side of a connection: one resource whose trigger is the connection's fingerprint, so
// that `terraform plan` shows exactly the connections that changed, and whose local-exec provisioner
// runs `fabricate verify` for that one connection, so that `terraform apply` proves it can log in.
// Two kinds: `null_resource` from the null provider, or the built-in `terraform_data` (Terraform 1.4+),
// which needs no provider download at all.
import { provider, resource } from "@cdktf/provider-null";
import { DataResource, type TerraformResource, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { errorAt, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Model } from "../model.js";
import type { VerifyResourceKind } from "./verifySettings.js";

/**
 * The resource's name in the Terraform JSON: stable (independent of construct nesting), readable in a
 * plan. Terraform names may not start with a digit, slugs may: those get a leading underscore.
 */
export function verifyResourceId(fabric: string, connection: string): string {
  const id = `${fabric}__${connection}`;
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/** Quotes what a POSIX shell would otherwise split or expand (slugs never need it). */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The provisioner runs in the stack's directory (Terraform's working directory), where synthesis wrote
 * the fabric configs and their manifest beside cdk.tf.json: verify reads them there, so a CDK stack
 * needs no YAML and a YAML user's stack checks exactly what was synthesized. Provisioners run only on
 * `terraform apply`, the step a Terraform workflow runs after the plan was reviewed, so the new
 * destinations it names are trusted (--trust-new-hosts): that review is the one fabricate's own apply
 * relies on too. When verify fails and fabricate cannot even start (`npx --no-install` finds none
 * installed, and by design downloads none), one line says so instead of leaving npm's 404 or
 * ENOTCACHED to explain it; verify's exit status stands.
 */
export function verifyCommand(fabricate: string, fabric: string, connection: string): string {
  const verify = `${fabricate} verify --fabric ${shellWord(fabric)} --connection ${shellWord(connection)} --synthesized . --trust-new-hosts`;
  const absent = `fabricate: error: cannot start fabricate with \`${fabricate}\`: install it in this project (npm install --save-dev fabricate); the provisioner never downloads it`;
  return `${verify} || { status=$?; ${fabricate} --version >/dev/null 2>&1 || echo ${shellWord(absent)} >&2; exit $status; }`;
}

export interface VerifyResourceOptions {
  readonly kind: VerifyResourceKind;
  /** The shell words that start fabricate, such as `npx --no-install fabricate`. */
  readonly fabricate: string;
  readonly fabric: string;
  readonly connection: string;
  /** The connection's fingerprint, or a token that resolves to it at synthesis. */
  readonly fingerprint: string;
}

export function addVerifyResource(scope: Construct, options: VerifyResourceOptions): TerraformResource {
  const provisioners = [{ type: "local-exec" as const, command: verifyCommand(options.fabricate, options.fabric, options.connection) }];
  const triggers = { fingerprint: options.fingerprint };
  const res =
    options.kind === "terraform_data"
      ? new DataResource(scope, "verify", { triggersReplace: triggers, provisioners })
      : new resource.Resource(scope, "verify", { triggers, provisioners });
  res.overrideLogicalId(verifyResourceId(options.fabric, options.connection));
  return res;
}

/** null_resource needs the null provider configured once in its stack. */
export function addNullProvider(stack: TerraformStack): void {
  new provider.NullProvider(stack, "null");
}

/** Two connections whose Terraform resources would get the same name (`a__b` + `c` and `a` + `b__c`). */
export function verifyResourceNameClashes(model: Model): Diagnostic[] {
  const seen = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const fabric of model.fabrics) {
    for (const c of fabric.connections) {
      const id = verifyResourceId(fabric.name, c.name);
      const earlier = seen.get(id);
      if (earlier) out.push(errorAt(c.origin, "synth.resource-name", `connection ${fabric.name}/${c.name} would get the same Terraform resource name "${id}" as ${earlier}; rename one of them`));
      else seen.set(id, `${fabric.name}/${c.name}`);
    }
  }
  return out;
}
