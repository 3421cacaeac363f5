// The Terraform side of a connection: one resource whose triggers are the connection's non-secret fields
// as a reviewer reads them (host, port, TLS, username, the password's reference, the CA by digest, where
// and how the password is delivered) and its fingerprint, so that `terraform plan` shows exactly the
// connections that changed and which of their fields did, a new destination included; and whose
// local-exec provisioner runs `fabricate verify` for that one connection, so that `terraform apply`
// proves it can log in. Two kinds: the built-in `terraform_data` (Terraform 1.4+, no provider to
// download), or `null_resource` from the null provider. Plain data: the YAML path writes it as it is,
// and the CDK construct (src/cdk/verifyResource.ts) synthesizes the same attributes through cdktf.
import { errorAt, type Diagnostic } from "../diagnostics/diagnostic.js";
import { compareCodePoints } from "../json/canonical.js";
import { describeSecretRef, type Model, type TerraformSettings } from "../model.js";
import { secretRefOf, type ConnectionConfig, type FabricConfig } from "../synth/fabricConfig.js";
import { describeDelivery, smtpDelivery } from "../trust/delivery.js";
import type { VerifyResourceKind, VerifySettings } from "./verifySettings.js";

/** What the provisioner passes to verify beyond the connection (timeout, CA, provider mapping). */
export type VerifyFlags = TerraformSettings["verify"];

const noFlags: VerifyFlags = { secretProviders: {} };

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
export function verifyCommand(fabricate: string, fabric: string, connection: string, flags: VerifyFlags = noFlags): string {
  const settings = [
    ...(flags.timeout !== undefined ? ["--timeout", flags.timeout] : []),
    ...(flags.caFile !== undefined ? ["--ca", flags.caFile] : []),
    ...Object.entries(flags.secretProviders)
      .sort(([a], [b]) => compareCodePoints(a, b))
      .flatMap(([from, to]) => ["--secret-provider", `${from}=${to}`]),
  ];
  const verify = [fabricate, "verify", "--fabric", shellWord(fabric), "--connection", shellWord(connection), ...settings.map(shellWord), "--synthesized", ".", "--trust-new-hosts"].join(" ");
  const absent = `fabricate: error: cannot start fabricate with \`${fabricate}\`: install it in this project (npm install --save-dev fabricate); the provisioner never downloads it`;
  return `${verify} || { status=$?; ${fabricate} --version >/dev/null 2>&1 || echo ${shellWord(absent)} >&2; exit $status; }`;
}

/** What one connection's resource holds: the Terraform JSON attributes, keys as Terraform spells them. */
export interface VerifyResource {
  readonly type: VerifyResourceKind;
  readonly id: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/**
 * Strings only, as null_resource's `triggers` requires; terraform_data shows them the same way. Named
 * as in the YAML where the YAML has the field. `delivery` says where the password goes and how the
 * provisioner reads it (its provider mapping included), so a change of the fabric's secret settings (an
 * exec command, a Vault address), which no connection field shows, is visible too. The fingerprint
 * covers everything else.
 */
export function verifyTriggers(fabric: FabricConfig, c: ConnectionConfig, flags: VerifyFlags = noFlags): Record<string, string> {
  return {
    host: c.properties.smtpUrl,
    port: String(c.properties.smtpPort),
    tls: c.tls,
    insecure: String(c.insecure),
    username: c.properties.smtpUsername,
    password: describeSecretRef(secretRefOf(c.properties.smtpPassword)),
    ...(c.caSha256 !== undefined && { ca_sha256: c.caSha256 }),
    delivery: describeDelivery(smtpDelivery(fabric, c, { overrides: flags.secretProviders })),
    fingerprint: c.fingerprint,
  };
}

export function verifyResource(settings: VerifySettings, flags: VerifyFlags | undefined, fabric: FabricConfig, c: ConnectionConfig): VerifyResource {
  const provisioner = [{ "local-exec": { command: verifyCommand(settings.fabricate, fabric.name, c.name, flags) } }];
  const triggers = verifyTriggers(fabric, c, flags);
  const attributes = settings.verifyResource === "terraform_data" ? { triggers_replace: triggers, provisioner } : { triggers, provisioner };
  return { type: settings.verifyResource, id: verifyResourceId(fabric.name, c.name), attributes };
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
