// Reads a file that a config or a state names, as untrusted input: a pull request can point caFile or a
// file secret at a FIFO (the read would block while apply holds the state lock), at /dev/zero (the read
// would never end) or at a huge file. So the file is opened without blocking, must be a regular file by
// the handle's own fstat (not a path check that a swap could race), is read only up to a size cap, and
// the whole read is bounded by a deadline. Failures are values naming the problem, never the content.
//
// readBoundedFileSync does the same for the synchronous readers (config files, saved plans, synthesized
// directories), without the deadline: once a descriptor is known to be a regular file on a local disk,
// reading it cannot block, and those files come from the checkout.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { formatDuration } from "../duration.js";

export interface BoundedReadOptions {
  /** Larger files are refused. */
  readonly maxBytes: number;
  /** The read is abandoned after this long. */
  readonly timeoutMs: number;
}

export type ReadProblem = "missing" | "not-regular" | "too-large" | "unreadable" | "timeout";

export type BoundedRead =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly problem: ReadProblem; readonly reason: string };

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, outside any deadline.
const openFlags = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

const mebibyte = 1024 * 1024;

/** `2048 bytes`, `5 MiB`, `50.3 MiB`. */
function formatSize(bytes: number): string {
  return bytes < mebibyte ? `${bytes} bytes` : `${Number((bytes / mebibyte).toFixed(1))} MiB`;
}

function failed(problem: ReadProblem, reason: string): BoundedRead {
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

function openFailure(e: unknown): BoundedRead {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return failed("missing", "does not exist");
  if (code === "EACCES") return failed("unreadable", "cannot be read (permission denied)");
  return failed("unreadable", `cannot be opened (${code ?? "unknown error"})`);
}

function readFailure(e: unknown): BoundedRead {
  return failed("unreadable", `cannot be read (${(e as NodeJS.ErrnoException).code ?? "unknown error"})`);
}

/** Why the file behind a descriptor must not be read, or a buffer sized to notice it growing past the cap. */
function checkStat(stat: Stats, maxBytes: number): BoundedRead | Buffer {
  if (!stat.isFile()) return failed("not-regular", `is ${describeKind(stat.mode)}, not a regular file`);
  if (stat.size > maxBytes) return failed("too-large", `is ${formatSize(stat.size)}, more than the ${formatSize(maxBytes)} allowed`);
  // The file may grow between fstat and read: one byte past the cap notices.
  return Buffer.alloc(Math.min(maxBytes + 1, stat.size + 1));
}

/** After each chunk: the result once the buffer is full or the file ended, else undefined to read on. */
function afterChunk(buffer: Buffer, filled: number, bytesRead: number, maxBytes: number): BoundedRead | undefined {
  if (filled > maxBytes) return failed("too-large", `is more than the ${formatSize(maxBytes)} allowed`);
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
