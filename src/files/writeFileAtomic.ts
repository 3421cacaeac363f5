// Replaces a file whole or not at all: the text goes to a temporary file beside it, which is renamed
// over the target (a rename within one directory is atomic on POSIX file systems), so a killed writer
// never leaves half a file for the next reader. writeFileAtomic takes the text in pieces, for documents
// longer than one string can be (the saved plan of a million connections).
import { randomUUID } from "node:crypto";
import { constants, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { writePieces } from "./chunkedFile.js";

function temporaryBeside(path: string): string {
  return `${path}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
}

export function writeFileAtomicSync(path: string, text: string): void {
  const temporary = temporaryBeside(path);
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

export async function writeFileAtomic(path: string, pieces: Iterable<string>): Promise<void> {
  const temporary = temporaryBeside(path);
  try {
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      await writePieces(handle, pieces);
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (e) {
    await unlink(temporary).catch(() => undefined);
    throw e;
  }
}
