// Who may receive a secret, as a table: every part of a delivery that a pull request could change, and
// the decision for each (docs/security.md). Pure: no socket, file or process is involved in deciding.
import { describe, expect, it } from "vitest";
import { connectionCapabilities, type SecretRef } from "../../src/model.js";
import type { State } from "../../src/state/stateStore.js";
import type { FabricConfig, SecretProvidersConfig, SmtpConnectionConfig } from "../../src/synth/fabricConfig.js";
import { checkDelivery, prophecyTokenDelivery, secretUploadDelivery, smtpDelivery } from "../../src/trust/delivery.js";
import { hostMatches, parseHostPattern, sharedDomainOf } from "../../src/trust/hostPatterns.js";

const caA = `sha256:${"a".repeat(64)}`;
const caB = `sha256:${"b".repeat(64)}`;

function connection(name: string, host: string, port: number, extra: Partial<SmtpConnectionConfig> = {}, secret = "GMAIL_PASSWORD", provider: "env" | "file" | "exec" | "vault" = "env"): SmtpConnectionConfig {
  return {
    name,
    kind: "smtp",
    isDefaultWarehouseConnection: false,
    properties: { smtpUrl: host, smtpPort: port, smtpUsername: "alerts@example.com", smtpPassword: { kind: provider, subKind: "text", type: "secret", properties: { name: secret } } },
    tls: "starttls",
    insecure: false,
    capabilities: connectionCapabilities.smtp,
    fingerprint: "sha256:test",
    ...extra,
  };
}

const providers: SecretProvidersConfig = {
  default: "env",
  exec: { command: ["op", "read", "op://ci/{secret}"], timeoutMs: 10_000 },
  vault: { address: "https://vault.example.com:8200", mount: "secret" },
  file: { directory: "/run/secrets" },
};

function fabric(name: string, connections: SmtpConnectionConfig[], trustedHosts: string[] = [], secretProviders: SecretProvidersConfig = providers): FabricConfig {
  return { name, teamName: "team", description: "", team: { members: [], reviewers: [] }, secretProviders, trustedHosts, connections };
}

const gmail = connection("gmail", "smtp.gmail.com", 587);
const applied: State = {
  version: 1,
  serial: 4,
  lineage: "test",
  fabrics: [
    fabric("marketing", [gmail, connection("vaulted", "smtp.gmail.com", 587, {}, "smtp/gmail", "vault"), connection("private", "mail.internal.example", 587, { caFile: "ca.pem", caSha256: caA }, "INTERNAL")], [
      "smtp.sendgrid.net:587",
      "*.mail.example.com",
    ]),
    fabric("other", [connection("ses", "email-smtp.eu-west-1.amazonaws.com", 587, {}, "SES_PASSWORD")], ["smtp.sendgrid.net"]),
  ],
};

const check = (f: FabricConfig, c: SmtpConnectionConfig, state: State | undefined = applied, trustNewHosts = false) => checkDelivery(smtpDelivery(f, c), state, { trustNewHosts });
const marketing = (c: SmtpConnectionConfig, secretProviders: SecretProvidersConfig = providers) => fabric("marketing", [c], [], secretProviders);

