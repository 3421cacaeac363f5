// A workspace's lock in PostgreSQL: a session advisory lock, which the server releases by itself when the
// holder's connection ends (a killed process, a lost runner), plus a row in `locks` naming the holder.
//
// The advisory lock is the truth; the row is a label. A row left by a holder that died says nothing: a
// holder is reported only while its session (the row's backend_pid) holds the advisory lock in pg_locks,
// and the next taker overwrites the row. So no stale row ever blocks, and force-unlock is only for a
// live holder (a hung run), whose session it ends.
//
// Taking it is one short transaction: label the row first, then try the advisory lock, and roll the
// label back if the try fails. A second taker that finds the advisory lock held therefore always finds
// the holder's row either committed or locked by the holder's open transaction, and waits (a few
// milliseconds) on that row lock before reading it: it never reads the label of the previous holder.
// It tries once; waiting for a holder to finish is withStateLock's job.
import { newLockInfo } from "../lockHolder.js";
import { StateError, StateLockedError, type LockInfo } from "../stateStore.js";
import { workspaceLockKey, type AdvisoryLockKey } from "./advisoryLockKey.js";
import type { DatabaseSession } from "./connection.js";
import type { DatabaseLocation } from "./databaseUrl.js";
import type { StateTables } from "./stateSchema.js";

interface HolderRow {
  id: string;
  who: string;
  host: string | null;
  pid: number | null;
  operation: string;
  since: Date;
  backend_pid: number;
}

// How long force-unlock waits for the holder's session to end (pg_terminate_backend's timeout).
const terminateTimeoutMs = 5000;

export class WorkspaceLock {
  private readonly key: AdvisoryLockKey;
  private readonly where: string;
  /** The lock this session holds, if any. */
  private held: LockInfo | undefined;

  constructor(
    private readonly session: DatabaseSession,
    private readonly tables: StateTables,
    private readonly location: DatabaseLocation,
  ) {
    this.key = workspaceLockKey(location.schema, location.workspace);
    this.where = location.display;
  }

  async take(operation: string): Promise<LockInfo> {
    // The advisory lock stacks within a session: a second take on the same connection must fail as a
    // second process would.
    if (this.held) throw new StateLockedError(this.where, this.held);
    const info = newLockInfo(operation);
    const what = "lock the state";
    const workspace = this.location.workspace;
    await this.session.query(what, `INSERT INTO ${this.tables.locks} (workspace) VALUES ($1) ON CONFLICT (workspace) DO NOTHING`, [workspace]);
    try {
      await this.session.transaction(what, async () => {
        await this.session.query(
          what,
          `UPDATE ${this.tables.locks} SET id = $2, who = $3, host = $4, pid = $5, operation = $6, since = $7, backend_pid = pg_backend_pid() WHERE workspace = $1`,
          [workspace, info.id, info.who, info.host ?? null, info.pid ?? null, info.operation, info.created],
        );
        const { rows } = await this.session.query<{ taken: boolean }>(what, "SELECT pg_try_advisory_lock($1::bigint) AS taken", [this.key.key]);
        // Held elsewhere: throwing rolls the label back.
        if (!rows[0]?.taken) throw new HeldElsewhere();
      });
      return (this.held = info);
    } catch (e) {
      if (!(e instanceof HeldElsewhere)) throw e;
    }
    // Wait for a holder's lock transaction still in flight, then read its label.
    await this.session.query(what, `SELECT 1 FROM ${this.tables.locks} WHERE workspace = $1 FOR SHARE`, [workspace]);
    throw new StateLockedError(this.where, await this.holder());
  }

  /** Who holds the lock: the row, when its session holds the advisory lock now. */
  async holder(): Promise<LockInfo | undefined> {
    return (await this.labelledHolder())?.info;
  }

