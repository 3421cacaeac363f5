// Fabric configs for SMTP tests, made the way users make them: a YAML file → loadConfig → synth.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../src/config/loadConfig.js";
import { synthFabrics, type FabricConfig } from "../../src/synth/fabricConfig.js";

export interface TestConnection {
  readonly name: string;
  readonly port: number;
  readonly url?: string;
  readonly tls?: "starttls" | "implicit" | "none";
  readonly insecure?: boolean;
  readonly username?: string;
  readonly secret?: string;
  readonly provider?: string;
  readonly key?: string;
  readonly caFile?: string;
}

export interface TestFabric {
  readonly name?: string;
  readonly trustedHosts?: readonly string[];
  readonly secrets?: Record<string, unknown>;
  readonly connections: readonly TestConnection[];
}

/** Writes `dir/fabrics.yaml` (JSON is YAML) and returns its path. */
export function writeTestConfig(dir: string, fabrics: readonly TestFabric[]): string {
  const doc = {
    version: 1,
    teams: [{ name: "team", members: ["alice@example.com"] }],
    fabrics: fabrics.map((f, i) => ({
      name: f.name ?? `fabric-${i}`,
      team: "team",
      ...(f.trustedHosts && { trustedHosts: f.trustedHosts }),
      ...(f.secrets && { secrets: f.secrets }),
      connections: f.connections.map((c) => ({
        name: c.name,
        type: "smtp",
        url: c.url ?? "127.0.0.1",
        port: c.port,
        ...(c.tls && { tls: c.tls }),
        ...(c.insecure !== undefined && { insecure: c.insecure }),
        username: c.username ?? "alerts@example.com",
        password: { secret: c.secret ?? "SMTP_PASSWORD", ...(c.provider && { provider: c.provider }), ...(c.key && { key: c.key }) },
        ...(c.caFile && { caFile: c.caFile }),
      })),
    })),
  };
  const file = join(dir, "fabrics.yaml");
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

/** Writes the config and returns its synthesized fabric configs (throws on config errors). */
export function fabricsFromYaml(dir: string, fabrics: readonly TestFabric[]): FabricConfig[] {
  const loaded = loadConfig([writeTestConfig(dir, fabrics)]);
  if (!loaded.model) throw new Error(`test config is invalid: ${loaded.diagnostics.map((d) => d.summary).join("; ")}`);
  return synthFabrics(loaded.model);
}