describe("SMTP deliveries", () => {
  it.each([
    ["the applied delivery", gmail, "applied"],
    ["the applied delivery, host written in another case and with a trailing dot", connection("gmail", "SMTP.Gmail.com.", 587), "applied"],
    ["the same delivery under another connection name", connection("gmail-2", "smtp.gmail.com", 587), "applied"],
    ["a host and port on trustedHosts as applied", connection("gmail", "smtp.sendgrid.net", 587), "trusted-host"],
    ["a host below a *.domain pattern as applied", connection("gmail", "relay.mail.example.com", 2525), "trusted-host"],
    ["a new host with a CA the fabric already applied", connection("private", "relay.mail.example.com", 587, { caFile: "other/path.pem", caSha256: caA }, "INTERNAL"), "trusted-host"],
    ["a reference nothing applied sends yet, to a trusted host, read as the fabric reads", connection("new", "smtp.sendgrid.net", 587, {}, "NEW_PASSWORD"), "trusted-host"],
    ["the applied CA under another path", connection("private", "mail.internal.example", 587, { caFile: "moved/ca.pem", caSha256: caA }, "INTERNAL"), "applied"],
  ] as const)("allows %s", (_what, c, because) => {
    expect(check(marketing(c), c)).toEqual({ allowed: true, because });
  });

  it("allows anything with --trust-new-hosts, and nothing without it before anything is applied", () => {
    const evil = connection("gmail", "evil.example.net", 25, { tls: "none", insecure: true });
    expect(check(marketing(evil), evil, applied, true)).toEqual({ allowed: true, because: "trust-new-hosts" });
    const f = fabric("marketing", [gmail], ["smtp.gmail.com"]);
    expect(checkDelivery(smtpDelivery(f, gmail), undefined, { trustNewHosts: false })).toEqual({
      allowed: false,
      reason: "refusing to send env:GMAIL_PASSWORD to smtp.gmail.com:587: nothing is applied yet, so no delivery of it has been reviewed; run with --trust-new-hosts once the change is reviewed",
    });
  });

  it.each([
    ["a new host", connection("gmail", "evil.example.net", 587), providers, "the applied state sends env:GMAIL_PASSWORD only to smtp.gmail.com:587"],
    ["a new port of the applied host", connection("gmail", "smtp.gmail.com", 2525), providers, "the applied state sends env:GMAIL_PASSWORD only to smtp.gmail.com:587"],
    ["a trusted host on another port than the pattern's", connection("gmail", "smtp.sendgrid.net", 2525), providers, "only to smtp.gmail.com:587"],
    ["a downgrade to clear text on the applied host", connection("gmail", "smtp.gmail.com", 587, { tls: "none", insecure: true }), providers, "only to smtp.gmail.com:587"],
    ["clear text to a trusted host", connection("gmail", "smtp.sendgrid.net", 587, { tls: "none", insecure: true }), providers, "only to smtp.gmail.com:587"],
    ["the pull request's own CA on the applied host", connection("gmail", "smtp.gmail.com", 587, { caFile: "pr/ca.pem", caSha256: caB }), providers, "only to smtp.gmail.com:587"],
    ["another CA for a trusted host", connection("gmail", "smtp.sendgrid.net", 587, { caFile: "pr/ca.pem", caSha256: caB }), providers, "only to smtp.gmail.com:587"],
    ["the applied CA file with other content", connection("private", "mail.internal.example", 587, { caFile: "ca.pem", caSha256: caB }, "INTERNAL"), providers, "only to mail.internal.example:587 (private CA sha256:aaaaaaaa)"],
    [
      "a changed exec command",
      connection("x", "smtp.gmail.com", 587, {}, "smtp/gmail", "exec"),
      { ...providers, exec: { command: ["sh", "-c", "curl evil.example.net"], timeoutMs: 1000 } },
      "exec:smtp/gmail nowhere yet",
    ],
    [
      "a new exec reference to a trusted host, with a changed command",
      connection("x", "smtp.sendgrid.net", 587, {}, "smtp/new", "exec"),
      { ...providers, exec: { command: ["sh", "-c", "curl evil.example.net"], timeoutMs: 1000 } },
      "exec:smtp/new nowhere yet",
    ],
    ["a new reference to an applied server that is not on trustedHosts", connection("new", "smtp.gmail.com", 587, {}, "NEW_PASSWORD"), providers, "env:NEW_PASSWORD nowhere yet"],
    [
      "a changed Vault address",
      connection("vaulted", "smtp.gmail.com", 587, {}, "smtp/gmail", "vault"),
      { ...providers, vault: { address: "https://vault.evil.example.net", mount: "secret" } },
      "the applied state reads vault:smtp/gmail read from Vault at https://vault.example.com:8200 (mount secret), and this run would read it read from Vault at https://vault.evil.example.net (mount secret)",
    ],
    [
      "a changed Vault mount, to a trusted host",
      connection("vaulted", "smtp.sendgrid.net", 587, {}, "smtp/gmail", "vault"),
      { ...providers, vault: { address: "https://vault.example.com:8200", mount: "other" } },
      "the applied state reads vault:smtp/gmail",
    ],
  ] as const)("refuses %s", (_what, c, secretProviders, reason) => {
    const decision = check(marketing(c, secretProviders), c);
    expect(decision.allowed).toBe(false);
    expect(!decision.allowed && decision.reason).toContain(reason);
    expect(!decision.allowed && decision.reason).toMatch(/--trust-new-hosts once the change is reviewed$/);
  });

  it("refuses a reference applied in one fabric when another fabric uses it, even for a host that fabric trusts", () => {
    const ses = connection("ses", "smtp.sendgrid.net", 587, {}, "SES_PASSWORD");
    expect(check(fabric("marketing", [ses]), ses)).toEqual({
      allowed: false,
      reason:
        "refusing to send env:SES_PASSWORD to smtp.sendgrid.net:587: env:SES_PASSWORD is applied only in fabric other, not in fabric marketing. Add smtp.sendgrid.net:587 to fabric marketing's trustedHosts and apply that, or run with --trust-new-hosts once the change is reviewed",
    });
    const sameDeliveryElsewhere = connection("ses", "email-smtp.eu-west-1.amazonaws.com", 587, {}, "SES_PASSWORD");
    expect(check(fabric("marketing", [sameDeliveryElsewhere]), sameDeliveryElsewhere).allowed).toBe(false);
  });

  it("uses the fabric's trustedHosts as applied, not as the pull request writes them", () => {
    const moved = connection("gmail", "mail.attacker.example", 587);
    expect(check(fabric("marketing", [moved], ["mail.attacker.example"]), moved).allowed).toBe(false);
  });
});

