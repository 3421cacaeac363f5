// The state stores side by side at 10,000 connections (1,000 fabrics × 10), in the same run: the local
// file and PostgreSQL (a local PostgreSQL 15 server started for the bench, durability off, on this
// machine; over a network every round trip costs more). For each store:
// - apply of the whole config into an empty state (plan under the lock, then one write of the 7 MB
//   state), each run into a fresh file or workspace;
// - plan with 1% of the connections changed, against variant 0 applied.
// Targets: PostgreSQL plan within 1.5× the file store's; apply < 5 s.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { generateConfig } from "./generate.mjs";
import { cli, fmt, measureNode, repoRoot, report } from "./measure.mjs";

const work = join(repoRoot, "bench", ".work", "state-10k");
const config = join(work, "fabrics");
const { startLocalPostgres } = await import(new URL("../dist/demo/localPostgresServer.js", import.meta.url).href);
const server = await startLocalPostgres();
const env = { PGPASSWORD: server.password };
const stores = {
  file: (name) => join(work, `${name}.json`),
  postgres: (name) => server.url({ workspace: name }),
};

try {
  generateConfig(config, { fabrics: 1000, connections: 10, variant: 0 });
  const applyArgs = (state) => [cli, "apply", config, "--state", state, "--auto-approve", "--skip-verify"];
  const applied = {};
  for (const [store, at] of Object.entries(stores)) {
    applied[store] = measureNode((i) => applyArgs(at(`apply-${i}`)), { runs: 3, env });
    // The state that plan runs against.
    const r = spawnSync(process.execPath, applyArgs(at("planned")), { env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`apply into ${store} exited ${r.status}: ${r.stderr}`);
  }
  generateConfig(config, { fabrics: 1000, connections: 10, variant: 1 });
  const planned = {};
  for (const [store, at] of Object.entries(stores)) {
    planned[store] = measureNode([cli, "plan", config, "--state", at("planned"), "--detailed-exitcode"], { runs: 5, env, expectCode: 2 });
  }

  report("apply 10,000 connections, file store", fmt(applied.file));
  report("apply 10,000 connections, PostgreSQL store", fmt(applied.postgres), "< 5 s");
  report("plan 10,000 connections, 1% changed, file store", fmt(planned.file));
  report("plan 10,000 connections, 1% changed, PostgreSQL store", fmt(planned.postgres), "< 1.5 × file");
  report("  ratio PostgreSQL / file (plan)", `${(planned.postgres.ms / planned.file.ms).toFixed(2)}×`);

  // Where the difference lies: opening the store and reading the 7 MB state, in this process (best of 3).
  const { openStateStore } = await import(new URL("../dist/state/openStateStore.js", import.meta.url).href);
  process.env.PGPASSWORD = server.password;
  for (const [store, at] of Object.entries(stores)) {
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const opened = await openStateStore(at("planned"));
      await opened.read();
      await opened.close();
      best = Math.min(best, performance.now() - started);
    }
    report(`  stage: open + read the state, ${store} store`, `${best.toFixed(0)} ms`);
  }
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
