// Builds a Model straight from the fixture specs, for unit tests of the stages after config loading
// (the e2e tests load the same specs from YAML through the built CLI).
import type { Fabric, Model, Team } from "../../src/model.js";
import { synthFabrics, type FabricConfig } from "../../src/synth/fabricConfig.js";
import { defaultTeams, type FabricSpec, type TeamSpec } from "./configFixture.js";

export function modelOf(fabrics: readonly FabricSpec[], teams: readonly TeamSpec[] = defaultTeams, file = (name: string) => `fabrics/${name}.yaml`): Model {
  const teamModels: Team[] = teams.map((t) => ({
    name: t.name,
    members: [`${t.name}-lead@example.com`],
    reviewers: [...(t.reviewers ?? [])].sort(),
    origin: { file: "fabrics/teams.yaml" },
  }));
  const fabricModels: Fabric[] = fabrics.map((f) => ({
    name: f.name,
    team: f.team,
    description: f.description ?? `The ${f.name} fabric`,
    secrets: { provider: "env" },
    trustedHosts: [],
    origin: { file: file(f.name) },
    connections: [...f.connections]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((c) => ({
        name: c.name,
        type: "smtp" as const,
        host: c.url ?? "smtp.example.com",
        port: c.port ?? 587,
        tls: "starttls" as const,
        username: c.username ?? "sender@example.com",
        password: { provider: "env" as const, secret: c.secret ?? "SMTP_PASSWORD" },
        insecure: false,
        origin: { file: file(f.name) },
      })),
  }));
  return { teams: teamModels.sort((a, b) => (a.name < b.name ? -1 : 1)), fabrics: fabricModels.sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

export function configsOf(fabrics: readonly FabricSpec[], teams?: readonly TeamSpec[]): FabricConfig[] {
  return synthFabrics(modelOf(fabrics, teams));
}
