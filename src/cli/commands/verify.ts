// fabricate verify [paths] | --state PATH: a real SMTP login per connection, with its real secret,
// after the trust rules allow it. Flag parsing and wiring only; nodemailer is loaded when it runs.
import { Option, type Command } from "commander";
import { stateLocation, usingStateStore } from "../../state/openStateStore.js";
import type { State } from "../../state/stateStore.js";
import type { FabricConfig } from "../../synth/fabricConfig.js";
import { verifyFormats, verifyRenderers, type VerifyFormat } from "../../smtp/verifyRenderer.js";
import { countResults } from "../../smtp/verifyResult.js";
import { loadDesiredFabrics } from "../desiredFabrics.js";
import { reportDiagnostics } from "../diagnosticsOutput.js";
import { printError } from "../errorOutput.js";
import { exitFailed, exitOk } from "../exitCodes.js";
import { terminalProgress } from "../progress.js";
import { reportingStateErrors, stateOption } from "../stateCommand.js";
import { collect, parseSessionFlags } from "../smtpOptions.js";

interface VerifyFlags {
  state?: string;
  synthesized?: string;
  fabric?: string;
  connection?: string;
  timeout: string;
  concurrency: string;
  ca?: string;
  trustNewHosts?: boolean;
  secretProvider: string[];
  format: VerifyFormat;
  verbose?: boolean;
}

/**
 * The fabric configs to check and the applied state for the trust rules, or an exit code.
 * `--synthesized DIR` verifies the fabric configs synth wrote there (a CDK user's stack directory has
 * no YAML); else `--state` without config paths verifies what that state holds; else the config paths
 * (or the default ones) are checked. Otherwise the state (--state, else $FABRICATE_STATE, else
 * .fabricate/state.json) only feeds the trust rules.
 */
async function loadTargets(paths: string[], flags: VerifyFlags): Promise<{ fabrics: readonly FabricConfig[]; applied: State | undefined } | number> {
  return usingStateStore(stateLocation(flags.state), async (store) => {
    if (flags.synthesized !== undefined) {
      // Loaded only here: the schema validator it brings is large, and other commands never need it.
      const { readSynthesizedFabrics } = await import("../../synth/readOutputDir.js");
      const read = readSynthesizedFabrics(flags.synthesized);
      if (!reportDiagnostics(read.diagnostics)) return exitFailed;
      return { fabrics: read.fabrics, applied: await store.read() };
    }
    if (flags.state !== undefined && paths.length === 0) {
      const applied = await store.read();
      if (!applied) {
        printError("verify.state", `nothing is applied in ${store.describe()}: run fabricate apply first, or give config paths to verify`);
        return exitFailed;
      }
      return { fabrics: applied.fabrics, applied };
    }
    const loaded = loadDesiredFabrics(paths);
    if (!loaded) return exitFailed;
    return { fabrics: loaded.desired, applied: await store.read() };
  });
}

function selectionProblem(fabrics: readonly FabricConfig[], flags: VerifyFlags): string | undefined {
  const inFabric = flags.fabric === undefined ? fabrics : fabrics.filter((f) => f.name === flags.fabric);
  if (flags.fabric !== undefined && inFabric.length === 0) {
    return `no fabric named ${JSON.stringify(flags.fabric)} (fabrics: ${fabrics.map((f) => f.name).join(", ") || "none"})`;
  }
  if (flags.connection !== undefined && !inFabric.some((f) => f.connections.some((c) => c.name === flags.connection))) {
    return `no connection named ${JSON.stringify(flags.connection)}${flags.fabric ? ` in fabric ${flags.fabric}` : ""}`;
  }
  return undefined;
}

export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description("log in to each connection's SMTP server with its real secret (greeting, EHLO, TLS, AUTH, QUIT) and say exactly what fails")
    .argument("[paths...]", "config files or directories (default: ./fabrics if it exists, else .)")
    .addOption(stateOption())
    .option("--synthesized <dir>", "verify the fabric configs fabricate synth wrote to DIR (checked against its manifest.json), as a CDK stack's provisioner does")
    .option("--fabric <name>", "only this fabric's connections")
    .option("--connection <name>", "only connections with this name")
    .option("--timeout <duration>", "bound on each connection's whole session", "10s")
    .option("--concurrency <n>", "connections checked at once", "8")
    .option("--ca <file>", "a PEM file of a private CA to trust (beside each connection's caFile)")
    .option("--trust-new-hosts", "let secrets go to servers the applied state does not bind them to (after review)")
    .option("--secret-provider <from=to>", "resolve FROM references with provider TO for this run, as in prophecy=env (repeatable)", collect, [])
    .addOption(new Option("--format <format>", "output format").choices(verifyFormats).default("text"))
    .option("--verbose", "show each SMTP transcript: what the client says during AUTH is masked, and the server's replies from AUTH on show as codes only")
    .action((paths: string[], flags: VerifyFlags) => reportingStateErrors(() => verifyAction(paths, flags)));
}

async function verifyAction(paths: string[], flags: VerifyFlags): Promise<void> {
  const session = parseSessionFlags(flags);
  if ("error" in session) {
    printError("usage", session.error);
    process.exitCode = exitFailed;
    return;
  }
  if (flags.synthesized !== undefined && paths.length > 0) {
    printError("usage", "give config paths or --synthesized DIR, not both");
    process.exitCode = exitFailed;
    return;
  }
  const targets = await loadTargets(paths, flags);
  if (typeof targets === "number") {
    process.exitCode = targets;
    return;
  }
  const problem = selectionProblem(targets.fabrics, flags);
  if (problem) {
    printError("verify.selection", problem);
    process.exitCode = exitFailed;
    return;
  }
  const { verifyConnections } = await import("../../smtp/verifyConnections.js");
  const progress = terminalProgress("verifying");
  const results = await verifyConnections(targets.fabrics, {
    applied: targets.applied,
    timeoutMs: session.value.timeoutMs,
    concurrency: session.value.concurrency,
    ...(flags.ca !== undefined && { caFile: flags.ca }),
    trustNewHosts: flags.trustNewHosts ?? false,
    secrets: { overrides: session.value.overrides },
    verbose: flags.verbose ?? false,
    include: (f, c) => (flags.fabric === undefined || f.name === flags.fabric) && (flags.connection === undefined || c.name === flags.connection),
    onResult: (_r, done, total) => progress.update(done, total),
  });
  progress.clear();
  process.stdout.write(verifyRenderers[flags.format](results));
  process.exitCode = countResults(results).failed > 0 ? exitFailed : exitOk;
}
