// Reading the --state URL of the PostgreSQL store: defaults, libpq's environment variables, and every
// refusal, whose message never repeats a password.
import { userInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../src/state/postgres/databaseUrl.js";

const env = { USER: "runner" };

describe("parseDatabaseUrl", () => {
  it("reads host, port, database, user, schema and workspace, with libpq's defaults", () => {
    expect(parseDatabaseUrl("postgres://ci@127.0.0.1:5433/states?schema=infra&workspace=prod&sslmode=verify-full&sslrootcert=/ca.pem", env)).toEqual({
      host: "127.0.0.1",
      port: 5433,
      database: "states",
      user: "ci",
      schema: "infra",
      workspace: "prod",
      sslmode: "verify-full",
      sslrootcert: "/ca.pem",
      connectTimeoutMs: 10_000,
      display: "postgres://ci@127.0.0.1:5433/states?schema=infra&workspace=prod&sslmode=verify-full&sslrootcert=/ca.pem",
    });
    // Without a user in the URL or PGUSER: the operating system's user, as libpq does.
    expect(parseDatabaseUrl("postgresql://db.internal/fabricate", env)).toMatchObject({
      host: "db.internal",
      port: 5432,
      user: userInfo().username,
      schema: "fabricate",
      workspace: "default",
      sslmode: "prefer",
    });
  });

  it("takes what the URL leaves out from PGUSER, PGSSLMODE, PGSSLROOTCERT and PGCONNECT_TIMEOUT, as libpq does", () => {
    const fromEnv = { PGUSER: "deployer", PGSSLMODE: "require", PGSSLROOTCERT: "/etc/ca.pem", PGCONNECT_TIMEOUT: "0" };
    expect(parseDatabaseUrl("postgres://[::1]/db", fromEnv)).toMatchObject({ host: "::1", user: "deployer", sslmode: "require", sslrootcert: "/etc/ca.pem", connectTimeoutMs: 0 });
    expect(parseDatabaseUrl("postgres://u@h/db?sslmode=disable&connect_timeout=1", fromEnv)).toMatchObject({ user: "u", sslmode: "disable", connectTimeoutMs: 2000 });
    expect(parseDatabaseUrl("postgres://us%40er@h/my%20db", env)).toMatchObject({ user: "us@er", database: "my db" });
  });

  it.each([
    ["postgres://ci:hunter2-canary@db/states", /holds a password: remove it from the URL and give it in PGPASSWORD or ~\/\.pgpass/],
    ["postgres://ci:@db/states", /holds a password/],
    ["postgres://ci:hunter2-canary@db:99999/states", /^the state URL is not a valid postgres:\/\/ URL/],
    ["postgres:///states", /names no host/],
    ["postgres://ci@db", /names no database/],
    ["postgres://ci@db/", /names no database/],
    ["postgres://ci@db/states?workspace=Prod", /workspace=Prod, which is not a workspace name/],
    ["postgres://ci@db/states?workspace=../x", /is not a workspace name/],
    ["postgres://ci@db/states?schema=my-schema", /schema=my-schema, which is not a schema name/],
    ['postgres://ci@db/states?schema=x";drop', /is not a schema name/],
    ["postgres://ci@db/states?schema=public", /fabricate keeps its tables in a schema of their own/],
    ["postgres://ci@db/states?schema=pg_catalog", /a schema of their own/],
    ["postgres://ci@db/states?sslmode=allow", /sslmode=allow is not supported \(supported: disable, prefer, require, verify-ca, verify-full/],
    ["postgres://ci@db/states?password=x", /has an unknown parameter password \(known: schema, workspace, sslmode, sslrootcert, connect_timeout\)/],
    ["postgres://ci@db/states?workspace=a&workspace=b", /gives workspace twice/],
    ["postgres://ci@db/states?connect_timeout=soon", /connect_timeout=soon: a number of seconds/],
  ])("refuses %s", (url, message) => {
    let error: unknown;
    try {
      parseDatabaseUrl(url, env);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("hunter2");
  });

  it("names the URL without its password when it refuses one", () => {
    expect(() => parseDatabaseUrl("postgres://ci:hunter2-canary@db:5432/states?workspace=prod", env)).toThrow(
      "the state URL postgres://ci@db:5432/states?workspace=prod holds a password",
    );
  });
});
