// Writes small, realistic config directories for plan and apply tests: one teams file and one file per
// fabric, each connection given by the fields a test varies.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ConnectionSpec {
  readonly name: string;
  readonly url?: string;
  readonly port?: number;
  readonly username?: string;
  readonly secret?: string;
}

export interface FabricSpec {
  readonly name: string;
  readonly team: string;
  readonly description?: string;
  readonly connections: readonly ConnectionSpec[];
}

export interface TeamSpec {
  readonly name: string;
  readonly reviewers?: readonly string[];
}

export const defaultTeams: readonly TeamSpec[] = [
  { name: "marketing", reviewers: ["@acme/marketing-platform"] },
  { name: "finance", reviewers: ["@acme/finance-data", "@dave"] },
];

export function gmail(overrides: Partial<ConnectionSpec> = {}): ConnectionSpec {
  return { name: "gmail-alerts", url: "smtp.gmail.com", port: 587, username: "alerts@example.com", secret: "GMAIL_ALERTS_PASSWORD", ...overrides };
}

export function sendgrid(overrides: Partial<ConnectionSpec> = {}): ConnectionSpec {
  return { name: "sendgrid-campaigns", url: "smtp.sendgrid.net", port: 587, username: "apikey", secret: "SENDGRID_API_KEY", ...overrides };
}

/** Replaces `dir`'s contents with the given config; returns `dir`. */
export function writeConfig(dir: string, fabrics: readonly FabricSpec[], teams: readonly TeamSpec[] = defaultTeams): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const teamsYaml = teams
    .map((t) => `  - name: ${t.name}\n    members: [${t.name}-lead@example.com]\n${t.reviewers ? `    reviewers: [${t.reviewers.map((r) => JSON.stringify(r)).join(", ")}]\n` : ""}`)
    .join("");
  writeFileSync(join(dir, "teams.yaml"), `version: 1\nteams:\n${teamsYaml}`);
  for (const f of fabrics) {
    const connections = f.connections
      .map(
        (c) =>
          `      - name: ${c.name}\n        type: smtp\n        url: ${c.url ?? "smtp.example.com"}\n        port: ${c.port ?? 587}\n` +
          `        username: ${c.username ?? "sender@example.com"}\n        password:\n          secret: ${c.secret ?? "SMTP_PASSWORD"}\n`,
      )
      .join("");
    writeFileSync(
      join(dir, `${f.name}.yaml`),
      `version: 1\nfabrics:\n  - name: ${f.name}\n    team: ${f.team}\n    description: ${JSON.stringify(f.description ?? `The ${f.name} fabric`)}\n` +
        `    connections:${connections ? `\n${connections}` : " []\n"}`,
    );
  }
  return dir;
}
