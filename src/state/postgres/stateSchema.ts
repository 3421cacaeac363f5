// fabricate's tables in the state's schema, created on first use and versioned by a small migrations
// table, so that a later fabricate can change them in place. Nothing goes to `public`.
//
// - states: the current state of each workspace (the document as jsonb, with its serial and lineage
//   beside it for the compare-and-swap).
// - history: one row per write, appended in the write's own transaction; fabricate never updates or
//   deletes one.
// - locks: one row per workspace naming the holder of its advisory lock. The advisory lock is the lock;
//   the row only says who holds it, and is believed only while that session still holds it.
//
// Many runners may start at once against an empty database: CREATE SCHEMA IF NOT EXISTS and CREATE TABLE
// IF NOT EXISTS are not safe against each other (both may find nothing and one then fails on a unique
// index), so migrations run under a transaction-level advisory lock keyed by the schema. A database
// already at the current version is only read, so a role that may not create schemas can use a schema
// that someone else created.
import { StateError } from "../stateStore.js";
import { migrationLockKey } from "./advisoryLockKey.js";
import type { DatabaseSession } from "./connection.js";
import type { DatabaseLocation } from "./databaseUrl.js";

/** A schema's tables, as quoted SQL names. */
export interface StateTables {
  readonly schema: string;
  readonly migrations: string;
  readonly states: string;
  readonly history: string;
  readonly locks: string;
}

/** The identifier quoted as SQL wants it: the pattern check in databaseUrl.ts already allows no quote. */
function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function stateTables(schema: string): StateTables {
  const s = quoteIdentifier(schema);
  return { schema: s, migrations: `${s}.migrations`, states: `${s}.states`, history: `${s}.history`, locks: `${s}.locks` };
}

/** Each migration's statements, in order; a migration's version is its place in the list, from 1. */
const migrations: readonly ((t: StateTables) => readonly string[])[] = [
  (t) => [
    `CREATE TABLE ${t.states} (
      workspace text PRIMARY KEY,
      serial bigint NOT NULL,
      lineage text NOT NULL,
      data jsonb NOT NULL,
      updated_at timestamptz NOT NULL,
      updated_by text NOT NULL)`,
    `CREATE TABLE ${t.history} (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      workspace text NOT NULL,
      serial bigint NOT NULL,
      lineage text NOT NULL,
      at timestamptz NOT NULL,
      who text NOT NULL,
      operation text NOT NULL,
      plan_hash text)`,
    `CREATE INDEX history_by_workspace ON ${t.history} (workspace, id)`,
    // A row whose id is null names no holder: the row stays, so that a second taker always has a row
    // to wait on while the first one's lock transaction is open (see workspaceLock.ts).
    `CREATE TABLE ${t.locks} (
      workspace text PRIMARY KEY,
      id text,
      who text,
      host text,
      pid integer,
      operation text,
      since timestamptz,
      backend_pid integer,
      CHECK (id IS NULL OR (who IS NOT NULL AND operation IS NOT NULL AND since IS NOT NULL AND backend_pid IS NOT NULL)))`,
  ],
];

const schemaVersion = migrations.length;

/** Makes sure the schema holds the current tables; creates or upgrades them when it does not. */
export async function ensureStateSchema(session: DatabaseSession, location: DatabaseLocation): Promise<StateTables> {
  const tables = stateTables(location.schema);
  if ((await installedVersion(session, tables)) === schemaVersion) return tables;
  const what = `set up the schema ${location.schema} of the state`;
  try {
    await session.transaction(what, async () => {
      await session.query(what, "SELECT pg_advisory_xact_lock($1::bigint)", [migrationLockKey(location.schema).key]);
      await session.query(what, `CREATE SCHEMA IF NOT EXISTS ${tables.schema}`);
      await session.query(what, `CREATE TABLE IF NOT EXISTS ${tables.migrations} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const from = await installedVersion(session, tables);
      for (let version = from + 1; version <= schemaVersion; version++) {
        for (const statement of migrations[version - 1]!(tables)) await session.query(what, statement);
        await session.query(what, `INSERT INTO ${tables.migrations} (version) VALUES ($1)`, [version]);
      }
    });
  } catch (e) {
    if (e instanceof StateError && /SQLSTATE 42501\)$/.test(e.message)) {
      throw new StateError(
        `${e.message}. The schema ${location.schema} must be created once by a role that may: run fabricate once as such a role, ` +
          `or have an administrator run CREATE SCHEMA ${location.schema} AUTHORIZATION ${location.user} (or GRANT CREATE ON DATABASE ${location.database} TO ${location.user})`,
      );
    }
    throw e;
  }
  return tables;
}

/** The highest migration applied, 0 when the schema or its migrations table does not exist yet. */
async function installedVersion(session: DatabaseSession, tables: StateTables): Promise<number> {
  const what = "read the version of the schema of the state";
  const { rows } = await session.query<{ present: boolean }>(what, "SELECT to_regclass($1) IS NOT NULL AS present", [tables.migrations]);
  if (!rows[0]?.present) return 0;
  const version = (await session.query<{ version: number | null }>(what, `SELECT max(version) AS version FROM ${tables.migrations}`)).rows[0]?.version ?? 0;
  if (version > schemaVersion) {
    throw new StateError(`the schema ${tables.schema} of the state is at version ${version}, newer than this fabricate knows (${schemaVersion}): upgrade fabricate`);
  }
  return version;
}
