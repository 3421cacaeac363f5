// What of an SMTP server's replies fabricate prints. A server can echo the password only after it has
// received it, and then it can send it back in any disguise (spaced out, hex, reversed, base32, rot13,
// split across lines) that no redaction could list. So every reply received from the AUTH stage on
// (AUTH itself, sending a message, QUIT) is printed only as its reply code and enhanced status code,
// with a fixed description of that code: never the server's own text. Before AUTH (greeting, EHLO,
// STARTTLS) the server has received no secret, and its words are printed: they are the best diagnosis
// of a rejected connection or a refused STARTTLS.
import type { Stage } from "./verifyResult.js";

/** The stages in which the server has received (or is receiving) the credentials. */
export function afterCredentials(stage: Stage): boolean {
  return stage === "auth" || stage === "send" || stage === "quit";
}

/** Replies the AUTH, send and QUIT stages meet (RFC 5321, RFC 4954), in our words. */
const knownCodes: Readonly<Record<string, string>> = {
  "221": "closing the connection",
  "235": "authentication succeeded",
  "250": "accepted",
  "334": "the server asks for the next part of the credentials",
  "354": "the server waits for the message",
  "421": "the server is closing the connection (service not available)",
  "432": "a password transition is needed",
  "450": "mailbox unavailable (temporary)",
  "451": "local error in processing (temporary)",
  "452": "insufficient storage (temporary)",
  "454": "temporary authentication failure",
  "500": "command not recognised",
  "501": "syntax error in parameters",
  "502": "command not implemented",
  "503": "bad sequence of commands",
  "504": "parameter not implemented",
  "530": "authentication required",
  "534": "authentication mechanism too weak",
  "535": "authentication credentials invalid",
  "538": "encryption required for this authentication mechanism",
  "550": "mailbox unavailable or mail refused",
  "551": "user not local",
  "552": "storage allocation exceeded",
  "553": "mailbox name not allowed",
  "554": "transaction failed",
};

/** What the first digit of a reply code means (RFC 5321, 4.2.1). */
const codeClasses: Readonly<Record<string, string>> = {
  "2": "positive completion",
  "3": "positive intermediate: the server waits for more",
  "4": "transient failure",
  "5": "permanent failure",
};

/**
 * `535 Authentication credentials invalid` → `535 (authentication credentials invalid)`;
 * `550 5.7.1 …` → `550 5.7.1 (mailbox unavailable or mail refused)`. Nothing of the text survives.
 */
export function replyCodeOnly(reply: string): string {
  const m = /^([2-5]\d\d)(?:[ -]([2-5]\.\d{1,3}\.\d{1,3})(?![\d.]))?/.exec(reply.trim());
  if (!m) return "(a reply without an SMTP reply code)";
  const [, code, enhanced] = m as unknown as [string, string, string | undefined];
  const description = knownCodes[code] ?? codeClasses[code[0]!]!;
  return `${code}${enhanced ? ` ${enhanced}` : ""} (${description})`;
}

/** What the server's reply is worth printing, as a failure carries it. */
export function serverWords(reply: string | undefined, stage: Stage): { serverText?: string; serverReply?: string } {
  const text = reply?.trim();
  if (!text) return {};
  return afterCredentials(stage) ? { serverReply: replyCodeOnly(text) } : { serverText: text };
}

/** `the server said: "…"` before AUTH, `the server answered 535 (…)` after; undefined when it said nothing. */
export function describeServerWords(f: { readonly serverText?: string; readonly serverReply?: string }): string | undefined {
  if (f.serverReply !== undefined) return `the server answered ${f.serverReply}`;
  if (f.serverText !== undefined) return `the server said: ${JSON.stringify(f.serverText)}`;
  return undefined;
}
