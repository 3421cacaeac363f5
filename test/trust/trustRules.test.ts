// Who may receive a password: the rules as a table (DESIGN.md, "Who may receive a password").
import { describe, expect, it } from "vitest";
import { connectionCapabilities } from "../../src/model.js";
import type { State } from "../../src/state/stateStore.js";
import type { FabricConfig, SmtpConnectionConfig } from "../../src/synth/fabricConfig.js";
import { checkDestination, hostMatches } from "../../src/trust/trustRules.js";

function connection(name: string, host: string, port: number, secret = "GMAIL_PASSWORD", provider: "env" | "file" = "env"): SmtpConnectionConfig {
  return {
    name,
    kind: "smtp",
    isDefaultWarehouseConnection: false,
    properties: { smtpUrl: host, smtpPort: port, smtpUsername: "alerts@example.com", smtpPassword: { kind: provider, subKind: "text", type: "secret", properties: { name: secret } } },
    tls: "starttls",
    insecure: false,
    capabilities: connectionCapabilities.smtp,
    fingerprint: "sha256:test",
  };
}

function fabric(name: string, connections: SmtpConnectionConfig[], trustedHosts: string[] = []): FabricConfig {
  return { name, teamName: "team", description: "", team: { members: [], reviewers: [] }, secretProviders: { default: "env" }, trustedHosts, connections };
}

const applied: State = {
  version: 1,
  serial: 4,
  lineage: "test",
  fabrics: [fabric("marketing", [connection("gmail", "smtp.gmail.com", 587)]), fabric("other", [connection("ses", "email-smtp.eu-west-1.amazonaws.com", 587, "SES_PASSWORD")])],
};

/** The same state, with marketing's trustedHosts as applied (reviewed and merged). */
function appliedTrusting(trustedHosts: string[]): State {
  return { ...applied, fabrics: applied.fabrics.map((f) => (f.name === "marketing" ? { ...f, trustedHosts } : f)) };
}

describe("checkDestination", () => {
  it.each([
    ["the applied host and port for the same reference", connection("gmail", "smtp.gmail.com", 587), [], applied, false, { allowed: true, because: "applied" }],
    ["the applied destination, host written in another case", connection("gmail", "SMTP.Gmail.com", 587), [], applied, false, { allowed: true, because: "applied" }],
    ["the same destination under a new connection name", connection("gmail-2", "smtp.gmail.com", 587), [], applied, false, { allowed: true, because: "applied" }],
    ["a host on trustedHosts as applied", connection("gmail", "smtp.sendgrid.net", 587), [], appliedTrusting(["smtp.sendgrid.net"]), false, { allowed: true, because: "trusted-host" }],
    ["a host below a *.domain pattern as applied", connection("gmail", "email-smtp.us-east-1.amazonaws.com", 587), [], appliedTrusting(["*.amazonaws.com"]), false, { allowed: true, because: "trusted-host" }],
    ["a host on the config's trustedHosts before anything is applied", connection("gmail", "smtp.sendgrid.net", 587), ["smtp.sendgrid.net"], undefined, false, { allowed: true, because: "trusted-host" }],
    ["anywhere with --trust-new-hosts", connection("gmail", "evil.example.net", 587), [], applied, true, { allowed: true, because: "trust-new-hosts" }],
  ] as const)("allows %s", (_what, c, trusted, state, trustNewHosts, expected) => {
    expect(checkDestination({ fabric: fabric("marketing", [c], [...trusted]), connection: c, applied: state, trustNewHosts })).toEqual(expected);
  });

  it.each([
    [
      "a new host for an applied reference",
      connection("gmail", "evil.example.net", 587),
      applied,
      "refusing to send env:GMAIL_PASSWORD to evil.example.net:587: the applied state sends env:GMAIL_PASSWORD only to smtp.gmail.com:587, and evil.example.net is not on fabric marketing's trustedHosts as applied. Add it to trustedHosts, or run with --trust-new-hosts once the change is reviewed",
    ],
    [
      "a new port on the applied host",
      connection("gmail", "smtp.gmail.com", 2525),
      applied,
      "refusing to send env:GMAIL_PASSWORD to smtp.gmail.com:2525: the applied state sends env:GMAIL_PASSWORD only to smtp.gmail.com:587, and smtp.gmail.com is not on fabric marketing's trustedHosts as applied. Add it to trustedHosts, or run with --trust-new-hosts once the change is reviewed",
    ],
    [
      "an applied destination bound to another reference",
      connection("gmail", "email-smtp.eu-west-1.amazonaws.com", 587),
      applied,
      expect.stringContaining("the applied state sends env:GMAIL_PASSWORD only to smtp.gmail.com:587"),
    ],
    [
      "the same name from another provider",
      connection("gmail", "smtp.gmail.com", 587, "GMAIL_PASSWORD", "file"),
      applied,
      expect.stringContaining("the applied state sends file:GMAIL_PASSWORD nowhere yet"),
    ],
    ["anything when nothing is applied", connection("gmail", "smtp.gmail.com", 587), undefined, expect.stringContaining("nothing is applied yet, so env:GMAIL_PASSWORD is bound to no destination")],
    [
      "a host that the change itself adds to trustedHosts, once a state exists",
      connection("gmail", "mail.example.com", 587),
      applied,
      expect.stringContaining("mail.example.com is not on fabric marketing's trustedHosts as applied"),
    ],
  ])("refuses %s", (_what, c, state, reason) => {
    expect(checkDestination({ fabric: fabric("marketing", [c], ["smtp.sendgrid.net", "*.example.com"]), connection: c, applied: state, trustNewHosts: false })).toEqual({ allowed: false, reason });
  });
});

describe("hostMatches", () => {
  it.each([
    ["smtp.gmail.com", "smtp.gmail.com", true],
    ["smtp.gmail.com", "SMTP.GMAIL.COM.", true],
    ["smtp.gmail.com", "smtp.gmail.com.evil.net", false],
    ["*.amazonaws.com", "email-smtp.eu-west-1.amazonaws.com", true],
    ["*.amazonaws.com", "amazonaws.com", false],
    ["*.amazonaws.com", "evilamazonaws.com", false],
    ["*.amazonaws.com", "amazonaws.com.evil.net", false],
    ["127.0.0.1", "127.0.0.1", true],
    ["127.0.0.1", "127.0.0.10", false],
  ])("%s matches %s: %s", (pattern, host, expected) => {
    expect(hostMatches(pattern, host)).toBe(expected);
  });
});
