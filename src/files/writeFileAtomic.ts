// Replaces a file whole or not at all: the text goes to a temporary file beside it, which is renamed
// over the target (a rename within one directory is atomic on POSIX file systems), so a killed writer
// never leaves half a file for the next reader.
import { randomUUID } from "node:crypto";
import { renameSync, unlinkSync, writeFileSync } from "node:fs";

export function writeFileAtomicSync(path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    writeFileSync(temporary, text, { flag: "wx" });
    renameSync(temporary, path);
  } catch (e) {
    try {
      unlinkSync(temporary);
    } catch {
      // Never written.
    }
    throw e;
  }
}
