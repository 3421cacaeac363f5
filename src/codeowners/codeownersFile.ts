// `codeowners --check FILE` and `--write FILE`: compare or fill the fabricate block of a repository's
// CODEOWNERS file (managedBlock.ts), leaving its own rules alone. The file is read bounded (GitHub ignores
// a CODEOWNERS file of 3 MB or more, so nothing larger is one) and replaced atomically, so a killed write
// never leaves a repository with half its review rules.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { readBoundedFileSync } from "../files/readBoundedFile.js";
import { writeFileAtomicSync } from "../files/writeFileAtomic.js";
import { blockBegin, blockChanges, blockEnd, contentLines, findManagedBlock, withManagedBlock } from "./managedBlock.js";

const maxCodeownersBytes = 3 * 1024 * 1024;

const writeHint = (path: string) => `run \`fabricate codeowners --write ${path}\` with the same config paths`;

function error(path: string, code: string, summary: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: "error", code, file: path, summary, ...extra };
}

/** The file's text ("" when it does not exist and `missingIsEmpty`), or why it cannot be used. */
function readCodeowners(path: string, missingIsEmpty: boolean): { text: string } | { diagnostic: Diagnostic } {
  const read = readBoundedFileSync(path, maxCodeownersBytes);
  if (read.ok) return { text: read.bytes.toString("utf8") };
  if (read.problem === "missing") {
    return missingIsEmpty ? { text: "" } : { diagnostic: error(path, "codeowners.missing", `does not exist: ${writeHint(path)}`) };
  }
  return { diagnostic: error(path, "codeowners.unreadable", `cannot read it: it ${read.reason}`) };
}

/** No diagnostics when the file's block holds exactly `content`; else what is out of date. */
export function checkCodeownersFile(path: string, content: string): Diagnostic[] {
  const read = readCodeowners(path, false);
  if ("diagnostic" in read) return [read.diagnostic];
  const block = findManagedBlock(read.text);
  if (block.kind === "malformed") return [error(path, "codeowners.malformed-block", `the fabricate block is malformed: ${block.reason}`, { line: block.line, col: 1 })];
  if (block.kind === "absent") return [error(path, "codeowners.no-block", `has no fabricate block (\`${blockBegin}\` … \`${blockEnd}\`): ${writeHint(path)}`)];
  const changes = blockChanges(block.lines, contentLines(content));
  if (changes.length === 0) return [];
  return [
    error(path, "codeowners.out-of-date", `the fabricate block is out of date (- in the file, + from the config): ${writeHint(path)}`, {
      line: block.beginLine,
      col: 1,
      detail: changes.join("\n"),
    }),
  ];
}

/** Fills the file's block with `content` (creating the file or the block where missing); `changed` is false when it already held it. */
export function writeCodeownersFile(path: string, content: string): { diagnostics: Diagnostic[]; changed: boolean } {
  const read = readCodeowners(path, true);
  if ("diagnostic" in read) return { diagnostics: [read.diagnostic], changed: false };
  const block = findManagedBlock(read.text);
  if (block.kind === "malformed") {
    return { diagnostics: [error(path, "codeowners.malformed-block", `the fabricate block is malformed: ${block.reason}; fix it by hand, nothing was written`, { line: block.line, col: 1 })], changed: false };
  }
  const next = withManagedBlock(read.text, block, content);
  if (next === read.text) return { diagnostics: [], changed: false };
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomicSync(path, next);
  } catch (e) {
    return { diagnostics: [error(path, "codeowners.write", `cannot write it: ${(e as Error).message}`)], changed: false };
  }
  return { diagnostics: [], changed: true };
}
