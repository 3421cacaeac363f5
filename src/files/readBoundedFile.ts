// Reads a file that a config or a state names, as untrusted input: a pull request can point caFile or a
// file secret at a FIFO (the read would block while apply holds the state lock), at /dev/zero (the read
// would never end) or at a huge file. So the file is opened without blocking, must be a regular file by
// the handle's own fstat (not a path check that a swap could race), is read only up to a size cap, and
// the whole read is bounded by a deadline. Failures are values naming the file, never its content.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";

export interface BoundedReadOptions {
  /** Larger files are refused. */
  readonly maxBytes: number;
  /** The read is abandoned after this long. */
  readonly timeoutMs: number;
}

export type BoundedRead = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly reason: string };

function describeKind(mode: number): string {
  const type = mode & constants.S_IFMT;
  if (type === constants.S_IFDIR) return "a directory";
  if (type === constants.S_IFIFO) return "a pipe (FIFO)";
  if (type === constants.S_IFCHR) return "a character device";
  if (type === constants.S_IFBLK) return "a block device";
  if (type === constants.S_IFSOCK) return "a socket";
  return "not a regular file";
}

async function readHandle(handle: FileHandle, options: BoundedReadOptions): Promise<BoundedRead> {
  const stat = await handle.stat();
  if (!stat.isFile()) return { ok: false, reason: `is ${describeKind(stat.mode)}, not a regular file` };
  if (stat.size > options.maxBytes) return { ok: false, reason: `is ${stat.size} bytes, more than the ${options.maxBytes} allowed` };
  // The file may grow between fstat and read: read one byte past the cap to notice.
  const buffer = Buffer.alloc(Math.min(options.maxBytes + 1, Math.max(stat.size + 1, 1)));
  let filled = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
    if (filled > options.maxBytes) return { ok: false, reason: `is more than the ${options.maxBytes} bytes allowed` };
    if (filled === buffer.length) break;
  }
  return { ok: true, bytes: buffer.subarray(0, filled) };
}

export async function readBoundedFile(path: string, options: BoundedReadOptions): Promise<BoundedRead> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, outside any deadline.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, reason: "does not exist" };
    if (code === "EACCES") return { ok: false, reason: "cannot be read (permission denied)" };
    return { ok: false, reason: `cannot be opened (${code ?? "unknown error"})` };
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<BoundedRead>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `was not read within ${options.timeoutMs}ms` }), options.timeoutMs);
  });
  try {
    return await Promise.race([
      readHandle(handle, options).catch((e: NodeJS.ErrnoException): BoundedRead => ({ ok: false, reason: `cannot be read (${e.code ?? "unknown error"})` })),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
    await handle.close().catch(() => undefined);
  }
}

/**
 * The same checks for code that reads synchronously (loading a config): no deadline is needed, since
 * a non-blocking open and an fstat that refuses anything but a regular file leave nothing to wait on.
 */
export function readBoundedFileSync(path: string, maxBytes: number): BoundedRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, reason: "does not exist" };
    if (code === "EACCES") return { ok: false, reason: "cannot be read (permission denied)" };
    return { ok: false, reason: `cannot be opened (${code ?? "unknown error"})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: `is ${describeKind(stat.mode)}, not a regular file` };
    if (stat.size > maxBytes) return { ok: false, reason: `is ${stat.size} bytes, more than the ${maxBytes} allowed` };
    const buffer = Buffer.alloc(maxBytes + 1);
    let filled = 0;
    for (;;) {
      const read = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (read === 0) break;
      filled += read;
      if (filled > maxBytes) return { ok: false, reason: `is more than the ${maxBytes} bytes allowed` };
    }
    return { ok: true, bytes: buffer.subarray(0, filled) };
  } catch (e) {
    return { ok: false, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? "unknown error"})` };
  } finally {
    closeSync(fd);
  }
}
