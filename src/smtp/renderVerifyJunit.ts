// The junit format, for CI test reports: a test suite per fabric, a test case per connection, a
// <failure> whose type is the result class; the transcript (with --verbose) as the case's system-out.
import { describeServerWords } from "./serverReply.js";
import { countResults, type VerifyResult } from "./verifyResult.js";

function xml(text: string): string {
  // XML 1.0 cannot carry most control characters even escaped; a server may send them.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "\ufffd")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testCase(r: VerifyResult): string[] {
  const open = `    <testcase classname="${xml(r.fabric)}" name="${xml(r.connection)}" time="${seconds(r.durationMs)}">`;
  const body: string[] = [];
  if (r.result !== "ok") {
    const detail = [`${r.host}:${r.port} (${r.tls}), secret ${r.secret}`, r.stage ? `failed during ${r.stage}` : "", describeServerWords(r) ?? ""];
    body.push(`      <failure type="${r.result}" message="${xml(`${r.result}: ${r.message}`)}">${xml(detail.filter(Boolean).join("\n"))}</failure>`);
  }
  if (r.transcript && r.transcript.length > 0) body.push(`      <system-out>${xml(r.transcript.join("\n"))}</system-out>`);
  return body.length === 0 ? [`${open.slice(0, -1)} />`] : [open, ...body, "    </testcase>"];
}

export function renderVerifyJunit(results: readonly VerifyResult[]): string {
  const fabrics = [...new Set(results.map((r) => r.fabric))];
  const total = countResults(results);
  const time = (rs: readonly VerifyResult[]) => seconds(rs.reduce((t, r) => t + r.durationMs, 0));
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="fabricate verify" tests="${results.length}" failures="${total.failed}" errors="0" time="${time(results)}">`,
  ];
  for (const fabric of fabrics) {
    const rs = results.filter((r) => r.fabric === fabric);
    out.push(`  <testsuite name="${xml(fabric)}" tests="${rs.length}" failures="${countResults(rs).failed}" errors="0" skipped="0" time="${time(rs)}">`);
    for (const r of rs) out.push(...testCase(r));
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}
