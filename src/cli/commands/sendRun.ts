// The work of `fabricate send`: the applied state, then sendMail (nodemailer, loaded only here), and
// the message id or what went wrong.
import { describeServerWords } from "../../smtp/serverReply.js";
import { stateLocation, usingStateStore } from "../../state/openStateStore.js";
import { printError } from "../errorOutput.js";
import { exitFailed, exitOk } from "../exitCodes.js";
import { parseSessionFlags } from "../smtpOptions.js";

export interface SendFlags {
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

export async function runSend(flags: SendFlags): Promise<void> {
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
