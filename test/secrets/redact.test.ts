import { describe, expect, it } from "vitest";
import { redactor } from "../../src/secrets/redact.js";

describe("redactor", () => {
  const secret = "hunter2-canary";
  const redact = redactor([secret], "alerts@example.com");
  it.each([
    [`535 wrong password ${secret}`, "535 wrong password [redacted]"],
    [`C: ${Buffer.from(secret).toString("base64")}`, "C: [redacted]"],
    [`AUTH PLAIN ${Buffer.from(`\0alerts@example.com\0${secret}`).toString("base64")}`, "AUTH PLAIN [redacted]"],
    [`url ${encodeURIComponent(secret)}`, "url [redacted]"],
    ["nothing to hide", "nothing to hide"],
  ])("redacts %j", (text, expected) => {
    expect(redact(text)).toBe(expected);
  });
  it("leaves text alone when there is no secret", () => {
    expect(redactor([""])("abc")).toBe("abc");
  });
});
