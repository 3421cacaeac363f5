// Reads a file that a config or a state names, as untrusted input: a pull request can point caFile or a
// file secret at a FIFO (the read would block while apply holds the state lock), at /dev/zero (the read
// would never end) or at a huge file. So the file is opened without blocking, must be a regular file by
// the handle's own fstat (not a path check that a swap could race), is read only up to a size cap, and
// the whole read is bounded by a deadline. Failures are values naming the problem, never the content.
//
// readBoundedFileSync does the same for the synchronous readers (config files, synthesized directories),
// without the deadline: once a descriptor is known to be a regular file on a local disk, reading it
// cannot block, and those files come from the checkout. readBoundedFileInChunks does it for documents
// too large for one buffer (saved plans, a state to push), which are parsed as they are read, also
// without the deadline.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { formatDuration } from "../duration.js";
import { readChunks } from "./chunkedFile.js";

export interface BoundedReadOptions {
  /** Larger files are refused. */
  readonly maxBytes: number;
  /** The read is abandoned after this long. */
  readonly timeoutMs: number;
}

export type ReadProblem = "missing" | "not-regular" | "too-large" | "unreadable" | "timeout";

export interface ReadFailure {
  readonly ok: false;
  readonly problem: ReadProblem;
  readonly reason: string;
}

export type BoundedRead = { readonly ok: true; readonly bytes: Buffer } | ReadFailure;

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, outside any deadline.
const openFlags = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

const mebibyte = 1024 * 1024;

/** `2048 bytes`, `5 MiB`, `50.3 MiB`. */
function formatSize(bytes: number): string {
  return bytes < mebibyte ? `${bytes} bytes` : `${Number((bytes / mebibyte).toFixed(1))} MiB`;
}

function failed(problem: ReadProblem, reason: string): ReadFailure {
  return { ok: false, problem, reason };
}

function describeKind(mode: number): string {
  const type = mode & constants.S_IFMT;
  if (type === constants.S_IFDIR) return "a directory";
  if (type === constants.S_IFIFO) return "a pipe (FIFO)";
  if (type === constants.S_IFCHR) return "a character device";
  if (type === constants.S_IFBLK) return "a block device";
  if (type === constants.S_IFSOCK) return "a socket";
  return "not a regular file";
}

function openFailure(e: unknown): ReadFailure {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return failed("missing", "does not exist");
  if (code === "EACCES") return failed("unreadable", "cannot be read (permission denied)");
  return failed("unreadable", `cannot be opened (${code ?? "unknown error"})`);
}

function readFailure(e: unknown): ReadFailure {
  return failed("unreadable", `cannot be read (${(e as NodeJS.ErrnoException).code ?? "unknown error"})`);
}

/** Why the file behind a descriptor must not be read, if it must not. */
function statProblem(stat: Stats, maxBytes: number): ReadFailure | undefined {
  if (!stat.isFile()) return failed("not-regular", `is ${describeKind(stat.mode)}, not a regular file`);
  if (stat.size > maxBytes) return failed("too-large", `is ${formatSize(stat.size)}, more than the ${formatSize(maxBytes)} allowed`);
  return undefined;
}

/** Why the file behind a descriptor must not be read, or a buffer sized to notice it growing past the cap. */
function checkStat(stat: Stats, maxBytes: number): BoundedRead | Buffer {
  // The file may grow between fstat and read: one byte past the cap notices.
  return statProblem(stat, maxBytes) ?? Buffer.alloc(Math.min(maxBytes + 1, stat.size + 1));
}

function tooLarge(maxBytes: number): ReadFailure {
  return failed("too-large", `is more than the ${formatSize(maxBytes)} allowed`);
}

/** After each chunk: the result once the buffer is full or the file ended, else undefined to read on. */
function afterChunk(buffer: Buffer, filled: number, bytesRead: number, maxBytes: number): BoundedRead | undefined {
  if (filled > maxBytes) return tooLarge(maxBytes);
  if (bytesRead === 0 || filled === buffer.length) return { ok: true, bytes: buffer.subarray(0, filled) };
  return undefined;
}

async function readHandle(handle: FileHandle, maxBytes: number): Promise<BoundedRead> {
  const checked = checkStat(await handle.stat(), maxBytes);
  if (!Buffer.isBuffer(checked)) return checked;
  for (let filled = 0; ; ) {
    const { bytesRead } = await handle.read(checked, filled, checked.length - filled, filled);
    filled += bytesRead;
    const done = afterChunk(checked, filled, bytesRead, maxBytes);
    if (done) return done;
  }
}

export async function readBoundedFile(path: string, options: BoundedReadOptions): Promise<BoundedRead> {
  let handle: FileHandle;
  try {
    handle = await open(path, openFlags);
  } catch (e) {
    return openFailure(e);
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<BoundedRead>((resolve) => {
    timer = setTimeout(() => resolve(failed("timeout", `was not read within ${formatDuration(options.timeoutMs)}`)), options.timeoutMs);
  });
  try {
    return await Promise.race([readHandle(handle, options.maxBytes).catch(readFailure), deadline]);
  } finally {
    clearTimeout(timer);
    await handle.close().catch(() => undefined);
  }
}

export function readBoundedFileSync(path: string, maxBytes: number): BoundedRead {
  let fd: number;
  try {
    fd = openSync(path, openFlags);
  } catch (e) {
    return openFailure(e);
  }
  try {
    const checked = checkStat(fstatSync(fd), maxBytes);
    if (!Buffer.isBuffer(checked)) return checked;
    for (let filled = 0; ; ) {
      const bytesRead = readSync(fd, checked, filled, checked.length - filled, filled);
      filled += bytesRead;
      const done = afterChunk(checked, filled, bytesRead, maxBytes);
      if (done) return done;
    }
  } catch (e) {
    return readFailure(e);
  } finally {
    closeSync(fd);
  }
}

class GrewTooLarge extends Error {}

export type BoundedConsumption<T> = { readonly ok: true; readonly value: T } | ReadFailure;

/**
 * Hands the file's bytes to `consume` in chunks as they are read, under the same checks as the other
 * readers; what `consume` returns, or the problem with the file. What `consume` throws, other than
 * a failed read, passes through (a parse error is the caller's to word).
 */
export async function readBoundedFileInChunks<T>(path: string, maxBytes: number, consume: (chunks: AsyncIterable<Buffer>) => Promise<T>): Promise<BoundedConsumption<T>> {
  let handle: FileHandle;
  try {
    handle = await open(path, openFlags);
  } catch (e) {
    return openFailure(e);
  }
  try {
    const problem = statProblem(await handle.stat(), maxBytes);
    if (problem) return problem;
    return { ok: true, value: await consume(bounded(readChunks(handle), maxBytes)) };
  } catch (e) {
    if (e instanceof GrewTooLarge) return tooLarge(maxBytes);
    if (typeof (e as NodeJS.ErrnoException).code === "string" && (e as NodeJS.ErrnoException).syscall !== undefined) return readFailure(e);
    throw e;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The chunks, stopped with GrewTooLarge once they pass `maxBytes` (the file grew after its fstat). */
async function* bounded(chunks: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer, void, undefined> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > maxBytes) throw new GrewTooLarge();
    yield chunk;
  }
}
