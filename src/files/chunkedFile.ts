// Reading and writing documents in pieces: the state and the saved plan of a million connections are
// longer than the longest string V8 can hold (about 512 MiB), so they never pass through one string or
// one buffer. The pieces come from canonicalChunks and go to ChunkedJsonParser.
import type { FileHandle } from "node:fs/promises";

const readSize = 4 * 1024 * 1024;
const writeSize = 1024 * 1024;

/** The file's bytes from where the handle stands, in fresh buffers (a parser may keep them). */
export async function* readChunks(handle: FileHandle): AsyncGenerator<Buffer, void, undefined> {
  for (;;) {
    const buffer = Buffer.allocUnsafe(readSize);
    const { bytesRead } = await handle.read(buffer, 0, readSize, null);
    if (bytesRead === 0) return;
    yield buffer.subarray(0, bytesRead);
  }
}

/**
 * Writes the pieces in order, gathered into writes of about a mebibyte. Each piece is encoded on its
 * own: joining pieces into one string first made V8 flatten deep string trees, which cost half as
 * much again as writing.
 */
export async function writePieces(handle: FileHandle, pieces: Iterable<string>): Promise<void> {
  let batch: Buffer[] = [];
  let size = 0;
  for (const piece of pieces) {
    const bytes = Buffer.from(piece, "utf8");
    batch.push(bytes);
    size += bytes.length;
    if (size >= writeSize) {
      await writeAll(handle, Buffer.concat(batch, size));
      batch = [];
      size = 0;
    }
  }
  if (size > 0) await writeAll(handle, Buffer.concat(batch, size));
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  // A write may take fewer bytes than it was given.
  for (let at = 0; at < bytes.length; ) at += (await handle.write(bytes, at, bytes.length - at, null)).bytesWritten;
}
