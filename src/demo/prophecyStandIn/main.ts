// `node dist/demo/prophecyStandIn/main.js --token T --team ID=NAME [--port N] [--cert F --key F]`:
// the Prophecy stand-in as a process, for trying a client by hand and for the demo. Every token acts
// for every team given; the first line on stdout is the URL, so that a script can read it; SIGINT or
// SIGTERM stops it.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startProphecyStandIn, type Team } from "./index.js";

const usage = "usage: main.js --token TOKEN [--token …] --team ID=NAME [--team …] [--port N] [--cert PEM --key PEM]";

function fail(message: string): never {
  process.stderr.write(`prophecy stand-in: ${message}\n${usage}\n`);
  process.exit(1);
}

function parse(): Parameters<typeof startProphecyStandIn>[0] {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        token: { type: "string", multiple: true },
        team: { type: "string", multiple: true },
        port: { type: "string" },
        cert: { type: "string" },
        key: { type: "string" },
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  const tokens = values.token ?? [];
  if (tokens.length === 0) fail("at least one --token is needed");
  const teams: Team[] = (values.team ?? []).map((spec) => {
    const match = /^(\d+)=(.+)$/.exec(spec);
    if (!match) fail(`--team wants ID=NAME with a numeric id, not "${spec}"`);
    return { id: match[1]!, name: match[2]! };
  });
  if (teams.length === 0) fail("at least one --team is needed");
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port wants 0-65535, not "${values.port}"`);
  if ((values.cert === undefined) !== (values.key === undefined)) fail("--cert and --key go together");
  const grant = { user: "demo", teams: teams.map((t) => t.name) };
  return {
    tokens: Object.fromEntries(tokens.map((t) => [t, grant])),
    teams,
    port,
    ...(values.cert !== undefined && { tls: { cert: readPem(values.cert), key: readPem(values.key!) } }),
  };
}

function readPem(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    fail(`cannot read ${file}: ${(e as Error).message}`);
  }
}

const standIn = await startProphecyStandIn(parse()).catch((e: Error) => fail(e.message));
process.stdout.write(`${standIn.url}\n`);
const stop = (): void => void standIn.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
