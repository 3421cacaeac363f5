// fabricate send: the Email step through an applied connection. Flag parsing and wiring only; the rules
// (team membership, sender, trust, TLS) live in smtp/sendMail. Prints the message id on success.
import type { Command } from "commander";
import { describeServerWords } from "../../smtp/serverReply.js";
import { stateLocation, usingStateStore } from "../../state/openStateStore.js";
import { printError } from "../errorOutput.js";
import { exitFailed, exitOk } from "../exitCodes.js";
import { collect, parseSessionFlags } from "../smtpOptions.js";
import { reportingStateErrors, stateOption } from "../stateCommand.js";

interface SendFlags {
  fabric: string;
  connection: string;
  as: string;
  from?: string;
  to: string[];
  cc: string[];
  subject: string;
  text?: string;
  html?: string;
  attach: string[];
  state?: string;
  timeout: string;
  ca?: string;
  secretProvider: string[];
}

/** `--to a@x --to b@x,c@x` → three addresses. */
const addresses = (values: readonly string[]) => values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");

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
    .action((flags: SendFlags) => reportingStateErrors(() => sendAction(flags)));
}

async function sendAction(flags: SendFlags): Promise<void> {
  const session = parseSessionFlags(flags);
  if ("error" in session) {
    printError("usage", session.error);
    process.exitCode = exitFailed;
    return;
  }
  const applied = await usingStateStore(stateLocation(flags.state), (store) => store.read());
  const { sendMail } = await import("../../smtp/sendMail.js");
  const outcome = await sendMail(
    {
      fabric: flags.fabric,
      connection: flags.connection,
      as: flags.as,
      ...(flags.from !== undefined && { from: flags.from }),
      to: addresses(flags.to),
      cc: addresses(flags.cc),
      subject: flags.subject,
      ...(flags.text !== undefined && { text: flags.text }),
      ...(flags.html !== undefined && { html: flags.html }),
      attachments: flags.attach,
    },
    { applied, timeoutMs: session.value.timeoutMs, ...(flags.ca !== undefined && { caFile: flags.ca }), secrets: { overrides: session.value.overrides } },
  );
  if (!outcome.ok) {
    const words = describeServerWords(outcome);
    const said = words !== undefined ? `; ${words}` : "";
    printError(`send.${outcome.class}`, `${outcome.class === "not-allowed" ? "" : `${outcome.class}: `}${outcome.message}${said}`);
    process.exitCode = exitFailed;
    return;
  }
  if (outcome.rejected.length > 0) process.stderr.write(`fabricate: warning: the server refused ${outcome.rejected.join(", ")}\n`);
  process.stdout.write(`${outcome.messageId}\n`);
  process.exitCode = exitOk;
}
