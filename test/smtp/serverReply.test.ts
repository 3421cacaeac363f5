import { describe, expect, it } from "vitest";
import { afterCredentials, describeServerWords, replyCodeOnly, serverWords } from "../../src/smtp/serverReply.js";

describe("replyCodeOnly", () => {
  it.each([
    ["535 Authentication credentials invalid", "535 (authentication credentials invalid)"],
    ["535 5.7.8 Username and Password not accepted. hunter2", "535 5.7.8 (authentication credentials invalid)"],
    ["535-5.7.8 first line\n535 5.7.8 second line", "535 5.7.8 (authentication credentials invalid)"],
    ["550 5.1.1 <x@example.com>: user unknown", "550 5.1.1 (mailbox unavailable or mail refused)"],
    ["554 5.7.1234 not an enhanced code", "554 (transaction failed)"],
    ["599 9.9.9 made up", "599 (permanent failure)"],
    ["471 try later", "471 (transient failure)"],
    ["235 2.7.0 Accepted", "235 2.7.0 (authentication succeeded)"],
    ["334 VXNlcm5hbWU6", "334 (the server asks for the next part of the credentials)"],
    ["hunter2", "(a reply without an SMTP reply code)"],
    ["", "(a reply without an SMTP reply code)"],
  ])("%j → %s", (reply, shown) => {
    expect(replyCodeOnly(reply)).toBe(shown);
  });
});

describe("serverWords", () => {
  it("keeps the server's words before AUTH and only the code from AUTH on", () => {
    expect(["greeting", "ehlo", "starttls"].map((s) => serverWords("421 busy, try later", s as "ehlo"))).toEqual(Array(3).fill({ serverText: "421 busy, try later" }));
    expect(["auth", "send", "quit"].map((s) => serverWords("535 nope hunter2", s as "auth"))).toEqual(Array(3).fill({ serverReply: "535 (authentication credentials invalid)" }));
    expect(serverWords(undefined, "auth")).toEqual({});
    expect(afterCredentials("dns")).toBe(false);
  });

  it("words either for people", () => {
    expect(describeServerWords({ serverText: '421 "busy"' })).toBe('the server said: "421 \\"busy\\""');
    expect(describeServerWords({ serverReply: "535 (authentication credentials invalid)" })).toBe("the server answered 535 (authentication credentials invalid)");
    expect(describeServerWords({})).toBeUndefined();
  });
});