describe("Prophecy deliveries", () => {
  const token: SecretRef = { provider: "env", secret: "PROPHECY_TOKEN" };
  const tokenConfig = { kind: "env", subKind: "text", type: "secret", properties: { name: "PROPHECY_TOKEN" } } as const;
  const upload = connection("p", "smtp.gmail.com", 587);
  const prophecyRef = { kind: "prophecy", subKind: "text", type: "secret", properties: { name: "gmail" }, from: { kind: "env", properties: { name: "GMAIL_PASSWORD" } } } as const;
  const uploaded: SmtpConnectionConfig = { ...upload, properties: { ...upload.properties, smtpPassword: prophecyRef } };
  const state: State = {
    ...applied,
    fabrics: [...applied.fabrics, fabric("pushed", [uploaded])],
    targets: { prophecy: { url: "https://app.prophecy.io", token: tokenConfig, tokenSecrets: { default: "env" }, fabrics: {} } },
  };

  it("allows the token to the applied URL, and refuses a changed URL, CA or way of reading it", () => {
    const ok = prophecyTokenDelivery({ url: "https://app.prophecy.io", token, secrets: { default: "env" } });
    expect(checkDelivery(ok, state, { trustNewHosts: false })).toEqual({ allowed: true, because: "applied" });
    for (const changed of [
      prophecyTokenDelivery({ url: "https://prophecy.attacker.example", token, secrets: { default: "env" } }),
      prophecyTokenDelivery({ url: "https://app.prophecy.io", caSha256: caB, token, secrets: { default: "env" } }),
      prophecyTokenDelivery({ url: "https://app.prophecy.io", token: { provider: "exec", secret: "t" }, secrets: { default: "env", exec: { command: ["cat", "/etc/passwd"], timeoutMs: 1 } } }),
    ]) {
      const decision = checkDelivery(changed, state, { trustNewHosts: false });
      expect(decision.allowed).toBe(false);
      expect(!decision.allowed && decision.reason).toMatch(/^refusing to send .+ to Prophecy at /);
    }
    expect(checkDelivery(prophecyTokenDelivery({ url: "https://prophecy.attacker.example", token, secrets: { default: "env" } }), applied, { trustNewHosts: true }).allowed).toBe(true);
  });

  it("allows uploading a prophecy reference's value where it was applied, and nowhere else", () => {
    const ref: SecretRef = { provider: "prophecy", secret: "gmail", from: { provider: "env", secret: "GMAIL_PASSWORD" } };
    const pushed = state.fabrics.find((f) => f.name === "pushed")!;
    expect(checkDelivery(secretUploadDelivery(pushed, ref, { url: "https://app.prophecy.io" }), state, { trustNewHosts: false })).toEqual({ allowed: true, because: "applied" });
    expect(checkDelivery(secretUploadDelivery(pushed, ref, { url: "https://prophecy.attacker.example" }), state, { trustNewHosts: false }).allowed).toBe(false);
    const otherSource: SecretRef = { ...ref, from: { provider: "env", secret: "AWS_SECRET_ACCESS_KEY" } };
    expect(checkDelivery(secretUploadDelivery(pushed, otherSource, { url: "https://app.prophecy.io" }), state, { trustNewHosts: false }).allowed).toBe(false);
  });
});

describe("host patterns", () => {
  it.each([
    ["smtp.gmail.com", "smtp.gmail.com", 587, true],
    ["smtp.gmail.com", "SMTP.GMAIL.COM.", 25, true],
    ["smtp.gmail.com:587", "smtp.gmail.com", 587, true],
    ["smtp.gmail.com:587", "smtp.gmail.com", 2525, false],
    ["smtp.gmail.com", "smtp.gmail.com.evil.net", 587, false],
    ["*.mail.example.com", "relay.mail.example.com", 587, true],
    ["*.mail.example.com:465", "relay.mail.example.com", 587, false],
    ["*.mail.example.com", "mail.example.com", 587, false],
    ["*.mail.example.com", "evilmail.example.com", 587, false],
    ["127.0.0.1", "127.0.0.1", 2525, true],
    ["127.0.0.1:2525", "127.0.0.10", 2525, false],
    ["[::1]:2525", "::1", 2525, true],
    ["::1", "::1", 2525, true],
  ])("%s matches %s port %s: %s", (pattern, host, port, expected) => {
    expect(hostMatches(pattern, host, port)).toBe(expected);
  });

  it("refuses a malformed pattern or port, and names the shared cloud domains a wildcard must not cover", () => {
    expect(parseHostPattern("smtp.gmail.com:0")).toEqual({ error: "has a port outside 1-65535" });
    expect(parseHostPattern("smtp.gmail.com:99999")).toEqual({ error: "has a port outside 1-65535" });
    expect(sharedDomainOf("*.amazonaws.com")).toBe("amazonaws.com");
    expect(sharedDomainOf("*.eu-west-1.amazonaws.com:587")).toBe("amazonaws.com");
    expect(sharedDomainOf("*.herokuapp.com")).toBe("herokuapp.com");
    expect(sharedDomainOf("email-smtp.eu-west-1.amazonaws.com")).toBeUndefined();
    expect(sharedDomainOf("*.mail.example.com")).toBeUndefined();
  });
});
