// The --state URL of the shared store, read the way libpq reads a connection URI, as far as fabricate
// uses one: postgres[ql]://user@host:port/database?schema=S&workspace=W&sslmode=M&sslrootcert=FILE
// &connect_timeout=SECONDS. What the URL leaves out comes from libpq's environment variables (PGUSER,
// PGSSLMODE, PGSSLROOTCERT, PGCONNECT_TIMEOUT) and then libpq's defaults, so a CI job set up for psql
// works unchanged.
//
// A password in the URL is refused: --state and FABRICATE_STATE end up in shell history, CI logs and
// every message that names the state. The password comes from PGPASSWORD or ~/.pgpass instead
// (password.ts). No message here quotes the text of a URL that holds one.
//
// `schema` and `workspace` are checked against identifier patterns: the schema is written into SQL (as a
// quoted identifier, never raw), the workspace into every message and lock key.
import { userInfo } from "node:os";
import { StateError } from "../stateStore.js";

export type SslMode = "disable" | "prefer" | "require" | "verify-ca" | "verify-full";

export interface DatabaseLocation {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** Where fabricate's tables live; never `public`. */
  readonly schema: string;
  /** Which state in that schema: one database serves many configs. */
  readonly workspace: string;
  readonly sslmode: SslMode;
  /** A CA file, or `system` for the system's CAs; libpq's default file when undefined. */
  readonly sslrootcert?: string;
  readonly connectTimeoutMs: number;
  /** The URL for messages: as given, which never holds a password (one is refused). */
  readonly display: string;
}

const defaultSchema = "fabricate";
const defaultWorkspace = "default";

// An unquoted PostgreSQL identifier in lower case, at most 63 bytes (NAMEDATALEN - 1).
const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;
// Like every other name in fabricate: a slug.
const workspacePattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const sslModes: readonly string[] = ["disable", "prefer", "require", "verify-ca", "verify-full"] satisfies readonly SslMode[];
const knownParameters = ["schema", "workspace", "sslmode", "sslrootcert", "connect_timeout"];
// libpq waits forever by default; a CI job should not.
const defaultConnectTimeoutSeconds = 10;

export function parseDatabaseUrl(text: string, env: NodeJS.ProcessEnv = process.env): DatabaseLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not even parsed: the text may hold a password anywhere, so none of it is repeated.
    throw new StateError("the state URL is not a valid postgres:// URL (postgres://user@host:port/database?workspace=NAME)");
  }
  const display = withoutPassword(url);
  const bad = (problem: string) => new StateError(`the state URL ${display} ${problem}`);

  // Any ':' in the user part is a password, even an empty one.
  if (url.password !== "" || /^[a-z]+:\/\/[^@/?#]*:[^@/?#]*@/i.test(text)) {
    throw bad("holds a password: remove it from the URL and give it in PGPASSWORD or ~/.pgpass (a URL is printed in logs and messages)");
  }
  if (url.hostname === "") throw bad("names no host: postgres://user@host:port/database");
  const database = decode(url.pathname.replace(/^\//, ""));
  if (database === undefined || database === "" || database.includes("/")) throw bad("names no database: postgres://user@host:port/database");
  if (url.hash !== "") throw bad("has a #fragment, which means nothing here");

  const parameters = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (!knownParameters.includes(name)) throw bad(`has an unknown parameter ${name} (known: ${knownParameters.join(", ")})`);
    if (parameters.has(name)) throw bad(`gives ${name} twice`);
    parameters.set(name, value);
  }

  const schema = parameters.get("schema") ?? defaultSchema;
  if (!schemaPattern.test(schema)) throw bad(`has schema=${schema}, which is not a schema name fabricate uses: lower-case letters, digits and _, starting with a letter or _, at most 63`);
  if (schema === "public" || schema === "information_schema" || schema.startsWith("pg_")) {
    throw bad(`has schema=${schema}: fabricate keeps its tables in a schema of their own (the default is ${defaultSchema})`);
  }
  const workspace = parameters.get("workspace") ?? defaultWorkspace;
  if (!workspacePattern.test(workspace)) throw bad(`has workspace=${workspace}, which is not a workspace name: lower-case letters, digits, - and _, starting with a letter or digit, at most 63`);

  const sslmode = parameters.get("sslmode") ?? (env.PGSSLMODE || "prefer");
  if (!sslModes.includes(sslmode)) {
    const from = parameters.has("sslmode") ? "sslmode" : "PGSSLMODE";
    throw new StateError(`the state URL ${display}: ${from}=${sslmode} is not supported (supported: ${sslModes.join(", ")}; \`allow\` is not, use prefer)`);
  }
  const sslrootcert = parameters.get("sslrootcert") ?? (env.PGSSLROOTCERT || undefined);

  const timeoutText = parameters.get("connect_timeout") ?? (env.PGCONNECT_TIMEOUT || String(defaultConnectTimeoutSeconds));
  const timeoutSeconds = /^\d{1,6}$/.test(timeoutText) ? Number(timeoutText) : NaN;
  // libpq: 0 means wait forever; anything under 2 s counts as 2 s.
  if (Number.isNaN(timeoutSeconds)) throw bad(`has connect_timeout=${timeoutText}: a number of seconds`);

  const user = url.username !== "" ? decode(url.username) : env.PGUSER || osUser(env);
  if (user === undefined || user === "") throw bad("names no user, and neither PGUSER nor USER is set: postgres://user@host:port/database");

  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? 5432 : Number(url.port),
    database,
    user,
    schema,
    workspace,
    sslmode: sslmode as SslMode,
    ...(sslrootcert !== undefined && { sslrootcert }),
    connectTimeoutMs: timeoutSeconds === 0 ? 0 : Math.max(timeoutSeconds, 2) * 1000,
    display,
  };
}

/** The URL with any password taken out, for a message about a URL that holds one. */
function withoutPassword(url: URL): string {
  const copy = new URL(url.href);
  copy.password = "";
  return copy.href;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** libpq's default user: the operating system's. */
function osUser(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers).
    return env.USER || env.LOGNAME;
  }
}
