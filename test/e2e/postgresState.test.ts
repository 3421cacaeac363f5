// The shared state store in PostgreSQL through the built CLI, against a real server started for this file:
// many runners applying at once (one after another, none lost), holders killed or cut off mid-write
// (the lock is free at once, the state whole), workspaces that do not wait for each other, force-unlock
// of a live holder, and every bad input as one line that never holds the password.
import { chmodSync, cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unusedPort } from "../../src/demo/unusedPort.js";
import { repoRoot, runCli, startCli, tempDir, until, type CliResult, type RunningCli } from "../helpers/cli.js";
import { freshSchema, passwordEnv, postgresForThisFile } from "../helpers/postgres.js";
import { pullRequestRunnerEnv, runCompositeAction } from "../helpers/compositeAction.js";
import { workflowSteps } from "../helpers/workflow.js";
import { startGithubApiStandIn } from "../fixtures/githubApiStandIn.js";
import { gmail, writeConfig } from "../plan/configFixture.js";

const server = postgresForThisFile();

let dir: string;
let cleanup: () => void;
let schema: string;
let url: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  schema = freshSchema();
  url = server().url({ schema, workspace: "prod" });
});
afterEach(() => cleanup());

/** A config directory `name` whose one fabric has the given description, so each config is told apart. */
function config(name: string, description: string): string {
  return writeConfig(join(dir, name), [{ name: "marketing-prod", team: "marketing", description, connections: [gmail()] }]);
}

const env = (extra: Record<string, string> = {}) => ({ ...passwordEnv(server()), ...extra });
const cli = (args: readonly string[], extra: Record<string, string | undefined> = {}) => runCli(args, { cwd: dir, env: { ...env(), ...extra } });
const apply = (configDir: string, ...flags: string[]) => ["apply", configDir, "--state", url, "--auto-approve", "--skip-verify", ...flags];
const start = (args: readonly string[], extra: Record<string, string> = {}) => startCli(args, { cwd: dir, env: env(extra) });

interface HistoryJson {
  history: { serial: number; who: string; operation: string; planHash?: string }[];
}
const history = async (stateUrl = url) => (JSON.parse((await cli(["state", "history", "--state", stateUrl, "--format", "json"])).stdout) as HistoryJson).history;
const pull = async (stateUrl = url) => (await cli(["state", "pull", "--state", stateUrl])).stdout;
const descriptionIn = (stateJson: string) => (JSON.parse(stateJson) as { fabrics: { description: string }[] }).fabrics[0]!.description;

/** True while a fabricate session sits in its write transaction (the test hook holds it there). */
async function writerInTransaction(): Promise<boolean> {
  const rows = await server().admin(
    "SELECT 1 FROM pg_stat_activity WHERE application_name = 'fabricate' AND state = 'idle in transaction' AND query LIKE 'INSERT INTO %history%'",
  );
  return rows.length > 0;
}

/** Starts an apply that stops inside its write transaction until killed, and waits until it is there. */
async function writerHeldInTransaction(configDir: string, stateUrl = url): Promise<RunningCli> {
  const writer = startCli(["apply", configDir, "--state", stateUrl, "--auto-approve", "--skip-verify"], { cwd: dir, env: env({ FABRICATE_TEST_PAUSE_IN_WRITE_MS: "60000" }) });
  await until(writerInTransaction, writer.running);
  return writer;
}

/** `writer`: an apply that printed its plan and then failed to record it. */
function expectOneErrorLine(r: CliResult, message: RegExp, writer = false): void {
  expect(r.code).toBe(1);
  if (writer) expect(r.stdout).not.toContain("Apply complete");
  else expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^fabricate: error: [^\n]+\n$/);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toContain(server().password);
}