  /** The holder as its row names it, with its session's server process and this session's. */
  private async labelledHolder(): Promise<{ info: LockInfo; backendPid: number; ownPid: number } | undefined> {
    const { rows } = await this.session.query<HolderRow & { own_pid: number }>(
      "read the lock of the state",
      `SELECT l.id, l.who, l.host, l.pid, l.operation, l.since, l.backend_pid, pg_backend_pid() AS own_pid FROM ${this.tables.locks} l
        WHERE l.workspace = $1 AND l.id IS NOT NULL AND EXISTS (
          SELECT 1 FROM pg_locks p
           WHERE p.locktype = 'advisory' AND p.granted AND p.pid = l.backend_pid
             AND p.database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND p.classid = $2::oid AND p.objid = $3::oid AND p.objsubid = 1)`,
      [this.location.workspace, this.key.classid, this.key.objid],
    );
    const row = rows[0];
    return row && { info: lockInfoOf(row), backendPid: row.backend_pid, ownPid: row.own_pid };
  }

  /** Throws unless `lock` is the one this session holds and the row still names it. */
  async assertHeld(lock: LockInfo): Promise<void> {
    const { rows } = await this.session.query<{ ours: boolean }>(
      "check the lock of the state",
      `SELECT id = $2 AND backend_pid = pg_backend_pid() AS ours FROM ${this.tables.locks} WHERE workspace = $1`,
      [this.location.workspace, lock.id],
    );
    if (this.held?.id !== lock.id || rows[0]?.ours !== true) {
      throw new StateError(`the lock on ${this.where} is no longer ours (lock ID ${lock.id}); was it force-unlocked? Nothing was written`);
    }
  }

  async release(lock: LockInfo): Promise<void> {
    if (this.held?.id !== lock.id) throw new StateError(`the lock on ${this.where} is no longer ours (lock ID ${lock.id})`);
    this.held = undefined;
    // The server let go of the advisory lock when the session ended; there is nothing left to release.
    if (this.session.lost()) return;
    const what = "unlock the state";
    await this.session.query(what, "SELECT pg_advisory_unlock($1::bigint)", [this.key.key]);
    // After the advisory lock, so a next holder may already have relabelled the row: clear only ours.
    await this.clearLabel(what, lock.id);
  }

  private async clearLabel(what: string, id: string): Promise<void> {
    await this.session.query(
      what,
      `UPDATE ${this.tables.locks} SET id = NULL, who = NULL, host = NULL, pid = NULL, operation = NULL, since = NULL, backend_pid = NULL WHERE workspace = $1 AND id = $2`,
      [this.location.workspace, id],
    );
  }

  /** Ends the session of the holder with ID `id` (its advisory lock goes with it) and clears the row. */
  async breakHeld(id: string): Promise<LockInfo> {
    const what = "force-unlock the state";
    return this.session.transaction(what, async () => {
      // Keeps a taker's lock transaction from relabelling the row meanwhile.
      await this.session.query(what, `SELECT 1 FROM ${this.tables.locks} WHERE workspace = $1 FOR UPDATE`, [this.location.workspace]);
      const holder = await this.labelledHolder();
      if (!holder) throw new StateError(`the state ${this.where} is not locked`);
      if (holder.info.id !== id) throw new StateError(`the state ${this.where} is locked under ID ${holder.info.id}, not ${id}; nothing was unlocked`);
      if (holder.backendPid === holder.ownPid) {
        // This session holds it itself: let go rather than end our own connection.
        await this.session.query(what, "SELECT pg_advisory_unlock($1::bigint)", [this.key.key]);
        this.held = undefined;
      } else {
        const ended = await this.session.query<{ ended: boolean }>(what, "SELECT pg_terminate_backend($1, $2) AS ended", [holder.backendPid, terminateTimeoutMs]);
        if (!ended.rows[0]?.ended) {
          throw new StateError(`the session of the lock's holder (server process ${holder.backendPid}) did not end within ${terminateTimeoutMs / 1000}s; nothing was unlocked`);
        }
      }
      await this.clearLabel(what, id);
      return holder.info;
    });
  }
}

class HeldElsewhere extends Error {}

function lockInfoOf(row: HolderRow): LockInfo {
  return {
    id: row.id,
    who: row.who,
    operation: row.operation,
    created: row.since.toISOString(),
    ...(row.host !== null && { host: row.host }),
    ...(row.pid !== null && { pid: row.pid }),
  };
}
