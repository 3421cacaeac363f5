// The fabricate command line: flag parsing and wiring only. Each command lives in commands/ and loads
// its heavy dependencies (nodemailer, pg) only when it runs, so that `validate` starts fast; no command
// loads cdktf, which only CDK apps need (fabricate/cdk). Only the command named on the command line is
// registered (all of them for help, an unknown command or options before the command): loading the
// other ten registrations cost validate about 6 ms of its start-up.
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { exitFailed, exitOk } from "./exitCodes.js";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command("fabricate")
  .description("Fabrics and SMTP connections as code: validate, synth, plan, apply, verify, send.")
  .version(version)
  .option("--no-color", "no ANSI colours in the output, whatever NO_COLOR, FORCE_COLOR or the terminal say")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text.startsWith("error:") ? `fabricate: ${text}` : text) });

type Registration = () => Promise<(program: Command) => void>;
// In the order help lists them.
const registrations = new Map<string, Registration>([
  ["validate", async () => (await import("./commands/validate.js")).registerValidate],
  ["synth", async () => (await import("./commands/synth.js")).registerSynth],
  ["plan", async () => (await import("./commands/plan.js")).registerPlan],
  ["apply", async () => (await import("./commands/apply.js")).registerApply],
  ["import", async () => (await import("./commands/import.js")).registerImport],
  ["show", async () => (await import("./commands/show.js")).registerShow],
  ["force-unlock", async () => (await import("./commands/forceUnlock.js")).registerForceUnlock],
  ["state", async () => (await import("./commands/state.js")).registerState],
  ["codeowners", async () => (await import("./commands/codeowners.js")).registerCodeowners],
  ["verify", async () => (await import("./commands/verify.js")).registerVerify],
  ["send", async () => (await import("./commands/send.js")).registerSend],
]);
const named = registrations.get(process.argv[2] ?? "");
for (const register of named ? [named] : registrations.values()) (await register())(program);

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