describe("the PostgreSQL state store through the CLI", () => {
  it("applies and plans against the state named by --state or FABRICATE_STATE, shows it under its URL, and keeps every table in its schema", async () => {
    const first = config("fabrics", "first");
    const applied = await cli(apply(first));
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`Apply complete! Connections: 1 added, 0 changed, 0 destroyed. State ${url}: serial 1.\n`);
    const planned = await cli(["plan", first, "--state", url, "--detailed-exitcode"]);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain("No changes.");
    // FABRICATE_STATE names it as well as --state does.
    const fromEnv = await cli(["plan", config("changed", "second"), "--detailed-exitcode"], { FABRICATE_STATE: url });
    expect(fromEnv.code).toBe(2);
    expect(descriptionIn(await pull())).toBe("first");
    expect((await history()).map((h) => [h.serial, h.operation])).toEqual([[1, "apply"]]);
    // Nothing in public: every table is in the configured schema.
    expect(await server().admin("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([]);
    const tables = await server().admin<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1", [schema]);
    expect(tables.map((t) => t.table_name)).toEqual(["history", "locks", "migrations", "states"]);
  });

  it("applies a saved plan, and refuses one made against a serial the state has moved on from", async () => {
    await cli(apply(config("fabrics", "v1")));
    const next = config("fabrics", "v2");
    expect((await cli(["plan", next, "--state", url, "--out", "a.plan"])).code).toBe(0);
    expect((await cli(["plan", next, "--state", url, "--out", "b.plan"])).code).toBe(0);
    const first = await cli(["apply", "a.plan", "--state", url, "--skip-verify"]);
    expect(first.code, first.stderr).toBe(0);
    const stale = await cli(["apply", "b.plan", "--state", url, "--skip-verify"]);
    expectOneErrorLine(stale, /^fabricate: error: the state .+ has moved on since the plan was made \(serial 1, now 2\): run `fabricate plan` again/);
    expect(descriptionIn(await pull())).toBe("v2");
  });

  it("8 runners applying 8 configs at once with --lock-timeout all succeed, one after another: serial +8, one history entry each, the last one's config wins", async () => {
    const base = await cli(apply(config("base", "base")));
    expect(base.code, base.stderr).toBe(0);
    const runners = Array.from({ length: 8 }, (_, i) => start(apply(config(`c${i}`, `config-${i}`), "--lock-timeout", "5m")));
    const results = await Promise.all(runners.map((r) => r.done));
    for (const r of results) expect(r.code, r.stderr).toBe(0);

    const entries = await history();
    expect(entries.map((h) => h.serial)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const writers = entries.slice(1).map((h) => Number(/ pid (\d+)$/.exec(h.who)?.[1]));
    expect(new Set(writers)).toEqual(new Set(runners.map((r) => r.child.pid)));
    const last = runners.findIndex((r) => r.child.pid === writers.at(-1));
    expect(descriptionIn(await pull())).toBe(`config-${last}`);
    expect(JSON.parse(await pull())).toMatchObject({ serial: 9 });
  });

  it("8 runners at once on an empty database without --lock-timeout: the schema is set up once, the losers fail at once naming the holder, each winner wrote once", async () => {
    // Each winner holds the lock for 3 s inside its write, so the others find it held.
    const runners = Array.from({ length: 8 }, (_, i) => start(apply(config(`c${i}`, `config-${i}`)), { FABRICATE_TEST_PAUSE_IN_WRITE_MS: "3000" }));
    const results = await Promise.all(runners.map((r) => r.done));
    const winners = results.filter((r) => r.code === 0);
    const losers = results.filter((r) => r.code !== 0);
    expect(winners.length).toBeGreaterThanOrEqual(1);
    expect(losers.length).toBeGreaterThanOrEqual(1);
    for (const r of losers) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`^fabricate: error: the state ${url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is locked by .+@.+ pid \\d+ \\(apply\\) since \\S+Z, lock ID [0-9a-f-]{36}\\.\n`),
      );
    }
    expect((await history()).length).toBe(winners.length);
  });

  it("a holder killed with SIGKILL inside its write, 10 times: the lock is free at once and the state is the old one, whole", async () => {
    const first = await cli(apply(config("fabrics", "v0")));
    expect(first.code, first.stderr).toBe(0);
    for (let i = 1; i <= 10; i++) {
      const before = await pull();
      const writer = await writerHeldInTransaction(config("fabrics", `killed-${i}`));
      const [dead] = await server().admin<{ id: string }>(`SELECT id FROM ${schema}.locks WHERE workspace = 'prod'`);
      writer.child.kill("SIGKILL");
      await writer.done;
      expect(await pull()).toBe(before);
      // The dead holder's row is left, and means nothing: there is no lock to break, and the next run takes it.
      const unlock = await cli(["force-unlock", dead!.id, "--state", url]);
      expect(unlock.stderr).toBe(`fabricate: error: the state ${url} is not locked\n`);
      const next = await cli(apply(config("fabrics", `v${i}`)));
      expect(next.code, next.stderr).toBe(0);
      expect(descriptionIn(await pull())).toBe(`v${i}`);
    }
    expect((await history()).map((h) => h.serial)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("two workspaces apply at the same time without waiting for each other", async () => {
    const a = server().url({ schema, workspace: "team-a" });
    const b = server().url({ schema, workspace: "team-b" });
    // Both hold their lock for 2 s; without --lock-timeout, either would fail if it found the other's.
    const hold = { FABRICATE_TEST_PAUSE_IN_WRITE_MS: "2000" };
    const [ra, rb] = await Promise.all([
      start(["apply", config("a", "workspace a"), "--state", a, "--auto-approve", "--skip-verify"], hold).done,
      start(["apply", config("b", "workspace b"), "--state", b, "--auto-approve", "--skip-verify"], hold).done,
    ]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    expect(descriptionIn(await pull(a))).toBe("workspace a");
    expect(descriptionIn(await pull(b))).toBe("workspace b");
  });

  it("force-unlock of a live holder: a wrong ID changes nothing; the right one ends the holder's session, which writes nothing", async () => {
    await cli(apply(config("fabrics", "v1")));
    const before = await pull();
    const writer = await writerHeldInTransaction(config("fabrics", "v2"));
    const blocked = await cli(apply(config("other", "v3")));
    expect(blocked.code).toBe(1);
    const id = /fabricate force-unlock ([0-9a-f-]{36})/.exec(blocked.stderr)?.[1];
    expect(id).toBeDefined();

    const wrong = await cli(["force-unlock", "not-the-id", "--state", url]);
    expect(wrong.stderr).toBe(`fabricate: error: the state ${url} is locked under ID ${id}, not not-the-id; nothing was unlocked\n`);
    expect(writer.running()).toBe(true);

    const unlocked = await cli(["force-unlock", id!, "--state", url]);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(unlocked.stdout).toMatch(new RegExp(`^The state .+ is unlocked\\. The lock was held by .+ pid ${writer.child.pid} \\(apply\\) since \\S+, lock ID ${id}\\.\n$`));
    const ended = await writer.done;
    expectOneErrorLine(ended, /^fabricate: error: cannot write the state .+: the server said: terminating connection due to administrator command \(SQLSTATE 57P01\); nothing was written\n$/, true);
    expect(await pull()).toBe(before);
    expect((await cli(apply(config("fabrics", "v4")))).code).toBe(0);
  });

  it("the server stopping while a writer is inside its transaction: a clear error, and the state is the old one, whole", async () => {
    await cli(apply(config("fabrics", "v1")));
    const before = await pull();
    const writer = await writerHeldInTransaction(config("fabrics", "v2"));
    await server().stop();
    try {
      expectOneErrorLine(await writer.done, /^fabricate: error: cannot write the state .+: .*terminat.*; nothing was written\n$/, true);
    } finally {
      await server().start();
    }
    expect(await pull()).toBe(before);
  });

  it("a state row edited by hand into another shape, or disagreeing with its columns, is reported by every command and never overwritten", async () => {
    await cli(apply(config("fabrics", "v1")));
    const damage = async (sql: string, message: RegExp) => {
      await server().admin(sql);
      const [row] = await server().admin<{ data: string; serial: string }>(`SELECT data::text AS data, serial::text AS serial FROM ${schema}.states`);
      for (const args of [["plan", join(dir, "fabrics"), "--state", url], apply(config("fabrics", "v2")), ["state", "pull", "--state", url]]) {
        expectOneErrorLine(await cli(args), message);
      }
      expect(await server().admin(`SELECT data::text AS data, serial::text AS serial FROM ${schema}.states`)).toEqual([row]);
    };
    await damage(
      `UPDATE ${schema}.states SET data = '{"terraform_version": "1.11.0", "version": 4}'`,
      /the state .+ is not a fabricate state \(the document must have required property 'serial'\); it was left as it is: fix the row of workspace prod in t_\w+\.states by hand/,
    );
    await damage(
      `UPDATE ${schema}.states SET data = jsonb_build_object('version', 1, 'serial', 7, 'lineage', lineage, 'fabrics', '[]'::jsonb)`,
      /does not agree with itself: its row is serial 1 of lineage \S+, its document serial 7 of lineage/,
    );
  });

  it("loads the PostgreSQL driver only when a URL asks for it", async () => {
    const probe = { NODE_OPTIONS: `--require ${join(repoRoot, "test", "helpers", "reportModuleLoads.cjs")}`, FABRICATE_TEST_REPORT_LOADS: "^(pg-pool|pg-protocol|pgpass)$" };
    const configDir = config("fabrics", "x");
    const withFile = await cli(["plan", configDir, "--state", join(dir, "state.json")], probe);
    expect(withFile.code).toBe(0);
    expect(withFile.stderr).toBe("");
    const withUrl = await cli(["plan", configDir, "--state", url], probe);
    expect(withUrl.code).toBe(0);
    expect(withUrl.stderr).toMatch(/^loaded pg-pool$/m);
  });

  it("the PostgreSQL CI example runs as written, with FABRICATE_STATE and PGPASSWORD from its secrets", async () => {
    cpSync(join(repoRoot, "examples", "fabrics"), join(dir, "fabrics"), { recursive: true });
    expect((await cli(["codeowners", "fabrics", "--write", ".github/CODEOWNERS"])).code).toBe(0);
    const steps = workflowSteps("fabricate-postgres.yml", ["plan", "apply"]);
    expect(steps.map((s) => (s.kind === "action" ? "uses ./" : s.args[0]))).toEqual(["uses ./", "apply", "state"]);
    const token = "ghs_postgresExampleToken";
    const github = await startGithubApiStandIn({ token, repository: "acme/fabrics", issues: [3] });
    try {
      const runnerTemp = join(dir, "runner-temp");
      mkdirSync(runnerTemp);
      for (const step of steps) {
        if (step.kind === "action") {
          const env = { ...pullRequestRunnerEnv(runnerTemp, github.url, "acme/fabrics", 3), ...passwordEnv(server()), FABRICATE_STATE: url };
          const run = await runCompositeAction(repoRoot, { with: step.with, cwd: dir, runnerTemp, githubToken: token, env });
          expect(run.code, JSON.stringify(run.steps)).toBe(0);
          expect(run.outputs.exitcode).toBe("2");
          continue;
        }
        // The examples' servers are real mail providers, which tests never reach.
        const args = step.args[0] === "apply" ? [...step.args, "--skip-verify"] : step.args;
        const r = await cli(args, { FABRICATE_STATE: url });
        expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
      }
      expect(github.comments(3)).toHaveLength(1);
      expect(github.labels(3)).toEqual(["fabricate/changes"]);
    } finally {
      await github.close();
    }
    expect((await history()).map((h) => h.operation)).toEqual(["apply"]);
  });

  it("moves a file state to PostgreSQL with pull and push, and keeps its lineage and serial", async () => {
    const file = join(dir, ".fabricate", "state.json");
    await cli(["apply", config("fabrics", "from a file"), "--state", file, "--auto-approve", "--skip-verify"]);
    const pulled = (await cli(["state", "pull", "--state", file])).stdout;
    writeFileSync(join(dir, "moved.json"), pulled);
    const pushed = await cli(["state", "push", "moved.json", "--state", url]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(await pull()).toBe(pulled);
    expect((await history()).map((h) => h.operation)).toEqual(["state push"]);
    const planned = await cli(["plan", join(dir, "fabrics"), "--state", url, "--detailed-exitcode"]);
    expect(planned.code).toBe(0);
  });
});

describe("bad input and faults, each one line on stderr, exit 1, nothing written, the password never printed", () => {
  const canary = "canary-pw-5f1e9c";

  it("a server that is not there", async () => {
    const port = await unusedPort();
    const r = await cli(["plan", config("fabrics", "x"), "--state", `postgres://fabricate_ci@127.0.0.1:${port}/fabricate`]);
    expectOneErrorLine(r, new RegExp(`cannot connect to the state postgres://fabricate_ci@127\\.0\\.0\\.1:${port}/fabricate as user fabricate_ci: nothing accepts connections at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
  });

  it("a wrong password", async () => {
    const r = await cli(apply(config("fabrics", "x")), { PGPASSWORD: canary });
    expectOneErrorLine(r, /as user fabricate_ci: the server said: password authentication failed for user "fabricate_ci" \(SQLSTATE 28P01\)/);
    expect(r.stderr + r.stdout).not.toContain(canary);
    expect(await server().admin("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).toEqual([]);
  });

  it("no password at all (no PGPASSWORD, no password file)", async () => {
    const r = await cli(apply(config("fabrics", "x")), { PGPASSWORD: undefined, PGPASSFILE: join(dir, "none") });
    expectOneErrorLine(r, /the server asks for a password, and none is given: set PGPASSWORD, or add host:port:database:user:password to ~\/\.pgpass/);
  });

  it("the password from a password file, as libpq reads ~/.pgpass", async () => {
    const pgpass = join(dir, "pgpass");
    writeFileSync(pgpass, `127.0.0.1:${server().port}:fabricate:fabricate_ci:${server().password}\n`);
    chmodSync(pgpass, 0o600);
    const r = await cli(apply(config("fabrics", "x")), { PGPASSWORD: undefined, PGPASSFILE: pgpass });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(server().password);
  });

  it("a password in the URL is refused without being printed", async () => {
    const withPassword = `postgres://fabricate_ci:${canary}@127.0.0.1:${server().port}/fabricate?schema=${schema}`;
    for (const args of [["plan", config("fabrics", "x"), "--state", withPassword], ["state", "history"]]) {
      const r = await cli(args, { FABRICATE_STATE: withPassword });
      expectOneErrorLine(r, new RegExp(`^fabricate: error: the state URL postgres://fabricate_ci@127\\.0\\.0\\.1:${server().port}/fabricate\\?schema=${schema} holds a password`));
      expect(r.stderr).not.toContain(canary);
    }
  });

  it("a database that does not exist", async () => {
    const r = await cli(["plan", config("fabrics", "x"), "--state", `postgres://fabricate_ci@127.0.0.1:${server().port}/nope`]);
    expectOneErrorLine(r, /the server said: database "nope" does not exist \(SQLSTATE 3D000\)/);
  });

  it("a role that may not create the schema; it can use one made for it", async () => {
    const role = `reader_${schema}`;
    await server().admin(`CREATE ROLE ${role} LOGIN PASSWORD '${server().password}'`);
    const asRole = `postgres://${role}@127.0.0.1:${server().port}/fabricate?schema=${schema}`;
    const refused = await cli(["plan", config("fabrics", "x"), "--state", asRole]);
    expectOneErrorLine(refused, /cannot set up the schema t_\w+ of the state .+: the server said: permission denied for database fabricate \(SQLSTATE 42501\)\. The schema t_\w+ must be created once by a role that may/);
    expect(await server().admin("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).toEqual([]);

    // Set up once by its owner. Reading (plan) needs SELECT only; writing needs INSERT and UPDATE as well.
    expect((await cli(["plan", join(dir, "fabrics"), "--state", url])).code).toBe(0);
    await server().admin(`GRANT USAGE ON SCHEMA ${schema} TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
    expect((await cli(["plan", join(dir, "fabrics"), "--state", asRole])).code).toBe(0);
    expectOneErrorLine(
      await cli(["apply", join(dir, "fabrics"), "--state", asRole, "--auto-approve", "--skip-verify"]),
      /^fabricate: error: cannot lock the state .+: the server said: permission denied for table locks \(SQLSTATE 42501\)\n$/,
    );
    await server().admin(`GRANT INSERT, UPDATE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
    const used = await cli(["apply", join(dir, "fabrics"), "--state", asRole, "--auto-approve", "--skip-verify"]);
    expect(used.code, used.stderr).toBe(0);
  });

  it("a bad workspace or schema name", async () => {
    expectOneErrorLine(await cli(["plan", config("fabrics", "x"), "--state", server().url({ workspace: "Prod;drop" })]), /workspace=Prod;drop, which is not a workspace name/);
    expectOneErrorLine(await cli(["plan", config("fabrics", "x"), "--state", server().url({ schema: 'x"y' })]), /schema=x"y, which is not a schema name/);
  });
});
