// The fabricate block of a CODEOWNERS file: the lines between `# BEGIN fabricate` and `# END fabricate`
// are fabricate's, everything around them is the repository's own rules and is kept byte for byte. A new
// block goes at the end of the file, because in CODEOWNERS the last matching pattern wins: rules after
// the block would take a config file away from its teams' reviewers.
//
// Pure text in, text out; reading and writing the file is codeownersFile.ts's job.

export const blockBegin = "# BEGIN fabricate";
export const blockEnd = "# END fabricate";

export type ManagedBlock =
  | { readonly kind: "absent" }
  /** start and end are offsets into the text: from the BEGIN line's first character to after the END line's line end. */
  | { readonly kind: "found"; readonly start: number; readonly end: number; readonly beginLine: number; readonly lines: readonly string[] }
  | { readonly kind: "malformed"; readonly line: number; readonly reason: string };

interface Line {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline + 1;
    lines.push({ text: text.slice(start, end).replace(/\r?\n$/, ""), start, end });
    start = end;
  }
  return lines;
}

const isMarker = (line: Line, marker: string) => line.text.trimEnd() === marker;

export function findManagedBlock(text: string): ManagedBlock {
  const lines = linesOf(text);
  const begins = lines.flatMap((l, i) => (isMarker(l, blockBegin) ? [i] : []));
  const ends = lines.flatMap((l, i) => (isMarker(l, blockEnd) ? [i] : []));
  if (begins.length === 0 && ends.length === 0) return { kind: "absent" };
  if (begins.length > 1) return { kind: "malformed", line: begins[1]! + 1, reason: `a second \`${blockBegin}\` line` };
  if (ends.length > 1) return { kind: "malformed", line: ends[1]! + 1, reason: `a second \`${blockEnd}\` line` };
  const [begin] = begins;
  const [end] = ends;
  if (begin === undefined) return { kind: "malformed", line: end! + 1, reason: `\`${blockEnd}\` without a \`${blockBegin}\` line before it` };
  if (end === undefined) return { kind: "malformed", line: begin + 1, reason: `\`${blockBegin}\` without a \`${blockEnd}\` line after it` };
  if (end < begin) return { kind: "malformed", line: end + 1, reason: `\`${blockEnd}\` before \`${blockBegin}\`` };
  return { kind: "found", start: lines[begin]!.start, end: lines[end]!.end, beginLine: begin + 1, lines: lines.slice(begin + 1, end).map((l) => l.text) };
}

/** The lines of a rendered text (each ending in a newline). */
export function contentLines(content: string): string[] {
  return content.split("\n").slice(0, -1);
}

/**
 * The text with its block holding `content` (CODEOWNERS lines, each ending in a newline): the block
 * replaced where there is one, appended after a blank line where there is none. Line ends follow the
 * file's own (CRLF where it has them).
 */
export function withManagedBlock(text: string, found: Exclude<ManagedBlock, { kind: "malformed" }>, content: string): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const block = [blockBegin, ...contentLines(content), blockEnd].map((l) => `${l}${eol}`).join("");
  if (found.kind === "found") return `${text.slice(0, found.start)}${block}${text.slice(found.end)}`;
  if (text === "") return block;
  const separated = text.endsWith(`${eol}${eol}`) ? text : text.endsWith(eol) ? `${text}${eol}` : `${text}${eol}${eol}`;
  return `${separated}${block}`;
}

/**
 * What differs between the block's lines and the wanted ones, as `- line` (only in the file) and
 * `+ line` (only in the config's), each in its own order. Every generated line is unique (one rule a
 * file, one header), so the two sets say what is stale; lines that differ only in order say so.
 */
export function blockChanges(current: readonly string[], wanted: readonly string[]): string[] {
  const inWanted = new Set(wanted);
  const inCurrent = new Set(current);
  const changes = [...current.filter((l) => !inWanted.has(l)).map((l) => `- ${l}`), ...wanted.filter((l) => !inCurrent.has(l)).map((l) => `+ ${l}`)];
  if (changes.length === 0 && current.join("\n") !== wanted.join("\n")) return ["(the same lines, in another order or repeated)"];
  return changes;
}
