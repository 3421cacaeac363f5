// A real PostgreSQL server for one test file (src/demo/localPostgresServer.ts: Debian's PostgreSQL 15 in
// a temporary directory on 127.0.0.1, password authentication on), started before its tests and stopped
// after them. Missing binaries fail the file loudly, saying how to install them: nothing is skipped.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { startLocalPostgres, type LocalPostgresOptions, type LocalPostgresServer } from "../../src/demo/localPostgresServer.js";

export type { LocalPostgresServer } from "../../src/demo/localPostgresServer.js";

/** Starts a server for the calling test file; the returned function gives it once the file's tests run. */
export function postgresForThisFile(options: LocalPostgresOptions = {}): () => LocalPostgresServer {
  let server: LocalPostgresServer | undefined;
  beforeAll(async () => {
    server = await startLocalPostgres(options);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  }, 60_000);
  return () => {
    if (!server) throw new Error("the PostgreSQL server is not running (did its beforeAll fail?)");
    return server;
  };
}

/** A schema name no other test uses, so that each test starts from an empty store. */
export function freshSchema(): string {
  return `t_${randomBytes(6).toString("hex")}`;
}

/** The environment a CLI run needs to reach the server: the password as libpq habits give it. */
export function passwordEnv(server: LocalPostgresServer): Record<string, string> {
  return { PGPASSWORD: server.password };
}
