// Config directories for the e2e tests that push to the Prophecy stand-in: a teams file with the
// prophecy block (the stand-in's URL, the token from PROPHECY_TOKEN, its team ids), and one file per
// fabric whose passwords are Prophecy secrets uploaded from environment variables.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProphecyStandIn, Snapshot } from "../../src/demo/prophecyStandIn/index.js";
import type { State } from "../../src/state/stateStore.js";

export interface PushedConnection {
  readonly name: string;
  readonly url?: string;
  readonly port?: number;
  readonly username?: string;
  /** The Prophecy secret's name. */
  readonly secret: string;
  /** The environment variable its value is uploaded from; none: the secret must exist already. */
  readonly from?: string;
}

export interface PushedFabric {
  readonly name: string;
  readonly team: string;
  /** Default databricks; null: none. */
  readonly provider?: string | null;
  readonly description?: string;
  readonly connections: readonly PushedConnection[];
}

export const tokenVariable = "PROPHECY_TOKEN";

/** A connection through smtp.gmail.com whose password is the Prophecy secret `secret`, uploaded from `from`. */
export function pushed(name: string, overrides: Partial<PushedConnection> = {}): PushedConnection {
  return { name, url: "smtp.gmail.com", port: 587, username: `${name}@example.com`, secret: `${name}-password`, from: `${name.toUpperCase().replace(/-/g, "_")}_PASSWORD`, ...overrides };
}

/** Replaces `dir`'s contents with the config; returns `dir`. */
export function writeProphecyConfig(dir: string, url: string, fabrics: readonly PushedFabric[], extra: { readonly prophecy?: string } = {}): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "teams.yaml"),
    [
      "version: 1",
      "prophecy:",
      `  url: ${url}`,
      "  token:",
      `    secret: ${tokenVariable}`,
      "  teams:",
      '    "31": marketing',
      '    "32": finance',
      ...(extra.prophecy ? [extra.prophecy] : []),
      "teams:",
      "  - name: marketing",
      "    members: [alice@example.com]",
      "  - name: finance",
      "    members: [bob@example.com]",
      "",
    ].join("\n"),
  );
  for (const f of fabrics) {
    const lines = ["version: 1", "fabrics:", `  - name: ${f.name}`, `    team: ${f.team}`];
    const provider = f.provider === undefined ? "databricks" : f.provider;
    if (provider !== null) lines.push(`    provider: ${provider}`);
    if (f.description !== undefined) lines.push(`    description: ${JSON.stringify(f.description)}`);
    lines.push("    connections:");
    for (const c of f.connections) {
      lines.push(
        `      - name: ${c.name}`,
        "        type: smtp",
        `        url: ${c.url ?? "smtp.gmail.com"}`,
        `        port: ${c.port ?? 587}`,
        `        username: ${c.username ?? "alerts@example.com"}`,
        "        password:",
        "          provider: prophecy",
        `          secret: ${c.secret}`,
        ...(c.from ? ["          from:", `            secret: ${c.from}`] : []),
      );
    }
    writeFileSync(join(dir, `${f.name}.yaml`), `${lines.join("\n")}\n`);
  }
  return dir;
}

/** Every value the config's `from`s name, as an environment for the CLI. */
export function valuesOf(fabrics: readonly PushedFabric[], value: (variable: string) => string = (v) => `value-of-${v}`): Record<string, string> {
  return Object.fromEntries(fabrics.flatMap((f) => f.connections.flatMap((c) => (c.from ? [[c.from, value(c.from)]] : []))));
}

/** Writes to the stand-in: every request that is not a GET. */
export function writes(standIn: ProphecyStandIn): { method: string; path: string }[] {
  return standIn.requests().filter((r) => r.method !== "GET").map((r) => ({ method: r.method, path: r.path }));
}

/**
 * What the state says Prophecy holds, in the shape of the stand-in's snapshot (fabric ids and names,
 * connections' Prophecy fields with the secret ids, secret ids by name), sorted so that the two compare.
 */
export function heldPerState(state: State): unknown {
  const target = state.targets?.prophecy;
  return state.fabrics
    .map((f) => {
      const entry = target?.fabrics[f.name];
      const secrets = entry?.secrets ?? {};
      return {
        id: entry?.id,
        name: f.name,
        teamName: f.teamName,
        connections: f.connections
          .map((c) => ({ name: c.name, smtpUrl: c.properties.smtpUrl, smtpPort: c.properties.smtpPort, smtpUsername: c.properties.smtpUsername, secret: c.properties.smtpPassword.properties.name, secretId: secrets[c.properties.smtpPassword.properties.name] }))
          .sort((a, b) => (a.name < b.name ? -1 : 1)),
        secrets: Object.fromEntries(Object.entries(secrets).sort()),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The same view of what the stand-in holds. */
export function heldPerStandIn(snapshot: Snapshot): unknown {
  return snapshot.fabrics
    .map((f) => ({
      id: f.id,
      name: f.name,
      teamName: f.teamName,
      connections: Object.values(f.connections)
        .map((c) => ({ name: c.name, smtpUrl: c.properties.smtpUrl, smtpPort: c.properties.smtpPort, smtpUsername: c.properties.smtpUsername, secret: c.properties.smtpPassword.properties.name, secretId: c.properties.smtpPassword.properties.id }))
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
      secrets: Object.fromEntries(Object.values(f.secrets).map((s) => [s.name, s.id]).sort()),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}
