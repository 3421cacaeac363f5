// The redaction helper that guards every place verify and send print: a server may echo what it was
// sent, and the AUTH exchange carries the password base64-encoded, so the value is removed in every
// form it can travel in before any text leaves the smtp stage.

const mask = "[redacted]";

function forms(secret: string, username: string | undefined): string[] {
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
  const all = [secret, b64(secret), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  // AUTH PLAIN sends base64("\0user\0password"), which does not contain base64(password).
  if (username !== undefined) all.push(b64(`\u0000${username}\u0000${secret}`), b64(`${username}\u0000${username}\u0000${secret}`));
  // Longest first, so that a form containing another is removed whole.
  return [...new Set(all)].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

export type Redactor = (text: string) => string;

export function redactor(secrets: readonly string[], username?: string): Redactor {
  const all = secrets.filter((s) => s !== "").flatMap((s) => forms(s, username));
  if (all.length === 0) return (text) => text;
  return (text) => all.reduce((t, form) => t.split(form).join(mask), text);
}
