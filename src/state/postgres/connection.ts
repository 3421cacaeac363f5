// One connection to the state's database, and what went wrong with it in words a user can act on.
//
// The store works on one pinned connection (a dedicated pg Client, never a pool): the session advisory
// lock belongs to the session that took it, so the lock, every write made under it and its release must
// travel on the same connection, for the whole apply. This is also why transaction-mode poolers
// (PgBouncer's pool_mode=transaction) cannot sit in between: they hand each transaction to any server
// session, and a session lock taken through them is held by a session the client no longer talks to.
//
// A message never holds the password: the server's messages do not quote it, and every message made here
// passes through the redactor with the password that was sent, should anything ever echo it.
import { setTimeout as sleep } from "node:timers/promises";
import { Client, DatabaseError, type QueryResult, type QueryResultRow } from "pg";
import { redactor } from "../../secrets/redact.js";
import { StateError } from "../stateStore.js";
import type { DatabaseLocation } from "./databaseUrl.js";
import { passwordLookup } from "./password.js";
import { tlsAttempts } from "./tlsOptions.js";

/** The pinned connection, with every failure turned into a StateError that names the state. */
export class DatabaseSession {
  constructor(
    private readonly client: Client,
    private readonly where: string,
    /** Makes a message safe to print: the password never leaves in it. */
    readonly redact: (text: string) => string,
    /** The error the connection dropped with (the server stopped, the session was ended), if it did. */
    readonly lost: () => Error | undefined,
  ) {}

  /** Runs one statement; `what` says what it was for in the error (`cannot read the state …`). */
  async query<Row extends QueryResultRow = QueryResultRow>(what: string, sql: string, parameters: readonly unknown[] = []): Promise<QueryResult<Row>> {
    try {
      return await this.client.query<Row>(sql, parameters as unknown[]);
    } catch (e) {
      throw new StateError(this.redact(`cannot ${what} ${this.where}: ${databaseProblem(e)}`));
    }
  }

  /**
   * Runs `body` in one transaction: committed when it returns, rolled back when it throws (and a
   * lost connection rolls back by itself on the server). `onCommitLost` words the one case where the
   * outcome is unknown: the connection dropped while COMMIT was on its way.
   */
  async transaction<T>(what: string, body: () => Promise<T>, onCommitLost?: (reason: string) => string): Promise<T> {
    await this.query(what, "BEGIN");
    let result: T;
    try {
      result = await body();
    } catch (e) {
      await this.client.query("ROLLBACK").catch(() => undefined);
      throw e;
    }
    // Dropped before COMMIT left: the server has rolled the transaction back, so nothing was written.
    const lost = this.lost();
    if (lost) throw new StateError(this.redact(`cannot ${what} ${this.where}: ${databaseProblem(lost)}; nothing was written`));
    try {
      await this.client.query("COMMIT");
    } catch (e) {
      const reason = databaseProblem(e);
      throw new StateError(this.redact(onCommitLost ? onCommitLost(reason) : `cannot ${what} ${this.where}: ${reason}`));
    }
    return result;
  }

  /** Waits `ms`, or less if the connection drops meanwhile (for the test hook that holds a writer). */
  async pause(ms: number): Promise<void> {
    if (this.lost()) return;
    const controller = new AbortController();
    const dropped = () => controller.abort();
    this.client.once("end", dropped);
    try {
      await sleep(ms, undefined, { signal: controller.signal }).catch(() => undefined);
    } finally {
      this.client.off("end", dropped);
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

export async function connectToDatabase(location: DatabaseLocation): Promise<DatabaseSession> {
  let sent: string | undefined;
  const lookup = passwordLookup(location);
  const password = async () => (sent = await lookup());
  const redact = (text: string) => redactor(sent === undefined ? [] : [sent])(text);

  const attempts = await tlsAttempts(location);
  for (const [index, ssl] of attempts.entries()) {
    const client = new Client({
      host: location.host,
      port: location.port,
      database: location.database,
      user: location.user,
      password,
      ssl,
      connectionTimeoutMillis: location.connectTimeoutMs,
      application_name: "fabricate",
      keepAlive: true,
    });
    let lost: Error | undefined;
    // Without a listener, a connection that drops between queries would end the process.
    client.on("error", (e) => (lost ??= e));
    try {
      await client.connect();
      return new DatabaseSession(client, location.display, redact, () => lost);
    } catch (e) {
      await client.end().catch(() => undefined);
      // sslmode=prefer: the server has no TLS, so try again in plain text, as libpq does.
      const noTls = e instanceof Error && e.message === "The server does not support SSL connections";
      if (noTls && index < attempts.length - 1) continue;
      throw new StateError(redact(`cannot connect to the state ${location.display} as user ${location.user}: ${connectionProblem(e, location)}`));
    }
  }
  throw new Error("bug: no connection attempt was made");
}

/** Why connecting failed, from pg's, Node's or the server's error. */
function connectionProblem(e: unknown, location: DatabaseLocation): string {
  if (e instanceof StateError) return e.message;
  const error = e as NodeJS.ErrnoException;
  const at = `${location.host}:${location.port}`;
  switch (error.code) {
    case "ECONNREFUSED":
      return `nothing accepts connections at ${at} (ECONNREFUSED): is the server running, and is that its address?`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `the host ${location.host} does not resolve (${error.code})`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "ETIMEDOUT":
      return `${at} cannot be reached (${error.code})`;
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return `the server's certificate is not issued for ${location.host} (ERR_TLS_CERT_ALTNAME_INVALID; sslmode=${location.sslmode})`;
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "CERT_HAS_EXPIRED":
    case "CERT_NOT_YET_VALID":
      return `the server's certificate is not trusted (${error.code}; sslmode=${location.sslmode}): give the CA that signed it with sslrootcert=FILE`;
  }
  if (error.message === "The server does not support SSL connections") {
    return `the server does not offer TLS, and sslmode=${location.sslmode} requires it`;
  }
  if (error.message === "timeout expired") return `no answer within ${location.connectTimeoutMs / 1000}s (connect_timeout)`;
  return databaseProblem(e);
}

/** Why a statement failed: the server's own words (with its SQLSTATE), or the connection's end. */
function databaseProblem(e: unknown): string {
  if (e instanceof DatabaseError) return `the server said: ${e.message} (SQLSTATE ${e.code ?? "unknown"})`;
  const message = e instanceof Error ? e.message : String(e);
  if (/^Connection terminated|^Client was closed|not queryable/.test(message)) return `the connection to the server was lost (${message})`;
  return message;
}
