// The embedded state store: one JSON file (default .fabricate/state.json) beside its lock, its backup and
// its history.
//
// A write never leaves a broken file behind: the new state goes to a temporary file in the same
// directory, is fsynced, and replaces the old one by rename (atomic on POSIX), after which the directory
// is fsynced so the rename itself survives a crash. The previous state stays as `<file>.backup` (a hard
// link, so keeping it costs no copy and cannot be half-written either). Each write then appends one
// line to `<file>.history.jsonl`; a line lost to a crash in between costs history, never state.
//
// The lock is `<file>.lock`, holding {id, who, operation, created, host, pid}. It is created complete or
// not at all: written to a private file first and then hard-linked to the lock's name, which fails if
// a lock exists. Only this host can tell whether a holder died, so the lock's message says so when it can.
//
// Test hook: FABRICATE_TEST_PAUSE_BEFORE_RENAME_MS=N sleeps N ms between writing the temporary file and
// the rename, the one window in which a crash could matter, so that tests can SIGKILL a writer there.
import { randomUUID } from "node:crypto";
import { constants, type BigIntStats } from "node:fs";
import { appendFile, link, mkdir, open, readFile, readdir, rename, stat, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { isHolderDeadOnThisHost, newLockInfo, whoAmI } from "./lockHolder.js";
import { parseHistory, serializeHistoryEntry } from "./historyLines.js";
import { readChunks, writePieces } from "../files/chunkedFile.js";
import { parseStateChunks, stateChunks } from "./stateDocument.js";
import {
  StateConflictError,
  StateError,
  StateLockedError,
  versionOf,
  type HistoryEntry,
  type LockInfo,
  type State,
  type StateStore,
  type StateVersion,
  type WriteMeta,
} from "./stateStore.js";

export class LocalStateStore implements StateStore {
  private readonly lockPath: string;
  private readonly backupPath: string;
  private readonly historyPath: string;
  /** The state file as this store last read or wrote it. */
  private known?: { readonly identity: FileIdentity | undefined; readonly version: StateVersion | undefined };

  constructor(private readonly path: string) {
    this.lockPath = `${path}.lock`;
    this.backupPath = `${path}.backup`;
    this.historyPath = `${path}.history.jsonl`;
  }

  describe(): string {
    return this.path;
  }

  async read(): Promise<State | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, constants.O_RDONLY);
    } catch (e) {
      if (errorCode(e) === "ENOENT") return (this.known = { identity: undefined, version: undefined }).version;
      throw this.readError(e);
    }
    try {
      const identity = fileIdentity(await handle.stat({ bigint: true }));
      const state = await parseStateChunks(readChunks(handle), this.path, `it was left as it is: restore it from ${this.backupPath} or fix it by hand`);
      this.known = { identity, version: versionOf(state) };
      return state;
    } catch (e) {
      throw e instanceof StateError ? e : this.readError(e);
    } finally {
      await handle.close();
    }
  }

  private readError(e: unknown): StateError {
    return new StateError(`cannot read the state ${this.path} (${errorCode(e) ?? "unknown error"})`);
  }

  /**
   * The version of the state on disk now, for the compare-and-swap. Parsing a large state again costs a
   * second or more at 100,000 connections, so the file's identity (inode, size, modification time) as
   * this store last read or wrote it stands in for its content while it is unchanged.
   */
  private async currentVersion(): Promise<StateVersion | undefined> {
    const stat = await statIfExists(this.path);
    const identity = stat && fileIdentity(stat);
    if (this.known && sameIdentity(this.known.identity, identity)) return this.known.version;
    return versionOf(await this.read());
  }

  async lock(operation: string): Promise<LockInfo> {
    const info = newLockInfo(operation);
    const pending = `${this.lockPath}.${info.id}`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeDurably(pending, [`${JSON.stringify(info, null, 2)}\n`]);
    } catch (e) {
      await unlink(pending).catch(() => undefined);
      throw new StateError(`cannot lock the state ${this.path} (${errorCode(e) ?? (e as Error).message})`);
    }
    try {
      await link(pending, this.lockPath);
      return info;
    } catch (e) {
      if (errorCode(e) !== "EEXIST") throw new StateError(`cannot lock the state ${this.path} (${errorCode(e) ?? (e as Error).message})`);
      const holder = await this.lockHolder();
      throw new StateLockedError(this.path, holder, holder !== undefined && isHolderDeadOnThisHost(holder));
    } finally {
      await unlink(pending).catch(() => undefined);
    }
  }

  async write(next: State, lock: LockInfo, expected: StateVersion | undefined, meta: WriteMeta): Promise<void> {
    await this.assertHeld(lock);
    const found = await this.currentVersion();
    if (found?.serial !== expected?.serial || found?.lineage !== expected?.lineage) throw new StateConflictError(this.path, expected, found);
    const dir = dirname(this.path);
    const temporary = `${this.path}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
    try {
      await this.removeStaleTemporaries(dir);
      await writeDurably(temporary, stateChunks(next));
      const pauseMs = Number(process.env.FABRICATE_TEST_PAUSE_BEFORE_RENAME_MS ?? 0);
      if (pauseMs > 0) await sleep(pauseMs);
      await this.keepBackup();
      await rename(temporary, this.path);
      await fsyncDirectory(dir);
    } catch (e) {
      await unlink(temporary).catch(() => undefined);
      throw new StateError(`cannot write the state ${this.path} (${errorCode(e) ?? (e as Error).message})`);
    }
    const written = await statIfExists(this.path);
    this.known = { identity: written && fileIdentity(written), version: versionOf(next) };
    const entry: HistoryEntry = { serial: next.serial, lineage: next.lineage, at: new Date().toISOString(), who: whoAmI(), ...meta };
    await appendFile(this.historyPath, serializeHistoryEntry(entry)).catch((e: unknown) => {
      throw new StateError(`the state ${this.path} was written (serial ${next.serial}), but its history ${this.historyPath} could not be (${errorCode(e) ?? "unknown error"})`);
    });
  }

  async unlock(lock: LockInfo): Promise<void> {
    await this.assertHeld(lock);
    await unlink(this.lockPath);
  }

  async lockHolder(): Promise<LockInfo | undefined> {
    try {
      const value = JSON.parse(await readFile(this.lockPath, "utf8")) as Partial<LockInfo>;
      return typeof value.id === "string" && typeof value.who === "string" && typeof value.operation === "string" && typeof value.created === "string"
        ? {
            id: value.id,
            who: value.who,
            operation: value.operation,
            created: value.created,
            ...(typeof value.host === "string" && { host: value.host }),
            ...(Number.isSafeInteger(value.pid) && { pid: value.pid }),
          }
        : undefined;
    } catch {
      return undefined;
    }
  }

  async forceUnlock(id: string): Promise<LockInfo> {
    const holder = await this.lockHolder();
    if (holder === undefined) {
      try {
        await readFile(this.lockPath);
      } catch (e) {
        if (errorCode(e) === "ENOENT") throw new StateError(`the state ${this.path} is not locked`);
      }
      throw new StateError(`the lock ${this.lockPath} cannot be read; remove it by hand once no fabricate process runs`);
    }
    if (holder.id !== id) throw new StateError(`the state ${this.path} is locked under ID ${holder.id}, not ${id}; nothing was unlocked`);
    await unlink(this.lockPath);
    return holder;
  }

  async history(): Promise<readonly HistoryEntry[]> {
    let text: string;
    try {
      text = await readFile(this.historyPath, "utf8");
    } catch (e) {
      if (errorCode(e) === "ENOENT") return [];
      throw new StateError(`cannot read the state's history ${this.historyPath} (${errorCode(e) ?? "unknown error"})`);
    }
    return parseHistory(text);
  }

  async close(): Promise<void> {
    // Nothing to let go of: every call opens and closes its own files.
  }

  private async assertHeld(lock: LockInfo): Promise<void> {
    const holder = await this.lockHolder();
    if (holder?.id !== lock.id) {
      throw new StateError(`the lock on ${this.path} is no longer ours (lock ID ${lock.id}); was it force-unlocked? Nothing was written`);
    }
  }

  /** Keeps the current state as the backup: a hard link, put in place by rename so it is never half there. */
  private async keepBackup(): Promise<void> {
    const pending = `${this.backupPath}.tmp-${process.pid}`;
    await unlink(pending).catch(() => undefined);
    try {
      await link(this.path, pending);
    } catch (e) {
      if (errorCode(e) === "ENOENT") return;
      throw e;
    }
    await rename(pending, this.backupPath);
  }

  /** Temporary files of writers that died mid-write; only the lock holder writes them, so they are safe to remove. */
  private async removeStaleTemporaries(dir: string): Promise<void> {
    const prefix = `${basename(this.path)}.tmp-`;
    const backupPrefix = `${basename(this.backupPath)}.tmp-`;
    for (const name of await readdir(dir)) {
      if (name.startsWith(prefix) || name.startsWith(backupPrefix)) await unlink(join(dir, name)).catch(() => undefined);
    }
  }
}

async function writeDurably(path: string, pieces: Generator<string> | readonly string[]): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  try {
    await writePieces(handle, pieces);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

interface FileIdentity {
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
}

function fileIdentity(stat: BigIntStats): FileIdentity {
  return { ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs };
}

function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}

async function statIfExists(path: string): Promise<BigIntStats | undefined> {
  try {
    return await stat(path, { bigint: true });
  } catch (e) {
    if (errorCode(e) === "ENOENT") return undefined;
    throw e;
  }
}

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}
