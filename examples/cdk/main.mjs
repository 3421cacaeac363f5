// The CDK for Terraform equivalent of examples/fabrics/*.yaml: the same teams, fabrics and connections,
// declared as constructs. `npm run synth:cdk-example` (or `npx cdktf synth` where cdktf-cli is
// installed, through cdktf.json here or at the repository's root) writes cdktf.out/stacks/fabrics/:
// cdk.tf.json, one <fabric>.json per fabric and manifest.json, byte for byte what
// `fabricate synth examples/fabrics --target terraform` writes.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { App } from "cdktf";
import { Fabric, FabricateConfigError, FabricateStack, SecretRef, SmtpConnection, Team } from "fabricate/cdk";

const app = new App();
// The stack's name is recorded in cdk.tf.json; "fabrics" is the name the YAML path uses.
const stack = new FabricateStack(app, "fabrics", {
  verifyResource: "terraform_data", // the default: built into Terraform 1.4+, no provider download; or "null_resource"
  fabricate: "npx --no-install fabricate", // never downloads: fabricate must be installed in the project
  // What `terraform apply`'s provisioners pass to verify (YAML: `terraform.verify` in platform.yaml): a
  // longer bound for the exec provider's AWS call, and prophecy references read by the exec provider.
  verify: { timeout: "20s", secretProviders: { prophecy: "exec" } },
});

const marketing = new Team(stack, "marketing", {
  description: "Campaigns, newsletters and lifecycle mail",
  members: ["alice@example.com", "bob@example.com"],
  reviewers: ["@acme/marketing-platform"],
});
const finance = new Team(stack, "finance", {
  description: "Invoices and payment reminders",
  members: ["carol@example.com"],
  reviewers: ["@acme/finance-data", "@dave"],
});
const platform = new Team(stack, "platform", {
  description: "Alerts from the data platform itself",
  members: ["erin@example.com", "frank@example.com"],
  reviewers: ["@acme/platform"],
});

const marketingProd = new Fabric(stack, "marketing-prod", {
  team: marketing,
  description: "Production pipelines of the marketing team",
  provider: "databricks",
  secrets: { provider: "env" },
  trustedHosts: ["smtp.gmail.com", "smtp.sendgrid.net"],
});
// Gmail / Google Workspace: an app password, STARTTLS on 587.
new SmtpConnection(marketingProd, "gmail-alerts", {
  url: "smtp.gmail.com",
  port: 587,
  username: "alerts@example.com",
  password: SecretRef.env("GMAIL_ALERTS_PASSWORD"),
});
// SendGrid: the user is literally "apikey" and the password is an API key.
new SmtpConnection(marketingProd, "sendgrid-campaigns", {
  url: "smtp.sendgrid.net",
  port: 587,
  username: "apikey",
  password: SecretRef.env("SENDGRID_API_KEY"),
});

const financeProd = new Fabric(stack, "finance-prod", {
  team: finance,
  description: "Invoice runs",
  provider: "bigquery",
  secrets: { provider: "file", file: { directory: "/run/secrets" } },
});
// Microsoft 365 (Office 365): STARTTLS on 587; the mailbox must allow SMTP AUTH.
new SmtpConnection(financeProd, "office365-invoices", {
  url: "smtp.office365.com",
  port: 587,
  tls: "starttls",
  username: "invoices@example.com",
  password: SecretRef.of("office365-invoices"),
});
// Mailgun over implicit TLS, spelt as an smtps:// URL.
new SmtpConnection(financeProd, "mailgun-reminders", {
  url: "smtps://smtp.mailgun.org:465",
  username: "postmaster@mg.example.com",
  password: SecretRef.of("mailgun-smtp"),
});

const platformProd = new Fabric(stack, "platform-prod", {
  team: platform,
  description: "Alerts from platform pipelines",
  provider: "ProphecyManaged",
  secrets: {
    provider: "exec",
    // The credential-process pattern: any CLI that prints the secret on stdout.
    exec: { command: ["aws", "secretsmanager", "get-secret-value", "--secret-id", "{secret}", "--query", "SecretString", "--output", "text"], timeout: "10s" },
  },
  trustedHosts: ["email-smtp.eu-west-1.amazonaws.com:587"],
});
// Amazon SES: SMTP credentials (not IAM keys), implicit TLS on 465.
new SmtpConnection(platformProd, "ses-alerts", {
  url: "email-smtp.eu-west-1.amazonaws.com",
  port: 465,
  username: "AKIAEXAMPLESMTPUSER",
  password: SecretRef.of("prod/ses/smtp-password"),
});
// The same mail relayed through Prophecy's own secret store, resolved only at runtime.
new SmtpConnection(platformProd, "ses-runtime", {
  url: "email-smtp.eu-west-1.amazonaws.com",
  port: 587,
  username: "AKIAEXAMPLESMTPUSER",
  password: SecretRef.prophecy("ses-smtp-password"),
});

try {
  app.synth();
  const dir = join(app.outdir, "stacks", stack.node.id);
  console.log(`wrote ${relative(process.cwd(), dir) || "."}: ${readdirSync(dir).sort().join(", ")}`);
} catch (e) {
  // A declaration that fails the checks: print the diagnostics (each names its construct path), exit 1.
  if (!FabricateConfigError.isFabricateConfigError(e)) throw e;
  process.stderr.write(e.message);
  process.exitCode = 1;
}
