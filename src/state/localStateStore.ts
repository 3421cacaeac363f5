// The embedded state store: one JSON file (default .fabricate/state.json) beside its lock and its backup.
//
// A write never leaves a broken file behind: the new state goes to a temporary file in the same
// directory, is fsynced, and replaces the old one by rename (atomic on POSIX), after which the directory
// is fsynced so the rename itself survives a crash. The previous state stays as `<file>.backup` (a hard
// link, so keeping it costs no copy and cannot be half-written either).
//
// The lock is `<file>.lock`, holding {id, who, operation, created}. It is created complete or not at all:
// written to a private file first and then hard-linked to the lock's name, which fails if a lock exists.
//
// Test hook: FABRICATE_TEST_PAUSE_BEFORE_RENAME_MS=N sleeps N ms between writing the temporary file and
// the rename, the one window in which a crash could matter, so that tests can SIGKILL a writer there.
import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { link, mkdir, open, readFile, readdir, rename, unlink } from "node:fs/promises";
import { hostname, userInfo } from "node:os";
import { basename, dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { defaultStatePath } from "./defaultStatePath.js";
import { parseState, serializeState } from "./stateDocument.js";
import { StateError, StateLockedError, type LockInfo, type State, type StateStore } from "./stateStore.js";


const lockPollMs = 100;

export class LocalStateStore implements StateStore {
  private readonly lockPath: string;
  private readonly backupPath: string;

  constructor(private readonly path: string) {
    this.lockPath = `${path}.lock`;
    this.backupPath = `${path}.backup`;
  }

  describe(): string {
    return this.path;
  }

  async read(): Promise<State | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (e) {
      if (errorCode(e) === "ENOENT") return undefined;
      throw new StateError(`cannot read the state ${this.path}: ${(e as Error).message}`);
    }
    return parseState(text, this.path);
  }

  async lock(operation: string, timeoutMs: number): Promise<LockInfo> {
    const info: LockInfo = { id: randomUUID(), who: whoAmI(), operation, created: new Date().toISOString(), host: hostname(), pid: process.pid };
    const pending = `${this.lockPath}.${info.id}`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeDurably(pending, `${JSON.stringify(info, null, 2)}\n`);
    } catch (e) {
      await unlink(pending).catch(() => undefined);
      throw new StateError(`cannot lock the state ${this.path}: ${(e as Error).message}`);
    }
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        try {
          await link(pending, this.lockPath);
          return info;
        } catch (e) {
          if (errorCode(e) !== "EEXIST") throw new StateError(`cannot lock the state ${this.path}: ${(e as Error).message}`);
        }
        if (Date.now() >= deadline) {
          const holder = await this.holder();
          throw new StateLockedError(this.path, holder, holder !== undefined && diedOnThisHost(holder));
        }
        await sleep(Math.min(lockPollMs, Math.max(1, deadline - Date.now())));
      }
    } finally {
      await unlink(pending).catch(() => undefined);
    }
  }

  async write(state: State, lock: LockInfo): Promise<void> {
    await this.assertHeld(lock);
    const dir = dirname(this.path);
    const temporary = `${this.path}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
    try {
      await this.removeStaleTemporaries(dir);
      await writeDurably(temporary, serializeState(state));
      const pauseMs = Number(process.env.FABRICATE_TEST_PAUSE_BEFORE_RENAME_MS ?? 0);
      if (pauseMs > 0) await sleep(pauseMs);
      await this.keepBackup();
      await rename(temporary, this.path);
      await fsyncDirectory(dir);
    } catch (e) {
      await unlink(temporary).catch(() => undefined);
      throw new StateError(`cannot write the state ${this.path}: ${(e as Error).message}`);
    }
  }

  async unlock(lock: LockInfo): Promise<void> {
    await this.assertHeld(lock);
    await unlink(this.lockPath);
  }

  async forceUnlock(id: string): Promise<void> {
    const holder = await this.holder();
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
  }

  private async holder(): Promise<LockInfo | undefined> {
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

  private async assertHeld(lock: LockInfo): Promise<void> {
    const holder = await this.holder();
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

export function openStateStore(path: string = defaultStatePath): StateStore {
  return new LocalStateStore(path);
}

async function writeDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  try {
    await handle.writeFile(text, "utf8");
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

/** True only when the holder ran on this host and its process is gone; a holder elsewhere may be alive. */
function diedOnThisHost(holder: LockInfo): boolean {
  if (holder.host !== hostname() || holder.pid === undefined) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    return errorCode(e) === "ESRCH";
  }
}

function whoAmI(): string {
  let user = process.env.USER ?? "unknown";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's USER will do.
  }
  return `${user}@${hostname()} pid ${process.pid}`;
}

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}
