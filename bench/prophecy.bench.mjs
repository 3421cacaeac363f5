// apply of 1,000 fabrics × 10 connections (all new, each password a Prophecy secret of its own, so
// 21,000 creates) to the Prophecy stand-in, then a refreshed plan of the same after 1% of the
// connections were changed in Prophecy (drift), both at parallelism 8. The stand-in runs in a worker
// thread of this process (its own event loop, on 127.0.0.1), so that the CLI is timed as a child
// process like every other bench while the stand-in answers it and counts the requests.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { generateConfig } from "./generate.mjs";
import { cli, fmt, measureNode, repoRoot, report } from "./measure.mjs";

const work = join(repoRoot, "bench", ".work", "prophecy-10k");
const config = join(work, "fabrics");
const state = join(work, "state.json");
const fabrics = 1000;
const connections = 10;
const teams = 50;
const token = "bench-token";

const standInModule = new URL("../dist/demo/prophecyStandIn/index.js", import.meta.url).href;
const worker = new Worker(
  `const { parentPort, workerData } = require("node:worker_threads");
   import(workerData.module).then(async ({ startProphecyStandIn }) => {
     const standIn = await startProphecyStandIn(workerData.options);
     parentPort.on("message", (m) => {
       if (m === "count") parentPort.postMessage({ count: standIn.requests().length });
       if (m === "close") standIn.close().then(() => process.exit(0));
     });
     parentPort.postMessage({ url: standIn.url });
   });`,
  {
    eval: true,
    workerData: {
      module: standInModule,
      options: {
        teams: Array.from({ length: teams }, (_, t) => ({ id: String(1000 + t), name: `team-${t}` })),
        tokens: { [token]: { user: "bench@example.com", teams: Array.from({ length: teams }, (_, t) => `team-${t}`) } },
      },
    },
  },
);
const ask = (message) => new Promise((resolve) => (worker.once("message", resolve), message && worker.postMessage(message)));
const { url } = await ask();
const env = { PROPHECY_TOKEN: token, SMTP_PASSWORD: "bench-smtp-password" };

generateConfig(config, { fabrics, connections, teams, prophecy: { url } });
rmSync(state, { force: true });
rmSync(`${state}.history.jsonl`, { force: true });
const requestsBefore = (await ask("count")).count;
const apply = measureNode([...(process.env.FABRICATE_BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir", work] : []), cli, "apply", config, "--state", state, "--auto-approve", "--skip-verify", "--trust-new-hosts", "--parallelism", "8"], { runs: 1, env });
const applied = (await ask("count")).count - requestsBefore;
report(`apply ${fabrics * connections} connections to the stand-in (all new)`, `${fmt(apply)}, ${applied} requests, ${Math.round(applied / (apply.ms / 1000))} requests/s`, "< 20 s, < 400 MB");

// 1% drift: 100 connections moved to port 2525 in Prophecy, outside fabricate.
const held = JSON.parse(readFileSync(state, "utf8")).targets.prophecy.fabrics;
for (let i = 0; i < (fabrics * connections) / 100; i++) {
  const f = `fabric-${i * 10}`;
  const { id, secrets } = held[f];
  const body = {
    name: "smtp-0",
    kind: "smtp",
    isDefaultWarehouseConnection: false,
    properties: { smtpUrl: `smtp0.mail${(i * 10) % 7}.example.com`, smtpPort: 2525, smtpUsername: `sender0@fabric${i * 10}.example.com`, smtpPassword: { kind: "prophecy", subKind: "text", type: "secret", properties: { id: secrets["smtp-0-password"], name: "smtp-0-password" } } },
  };
  const r = await fetch(`${url}/api/orchestration/fabric/${id}/connection/name/smtp-0`, { method: "PUT", headers: { "X-AUTH-TOKEN": token, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`drift PUT: ${r.status} ${await r.text()}`);
}
const beforePlan = (await ask("count")).count;
const plan = measureNode([cli, "plan", config, "--state", state, "--detailed-exitcode", "--parallelism", "8"], { runs: 3, env, expectCode: 2 });
const planned = ((await ask("count")).count - beforePlan) / 3;
report(`refreshed plan of the same, 1% drifted`, `${fmt(plan)}, ${planned} requests, ${Math.round(planned / (plan.ms / 1000))} requests/s`, "< 5 s, < 400 MB");
// The worker answers "close" by exiting, not with a message: waiting for a message left this import's
// top-level await unsettled, and `npm run bench` stopped here (exit 13) before the benches after it.
await new Promise((resolve) => {
  worker.once("exit", resolve);
  worker.postMessage("close");
});
