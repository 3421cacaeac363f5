// The key of a workspace's session advisory lock: the first 8 bytes of sha256 over the schema and the
// workspace, as PostgreSQL's signed 64-bit key. One key per workspace, never one for the whole
// database, so that two workspaces apply at the same time; the schema is in it so that two schemas'
// workspaces of the same name do not block each other. A different prefix keys the lock that
// serializes schema migrations, so it can never be a workspace's.
import { createHash } from "node:crypto";

export interface AdvisoryLockKey {
  /** The bigint key, as decimal text for a `$n::bigint` parameter (a JS number cannot hold 64 bits). */
  readonly key: string;
  /** How pg_locks shows a bigint advisory key: the high and the low 32 bits, as unsigned oids. */
  readonly classid: string;
  readonly objid: string;
}

function keyOf(...parts: readonly string[]): AdvisoryLockKey {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest();
  const key = digest.readBigInt64BE(0);
  return { key: key.toString(), classid: String(digest.readUInt32BE(0)), objid: String(digest.readUInt32BE(4)) };
}

export function workspaceLockKey(schema: string, workspace: string): AdvisoryLockKey {
  return keyOf("fabricate state", schema, workspace);
}

export function migrationLockKey(schema: string): AdvisoryLockKey {
  return keyOf("fabricate migrations", schema);
}
