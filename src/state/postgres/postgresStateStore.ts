// The shared state store in PostgreSQL, for teams whose CI applies from many machines: one database holds
// many workspaces (one state each) in fabricate's own schema (stateSchema.ts), locked per workspace by a
// session advisory lock that dies with its holder (workspaceLock.ts), all on one pinned connection
// (connection.ts).
//
// A write is one transaction: check that this session still holds the lock, compare-and-swap the state
// row on the serial and lineage it replaces (an UPDATE that matches nothing, or an INSERT that meets an
// existing row, changes nothing), and append the history row. A writer killed or cut off at any point
// leaves the state as it was or as it wrote it, never a mix.
//
// What is read back is the same document every store holds, checked by the same parseState: a row
// edited by hand into another shape, or whose serial and lineage columns disagree with its document, is
// reported and never overwritten (a write only replaces the version it names).
//
// Test hook: FABRICATE_TEST_PAUSE_IN_WRITE_MS=N holds a writer N ms inside its write transaction (state
// and history written, not committed), so that tests can kill it, or stop the server, right there.
import { whoAmI } from "../lockHolder.js";
import { parseState, serializeState } from "../stateDocument.js";
import {
  StateConflictError,
  StateError,
  type HistoryEntry,
  type LockInfo,
  type State,
  type StateStore,
  type StateVersion,
  type WriteMeta,
} from "../stateStore.js";
import { connectToDatabase, type DatabaseSession } from "./connection.js";
import { parseDatabaseUrl, type DatabaseLocation } from "./databaseUrl.js";
import { ensureStateSchema, type StateTables } from "./stateSchema.js";
import { WorkspaceLock } from "./workspaceLock.js";

/** Connects to the state that `url` names, setting up its schema on first use. */
export async function openPostgresStateStore(url: string): Promise<StateStore> {
  const location = parseDatabaseUrl(url);
  const session = await connectToDatabase(location);
  try {
    return new PostgresStateStore(session, await ensureStateSchema(session, location), location);
  } catch (e) {
    await session.close();
    throw e;
  }
}

interface StateRow {
  serial: string;
  lineage: string;
  data: string;
}

interface HistoryRow {
  serial: string;
  lineage: string;
  at: Date;
  who: string;
  operation: string;
  plan_hash: string | null;
}

class PostgresStateStore implements StateStore {
  private readonly workspaceLock: WorkspaceLock;
  private readonly where: string;
  private readonly recovery: string;

  constructor(
    private readonly session: DatabaseSession,
    private readonly tables: StateTables,
    private readonly location: DatabaseLocation,
  ) {
    this.workspaceLock = new WorkspaceLock(session, tables, location);
    this.where = location.display;
    this.recovery = `it was left as it is: fix the row of workspace ${location.workspace} in ${location.schema}.states by hand`;
  }

  describe(): string {
    return this.where;
  }

  async read(): Promise<State | undefined> {
    const { rows } = await this.session.query<StateRow>(
      "read the state",
      `SELECT serial::text AS serial, lineage, data::text AS data FROM ${this.tables.states} WHERE workspace = $1`,
      [this.location.workspace],
    );
    const row = rows[0];
    if (!row) return undefined;
    const state = parseState(row.data, this.where, this.recovery);
    if (String(state.serial) !== row.serial || state.lineage !== row.lineage) {
      throw new StateError(
        `the state ${this.where} does not agree with itself: its row is serial ${row.serial} of lineage ${row.lineage}, ` +
          `its document serial ${state.serial} of lineage ${state.lineage}; ${this.recovery}`,
      );
    }
    return state;
  }

  lock(operation: string): Promise<LockInfo> {
    return this.workspaceLock.take(operation);
  }

  async write(next: State, lock: LockInfo, expected: StateVersion | undefined, meta: WriteMeta): Promise<void> {
    const what = "write the state";
    const workspace = this.location.workspace;
    await this.session.transaction(
      what,
      async () => {
        await this.workspaceLock.assertHeld(lock);
        const swapped =
          expected === undefined
            ? await this.session.query(
                what,
                `INSERT INTO ${this.tables.states} (workspace, serial, lineage, data, updated_at, updated_by) VALUES ($1, $2, $3, $4::jsonb, now(), $5)
                 ON CONFLICT (workspace) DO NOTHING`,
                [workspace, next.serial, next.lineage, serializeState(next), whoAmI()],
              )
            : await this.session.query(
                what,
                `UPDATE ${this.tables.states} SET serial = $2, lineage = $3, data = $4::jsonb, updated_at = now(), updated_by = $5
                  WHERE workspace = $1 AND serial = $6 AND lineage = $7`,
                [workspace, next.serial, next.lineage, serializeState(next), whoAmI(), expected.serial, expected.lineage],
              );
        if (swapped.rowCount !== 1) throw new StateConflictError(this.where, expected, await this.currentVersion());
        await this.session.query(
          what,
          `INSERT INTO ${this.tables.history} (workspace, serial, lineage, at, who, operation, plan_hash) VALUES ($1, $2, $3, now(), $4, $5, $6)`,
          [workspace, next.serial, next.lineage, whoAmI(), meta.operation, meta.planHash ?? null],
        );
        const pauseMs = Number(process.env.FABRICATE_TEST_PAUSE_IN_WRITE_MS ?? 0);
        if (pauseMs > 0) await this.session.pause(pauseMs);
      },
      (reason) =>
        `the connection to the state ${this.where} was lost while committing serial ${next.serial} (${reason}): ` +
        "the state is whole, either as it was or with this write; see which with fabricate state history",
    );
  }

  unlock(lock: LockInfo): Promise<void> {
    return this.workspaceLock.release(lock);
  }

  lockHolder(): Promise<LockInfo | undefined> {
    return this.workspaceLock.holder();
  }

  forceUnlock(id: string): Promise<LockInfo> {
    return this.workspaceLock.breakHeld(id);
  }

  async history(): Promise<readonly HistoryEntry[]> {
    const { rows } = await this.session.query<HistoryRow>(
      "read the history of the state",
      `SELECT serial::text AS serial, lineage, at, who, operation, plan_hash FROM ${this.tables.history} WHERE workspace = $1 ORDER BY id`,
      [this.location.workspace],
    );
    return rows.map((r) => ({
      serial: Number(r.serial),
      lineage: r.lineage,
      at: r.at.toISOString(),
      who: r.who,
      operation: r.operation,
      ...(r.plan_hash !== null && { planHash: r.plan_hash }),
    }));
  }

  async close(): Promise<void> {
    await this.session.close();
  }

  /** The serial and lineage of the row as it is now, for a conflict's message. */
  private async currentVersion(): Promise<StateVersion | undefined> {
    const { rows } = await this.session.query<{ serial: string; lineage: string }>(
      "read the state",
      `SELECT serial::text AS serial, lineage FROM ${this.tables.states} WHERE workspace = $1`,
      [this.location.workspace],
    );
    const row = rows[0];
    return row && { serial: Number(row.serial), lineage: row.lineage };
  }
}
