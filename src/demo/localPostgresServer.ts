// A real PostgreSQL server on 127.0.0.1 for the tests and the bench: Debian's PostgreSQL 15 binaries, a
// fresh cluster in a temporary directory, durability off (fsync, full-page writes, synchronous commit:
// nothing here must survive a power cut), stopped with `-m immediate`.
//
// Host connections authenticate with scram-sha-256, so that a wrong or missing password fails as it does
// against a real server; the helper itself connects as the superuser over the Unix socket in the
// temporary directory (trust). initdb refuses to run as root, so as root every binary runs as the
// `postgres` user (runuser), in a directory that user owns.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";
import { unusedPort } from "./unusedPort.js";

const run = promisify(execFile);

const postgresBinaries = "/usr/lib/postgresql/15/bin";

export interface LocalPostgresOptions {
  /** Serve TLS with this certificate (ssl=on); plain connections are still accepted. */
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
}

export interface LocalPostgresServer {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** A database owned by `user`, who may create schemas in it. */
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** postgres://user@127.0.0.1:port/database with these query parameters (never a password). */
  url(parameters?: Readonly<Record<string, string>>): string;
  /** Runs SQL as the superuser, in `database` unless another is named. */
  admin<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[], database?: string): Promise<Row[]>;
  /** Stops the server at once, as a crash would (`pg_ctl -m immediate`). */
  stop(): Promise<void>;
  /** Starts it again on the same port, after stop(). */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

export async function startLocalPostgres(options: LocalPostgresOptions = {}): Promise<LocalPostgresServer> {
  if (!existsSync(join(postgresBinaries, "initdb"))) {
    throw new Error(
      `PostgreSQL 15's server binaries are not in ${postgresBinaries}; the tests and the bench need them. ` +
        "Install them (Debian 12): apt-get update && apt-get install -y --no-install-recommends postgresql",
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "fabricate-pg-"));
  const owner = await postgresUser();
  const own = (path: string) => owner && chownSync(path, owner.uid, owner.gid);
  const write = (name: string, text: string, mode = 0o600) => {
    writeFileSync(join(dir, name), text, { mode });
    own(join(dir, name));
    return join(dir, name);
  };
  own(dir);
  const binary = (name: string, args: readonly string[]) => {
    const command = join(postgresBinaries, name);
    return owner ? run("runuser", ["-u", "postgres", "--", command, ...args], { cwd: dir }) : run(command, args, { cwd: dir });
  };

  const data = join(dir, "data");
  const port = await unusedPort();
  const superPassword = randomBytes(16).toString("hex");
  await binary("initdb", ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", `--pwfile=${write("superuser.pw", superPassword)}`, "-E", "UTF8", "--no-locale", "--no-sync"]);

  const settings = ["-c listen_addresses=127.0.0.1", `-p ${port}`, `-k ${dir}`, "-c fsync=off", "-c full_page_writes=off", "-c synchronous_commit=off"];
  if (options.tls) {
    settings.push("-c ssl=on", `-c ssl_cert_file=${write("server.crt", options.tls.certPem)}`, `-c ssl_key_file=${write("server.key", options.tls.keyPem)}`);
  }
  const start = async () => {
    await binary("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-w", "-t", "60", "-o", settings.join(" "), "start"]);
  };
  const stop = async () => {
    await binary("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
  };
  await start();

  const admin = async <Row>(sql: string, parameters: readonly unknown[] = [], database = "fabricate"): Promise<Row[]> => {
    const client = new Client({ host: dir, port, user: "postgres", database });
    await client.connect();
    try {
      return (await client.query(sql, parameters as unknown[])).rows as Row[];
    } finally {
      await client.end();
    }
  };

  const user = "fabricate_ci";
  const password = randomBytes(16).toString("hex");
  try {
    await admin(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`, [], "postgres");
    await admin(`CREATE DATABASE fabricate OWNER ${user}`, [], "postgres");
  } catch (e) {
    await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  return {
    host: "127.0.0.1",
    port,
    database: "fabricate",
    user,
    password,
    url: (parameters = {}) => {
      const query = new URLSearchParams(parameters).toString();
      return `postgres://${user}@127.0.0.1:${port}/fabricate${query ? `?${query}` : ""}`;
    },
    admin,
    stop,
    start,
    close: async () => {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `postgres` user's ids when running as root (initdb refuses root); undefined otherwise. */
async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async (flag: string) => Number((await run("id", [flag, "postgres"])).stdout.trim());
  try {
    return { uid: await id("-u"), gid: await id("-g") };
  } catch {
    throw new Error("running as root, and there is no `postgres` user to run the PostgreSQL server as (the postgresql package creates it)");
  }
}
