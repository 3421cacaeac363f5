// The text format, for people: one line per connection naming it and its result class, the server's
// own words on failure, the time each stage took, then `N ok, N failed`. With --verbose, the redacted
// SMTP transcript follows each line, indented.
import { formatHostPort } from "../trust/hostPatterns.js";
import { describeServerWords } from "./serverReply.js";
import { countResults, formatStages, type VerifyResult } from "./verifyResult.js";

function line(r: VerifyResult): string {
  const where = `${formatHostPort(r)}, ${r.tls}`;
  const timing = r.stages.length > 0 ? `; ${formatStages(r)}` : "";
  const words = describeServerWords(r);
  const said = words !== undefined ? `; ${words}` : "";
  return `${r.fabric}/${r.connection}: ${r.result}: ${r.message}${said} (${where}${timing})`;
}

export function renderVerifyText(results: readonly VerifyResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(line(r));
    for (const t of r.transcript ?? []) out.push(`    ${t}`);
  }
  const { ok, failed } = countResults(results);
  out.push(`${ok} ok, ${failed} failed`);
  return `${out.join("\n")}\n`;
}
