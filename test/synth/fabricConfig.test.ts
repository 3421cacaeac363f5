import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/loadConfig.js";
import validateFabricConfig from "../../src/generated/validateFabricConfig.js";
import { synthFabrics } from "../../src/synth/fabricConfig.js";
import { tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** Every optional part of the format at least once: CA file, vault keys, exec, tls none, no provider. */
const everything = `version: 1
teams:
  - name: ops
fabrics:
  - name: bare
    team: ops
  - name: full
    team: ops
    description: Everything at once
    provider: ProphecyManaged
    secrets:
      provider: vault
      vault: { address: "https://vault.example.com:8200" }
      file: { directory: secrets }
      exec: { command: [op, read, "op://ci/{secret}"], timeout: 2m }
    trustedHosts: ["*.example.com", smtp.example.org]
    connections:
      - { name: vault-key, type: smtp, url: "smtps://mail.example.com", username: a@example.com, password: { secret: smtp/relay, key: password } }
      - { name: private-ca, type: smtp, url: 10.0.0.5, port: 2525, username: b@example.com, caFile: ca.pem, password: { secret: relay, provider: file } }
      - { name: cleartext, type: smtp, url: "[::1]", port: 25, tls: none, insecure: true, username: c@example.com, password: { secret: X, provider: exec } }
      - { name: runtime, type: smtp, url: smtp.example.com, username: d@example.com, password: { secret: db-scope, provider: databricks, key: smtp } }
`;

describe("synthFabrics", () => {
  it("gives configs that schemas/fabric-config.schema.json accepts, with every optional field exercised", () => {
    writeFileSync(join(dir, "ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    writeFileSync(join(dir, "all.yaml"), everything);
    const { model, diagnostics } = loadConfig([dir]);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const configs = synthFabrics(model!);
    expect(configs.map((c) => c.name)).toEqual(["bare", "full"]);
    for (const config of configs) expect(validateFabricConfig(config), JSON.stringify(validateFabricConfig.errors)).toBe(true);
    const full = configs[1]!;
    expect(full.connections.map((c) => [c.name, c.tls, c.properties.smtpPort, c.properties.smtpPassword.kind])).toEqual([
      ["cleartext", "none", 25, "exec"],
      ["private-ca", "starttls", 2525, "file"],
      ["runtime", "starttls", 587, "databricks"],
      ["vault-key", "implicit", 465, "vault"],
    ]);
    expect(full.connections[1]!.caFile).toBe(join(dir, "ca.pem"));
    expect(full.secretProviders.exec).toEqual({ command: ["op", "read", "op://ci/{secret}"], timeoutMs: 120_000 });
    expect(configs[0]).toMatchObject({ description: "", connections: [], trustedHosts: [], team: { members: [], reviewers: [] } });
  });

  it("gives each connection a fingerprint that changes exactly when its fields or secret reference do", () => {
    const fingerprints = (yaml: string) => {
      writeFileSync(join(dir, "c.yaml"), yaml);
      return synthFabrics(loadConfig([dir]).model!)[0]!.connections.map((c) => c.fingerprint);
    };
    const base = `version: 1\nteams: [{ name: t }]\nfabrics:\n  - name: f\n    team: t\n    description: DESC\n    connections:\n      - { name: c, type: smtp, url: smtp.example.com, username: u, password: { secret: S } }\n`;
    const [original] = fingerprints(base);
    expect(original).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fingerprints(base.replace("DESC", "other description"))).toEqual([original]);
    expect(fingerprints(base.replace("url: smtp.example.com", "url: smtp.example.com, port: 587"))).toEqual([original]);
    for (const change of [["secret: S", "secret: T"], ["secret: S", "secret: S, provider: file"], ["username: u", "username: v"], ["url: smtp.example.com", "url: smtp.example.com, port: 2525"]]) {
      expect(fingerprints(base.replace(change[0]!, change[1]!))).not.toEqual([original]);
    }
  });

  it("reuses a fingerprint from prior configs only for a connection whose body is the same, and gives the same configs as without them", () => {
    writeFileSync(join(dir, "ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    writeFileSync(join(dir, "all.yaml"), everything);
    const model = loadConfig([dir]).model!;
    const fresh = synthFabrics(model);
    expect(synthFabrics(model, fresh)).toEqual(fresh);
    // A prior fingerprint that is not the body's digest shows which connections took it.
    const marked = "sha256:" + "0".repeat(64);
    const prior = fresh.map((f) => ({ ...f, connections: f.connections.map((c) => ({ ...c, fingerprint: marked })) }));
    const changed = prior.map((f) => ({ ...f, connections: f.connections.map((c) => (c.name === "runtime" ? { ...c, properties: { ...c.properties, smtpPort: 2525 } } : c)) }));
    const reused = synthFabrics(model, changed)[1]!.connections.map((c) => [c.name, c.fingerprint === marked]);
    expect(reused).toEqual([
      ["cleartext", true],
      ["private-ca", true],
      ["runtime", false],
      ["vault-key", true],
    ]);
    expect(synthFabrics(model, changed)[1]!.connections[2]!.fingerprint).toBe(fresh[1]!.connections[2]!.fingerprint);
  });

  it("refuses a fabric named manifest, whose file would be the manifest (at validate, before synth)", () => {
    writeFileSync(join(dir, "m.yaml"), "version: 1\nteams: [{ name: t }]\nfabrics: [{ name: manifest, team: t }]\n");
    const { model, diagnostics } = loadConfig([dir]);
    expect(model).toBeUndefined();
    expect(diagnostics).toMatchObject([{ severity: "error", code: "config.reserved-name", file: join(dir, "m.yaml"), line: 3 }]);
  });
});
