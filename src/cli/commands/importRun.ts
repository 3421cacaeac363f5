// The work of `fabricate import`: under the state lock, read each fabric from Prophecy (once the trust
// rules let the token go to the config's URL), write the YAML of those the config does not declare,
// check that the config with them still loads, and record them all in the state. Nothing is written or
// recorded when any of it fails.
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, isAbsolute } from "node:path";
import { loadConfig } from "../../config/loadConfig.js";
import { connectConfigured, importedState, planImport, readFabrics, type ImportedFabric } from "../../prophecy/index.js";
import { stateLocation, usingStateStore } from "../../state/openStateStore.js";
import { versionOf } from "../../state/stateStore.js";
import { withStateLock } from "../../state/withStateLock.js";
import { loadCheckedConfig } from "../desiredFabrics.js";
import { reportDiagnostics } from "../diagnosticsOutput.js";
import { printError } from "../errorOutput.js";
import { exitFailed, exitOk } from "../exitCodes.js";
import { parseProphecyFlags, type ProphecyFlags } from "../prophecyOptions.js";
import { lockWait, reportingStateErrors } from "../stateCommand.js";

export interface ImportOptions extends ProphecyFlags {
  fabricId: string[];
  out?: string;
  team: string[];
  trustNewHosts?: boolean;
  state?: string;
  lockTimeout: number;
}

export function runImport(paths: string[], options: ImportOptions): Promise<void> {
  return reportingStateErrors(async () => {
    process.exitCode = await importFabrics(paths, options);
  });
}

function parseTeams(specs: readonly string[]): Record<string, string> | { error: string } {
  const teams: Record<string, string> = {};
  for (const spec of specs) {
    const m = /^([0-9A-Za-z_-]{1,64})=([a-z0-9][a-z0-9_-]{0,62})$/.exec(spec);
    if (!m) return { error: `--team takes ID=NAME with a team name of the config (a slug), not ${JSON.stringify(spec)}` };
    teams[m[1]!] = m[2]!;
  }
  return teams;
}

async function importFabrics(paths: readonly string[], options: ImportOptions): Promise<number> {
  const flags = parseProphecyFlags(options);
  const teamFlags = parseTeams(options.team);
  const usage = "error" in flags ? flags.error : "error" in teamFlags ? teamFlags.error : idProblem(options.fabricId);
  if (usage !== undefined || "error" in flags || "error" in teamFlags) {
    printError("usage", usage ?? "");
    return exitFailed;
  }
  const checked = loadCheckedConfig(paths);
  if (!checked) return exitFailed;
  const prophecy = checked.model.prophecy;
  if (!prophecy) return fail("import reads fabrics from Prophecy, and the config has no prophecy block (url and token)");
  const out = options.out ?? defaultOut(checked.paths);
  const ids = [...new Set(options.fabricId)];
  return usingStateStore(stateLocation(options.state), (store) =>
    withStateLock(store, "import", lockWait(options.lockTimeout), async (lock) => {
      const prior = await store.read();
      const { timeoutMs, parallelism } = flags.value;
      const connected = await connectConfigured(prophecy, prior, { trustNewHosts: options.trustNewHosts ?? false, timeoutMs, parallelism });
      if ("error" in connected) return fail(`${connected.error}; nothing was read`);
      try {
        const contents = await readFabrics(connected.client, ids, parallelism);
        if ("error" in contents) return fail(contents.error);
        const planned = planImport(contents, { model: checked.model, teams: { ...prophecy.teams, ...teamFlags }, prior, url: prophecy.url });
        if ("errors" in planned) {
          for (const e of planned.errors) printError("import", e);
          return fail("nothing was imported");
        }
        const written = writeFiles(planned.fabrics, out);
        if ("error" in written) return fail(written.error);
        // The config with the new files must still load: otherwise the files go and nothing is recorded.
        const reloaded = loadConfig([...checked.paths, ...written.files.filter((f) => !covered(f, checked.paths))]);
        if (!reportDiagnostics(reloaded.diagnostics, reloaded.texts) || !reloaded.model) {
          for (const f of written.files) rmSync(f, { force: true });
          return fail("the imported fabrics do not load as a config (see above); nothing was written or recorded");
        }
        const next = importedState(prior, planned.fabrics, connected.endpoint, store.describe());
        await store.write(next, lock, versionOf(prior), { operation: "import" });
        for (const f of planned.fabrics) describeImport(f, out);
        process.stdout.write(`State ${store.describe()}: serial ${next.serial}. Run \`fabricate plan\`: it compares the config with what Prophecy holds.\n`);
        return exitOk;
      } finally {
        connected.client.close();
      }
    }),
  );
}

function idProblem(ids: readonly string[]): string | undefined {
  const bad = ids.find((id) => !/^[0-9A-Za-z_-]{1,64}$/.test(id) || existsSync(id));
  if (bad === undefined) return undefined;
  return existsSync(bad)
    ? `--fabric-id ${bad}: that is a path; put config paths before --fabric-id (fabricate import fabrics --fabric-id ID…)`
    : `--fabric-id takes Prophecy fabric ids such as 10740, not ${JSON.stringify(bad)}`;
}

/** The directory of the first config path: where `plan` with the same paths finds the new files. */
function defaultOut(paths: readonly string[]): string {
  const first = paths[0]!;
  return existsSync(first) && statSync(first).isDirectory() ? first : dirname(first);
}

function covered(file: string, paths: readonly string[]): boolean {
  return paths.some((p) => {
    if (!existsSync(p) || !statSync(p).isDirectory()) return false;
    const rel = relative(p, file);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  });
}

/** Writes each new fabric's file, none at all if any of them exists already. */
function writeFiles(fabrics: readonly ImportedFabric[], out: string): { files: string[] } | { error: string } {
  const files = fabrics.filter((f) => f.yaml !== undefined).map((f) => ({ path: join(out, `${f.config.name}.yaml`), yaml: f.yaml! }));
  const taken = files.find((f) => existsSync(f.path));
  if (taken) return { error: `${taken.path} exists already: import writes new files only (move it, or use --out)` };
  mkdirSync(out, { recursive: true });
  for (const f of files) writeFileSync(f.path, f.yaml, { flag: "wx" });
  return { files: files.map((f) => f.path) };
}

function describeImport(f: ImportedFabric, out: string): void {
  const secrets = Object.keys(f.secrets).length;
  const where = f.yaml !== undefined ? `wrote ${join(out, `${f.config.name}.yaml`)}` : "already declared in the config: recorded only";
  process.stdout.write(`Imported fabric ${f.config.name} (id ${f.id}): ${f.config.connections.length} connection(s), ${secrets} secret(s); ${where}\n`);
  for (const note of f.notes) process.stdout.write(`  ${note}\n`);
}

function fail(message: string): number {
  printError("import", message);
  return exitFailed;
}
