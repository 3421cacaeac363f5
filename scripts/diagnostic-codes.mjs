// Writes the table of diagnostic codes in docs/cli.md from the registry (src/diagnostics/codes.ts, as
// built into dist/), between the two marker lines below; the rest of the file is kept.
// test/diagnostics/codes.test.ts renders the same table from the source and compares.
//   npm run docs:codes
import { readFileSync, writeFileSync } from "node:fs";

export const beginMarker = "<!-- BEGIN diagnostic codes: written by scripts/diagnostic-codes.mjs from src/diagnostics/codes.ts -->";
export const endMarker = "<!-- END diagnostic codes -->";

/** The registry as a Markdown table, one row a code, in the registry's order. */
export function renderCodesTable(codes) {
  const rows = Object.entries(codes).map(([code, meaning]) => `| \`${code}\` | ${meaning.replace(/\|/g, "\\|")} |`);
  return ["| code | meaning |", "|---|---|", ...rows].join("\n");
}

/** The text between the markers (without them), or undefined when they are missing. */
export function tableIn(text) {
  const begin = text.indexOf(beginMarker);
  const end = text.indexOf(endMarker);
  if (begin === -1 || end < begin) return undefined;
  return text.slice(begin + beginMarker.length, end).trim();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { diagnosticCodes } = await import("../dist/diagnostics/codes.js");
  const file = new URL("../docs/cli.md", import.meta.url);
  const text = readFileSync(file, "utf8");
  if (tableIn(text) === undefined) throw new Error(`docs/cli.md has no ${beginMarker} … ${endMarker} block`);
  const begin = text.indexOf(beginMarker) + beginMarker.length;
  const end = text.indexOf(endMarker);
  writeFileSync(file, `${text.slice(0, begin)}\n${renderCodesTable(diagnosticCodes)}\n${text.slice(end)}`);
  process.stdout.write(`wrote ${Object.keys(diagnosticCodes).length} codes to docs/cli.md\n`);
}
