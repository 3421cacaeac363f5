// verify's renderers against golden files (reviewed like code): the same results in text, json and
// junit. Set UPDATE_GOLDEN=1 to rewrite them after an intended change.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { verifyRenderers, verifyFormats } from "../../src/smtp/verifyRenderer.js";
import type { VerifyResult } from "../../src/smtp/verifyResult.js";

const results: VerifyResult[] = [
  {
    fabric: "marketing-prod",
    connection: "gmail-alerts",
    host: "smtp.gmail.com",
    port: 587,
    tls: "starttls",
    username: "alerts@example.com",
    secret: "env:GMAIL_ALERTS_PASSWORD",
    result: "ok",
    message: "the server accepted the credentials (AUTH PLAIN) over STARTTLS",
    stages: [
      { stage: "dns", ms: 4 },
      { stage: "connect", ms: 21 },
      { stage: "greeting", ms: 40 },
      { stage: "ehlo", ms: 20 },
      { stage: "starttls", ms: 35 },
      { stage: "ehlo", ms: 20 },
      { stage: "auth", ms: 180 },
      { stage: "quit", ms: 20 },
    ],
    durationMs: 340,
    transcript: ["S: 220 smtp.gmail.com ESMTP", "C: EHLO ci-runner", "C: AUTH PLAIN [redacted]", "S: 235 2.7.0 (authentication succeeded)"],
  },
  {
    fabric: "marketing-prod",
    connection: "sendgrid-campaigns",
    host: "smtp.sendgrid.net",
    port: 587,
    tls: "starttls",
    username: "apikey",
    secret: "env:SENDGRID_API_KEY",
    result: "auth-failed",
    message: "the server refused the credentials (wrong user or password: servers answer both alike)",
    stage: "auth",
    serverReply: "535 5.7.8 (authentication credentials invalid)",
    stages: [
      { stage: "dns", ms: 3 },
      { stage: "connect", ms: 15 },
      { stage: "greeting", ms: 30 },
      { stage: "ehlo", ms: 15 },
      { stage: "starttls", ms: 30 },
      { stage: "ehlo", ms: 15 },
      { stage: "auth", ms: 1200 },
    ],
    durationMs: 1308,
  },
  {
    fabric: "platform-prod",
    connection: "ses-runtime",
    host: "email-smtp.eu-west-1.amazonaws.com",
    port: 587,
    tls: "starttls",
    username: "AKIAEXAMPLE",
    secret: "prophecy:ses-smtp-password",
    result: "secret",
    message: "prophecy:ses-smtp-password: prophecy references resolve only inside the fabric's runtime; map them for this run with --secret-provider prophecy=env (or file, exec, vault)",
    stages: [],
    durationMs: 0,
  },
  {
    fabric: "platform-prod",
    connection: "relay",
    host: "relay.example.com",
    port: 587,
    tls: "starttls",
    username: "relay@example.com",
    secret: "env:RELAY_PASSWORD",
    result: "starttls-unavailable",
    message: "the server did not agree to STARTTLS (it does not offer it, or refused it), so the connection stayed in clear text and the credentials were NOT sent",
    stage: "starttls",
    serverText: "502 5.5.1 STARTTLS not offered <&>",
    stages: [
      { stage: "dns", ms: 2 },
      { stage: "connect", ms: 10 },
      { stage: "greeting", ms: 12 },
      { stage: "ehlo", ms: 9 },
      { stage: "starttls", ms: 8 },
    ],
    durationMs: 41,
  },
];

describe.each(verifyFormats)("verify %s renderer", (format) => {
  it("matches its golden file", () => {
    const golden = new URL(`./golden/verify.${format === "junit" ? "xml" : format === "json" ? "json" : "txt"}`, import.meta.url);
    const rendered = verifyRenderers[format](results);
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, rendered);
    expect(rendered).toBe(readFileSync(golden, "utf8"));
  });
});

it("text ends with the summary line even with no connections", () => {
  expect(verifyRenderers.text([])).toBe("0 ok, 0 failed\n");
});
