// fabricate verify [paths] | --state PATH: a real SMTP login per connection, with its real secret,
// after the trust rules allow it. Flag parsing and wiring only; the work (and nodemailer) is loaded
// when it runs (verifyRun.ts).
import { Option, type Command } from "commander";
import { defaultVerifyConcurrency } from "../../smtp/verifyDefaults.js";
import { verifyFormats } from "../../smtp/verifyFormat.js";
import { collect } from "../repeatableOption.js";
import { reportingStateErrors, stateOption } from "../stateCommand.js";
import type { VerifyFlags } from "./verifyRun.js";

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
    .option("--concurrency <n>", "connections checked at once", String(defaultVerifyConcurrency))
    .option("--ca <file>", "a PEM file of a private CA to trust (beside each connection's caFile)")
    .option("--trust-new-hosts", "let secrets go to servers the applied state does not bind them to (after review)")
    .option("--secret-provider <from=to>", "resolve FROM references with provider TO for this run, as in prophecy=env (repeatable)", collect, [])
    .addOption(new Option("--format <format>", "output format").choices(verifyFormats).default("text"))
    .option("--verbose", "show each SMTP transcript: what the client says during AUTH is masked, and the server's replies from AUTH on show as codes only")
    .action((paths: string[], flags: VerifyFlags) => reportingStateErrors(async () => (await import("./verifyRun.js")).runVerify(paths, flags)));
}
