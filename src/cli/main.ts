// The fabricate command line: flag parsing and wiring only. Each command lives in commands/ and loads
// its heavy dependencies (nodemailer, pg) only when it runs, so that `validate` starts fast; no command
// loads cdktf, which only CDK apps need (fabricate/cdk).
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { registerSynth } from "./commands/synth.js";
import { registerValidate } from "./commands/validate.js";
import { registerForceUnlock } from "./commands/forceUnlock.js";
import { registerPlan } from "./commands/plan.js";
import { registerApply } from "./commands/apply.js";
import { registerImport } from "./commands/import.js";
import { registerCodeowners } from "./commands/codeowners.js";
import { registerVerify } from "./commands/verify.js";
import { registerSend } from "./commands/send.js";
import { registerShow } from "./commands/show.js";
import { registerState } from "./commands/state.js";
import { exitFailed, exitOk } from "./exitCodes.js";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command("fabricate")
  .description("Fabrics and SMTP connections as code: validate, synth, plan, apply, verify, send.")
  .version(version)
  .option("--no-color", "no ANSI colours in the output, whatever NO_COLOR, FORCE_COLOR or the terminal say")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text.startsWith("error:") ? `fabricate: ${text}` : text) });

registerValidate(program);
registerSynth(program);
registerPlan(program);
registerApply(program);
registerImport(program);
registerShow(program);
registerForceUnlock(program);
registerState(program);
registerCodeowners(program);
registerVerify(program);
registerSend(program);

for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help" ? exitOk : exitFailed;
  } else {
    // A bug, not a user mistake: say so without a stack trace unless asked.
    process.stderr.write(`fabricate: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.FABRICATE_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = exitFailed;
  }
}
