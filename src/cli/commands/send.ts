// fabricate send: the Email step through an applied connection. Flag parsing and wiring only (the work
// is loaded when it runs, sendRun.ts); the rules (team membership, sender, trust, TLS) live in
// smtp/sendMail. Prints the message id on success.
import type { Command } from "commander";
import { collect } from "../repeatableOption.js";
import { reportingStateErrors, stateOption } from "../stateCommand.js";
import type { SendFlags } from "./sendRun.js";

export function registerSend(program: Command): void {
  program
    .command("send")
    .description("send a message through an applied connection, as a member of the fabric's team (the Email step)")
    .requiredOption("--fabric <name>", "the applied fabric")
    .requiredOption("--connection <name>", "the fabric's SMTP connection")
    .requiredOption("--as <member>", "the team member the message is sent for")
    .requiredOption("--to <address>", "a recipient (repeatable, or comma-separated)", collect, [])
    .option("--cc <address>", "a copy recipient (repeatable, or comma-separated)", collect, [])
    .requiredOption("--subject <text>", "the subject")
    .option("--text <body>", "a plain-text body")
    .option("--html <body>", "an HTML body")
    .option("--attach <file>", "a file to attach (repeatable)", collect, [])
    .option("--from <address>", "refused unless it is the connection's own user, who is always the sender")
    .addOption(stateOption())
    .option("--timeout <duration>", "bound on the whole SMTP session", "30s")
    .option("--ca <file>", "a PEM file of a private CA to trust (beside the connection's caFile)")
    .option("--secret-provider <from=to>", "resolve FROM references with provider TO for this run, as in prophecy=env (repeatable)", collect, [])
    .action((flags: SendFlags) => reportingStateErrors(async () => (await import("./sendRun.js")).runSend(flags)));
}
