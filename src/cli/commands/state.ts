// fabricate state pull | push FILE | history: moving a state between stores (a file and PostgreSQL, or
// two workspaces) and reading who wrote it when. Only the flags live here; the work is loaded when a
// subcommand runs (stateRun.ts).
import { Option, type Command } from "commander";
import { historyFormats } from "../../state/historyFormat.js";
import { lockTimeoutOption, stateOption } from "../stateCommand.js";

export function registerState(program: Command): void {
  const state = program.command("state").description("move the state between stores, and show its history");
  state
    .command("pull")
    .description("print the state as canonical JSON on stdout")
    .addOption(stateOption())
    .action(async (options: { state?: string }) => (await import("./stateRun.js")).runStatePull(options));
  state
    .command("push")
    .description("replace the state with FILE (- for stdin), under the lock: only a newer serial of the same lineage unless --force")
    .argument("<file>", "a state, as `fabricate state pull` prints it")
    .addOption(stateOption())
    .option("--force", "replace the state even with another lineage or an older serial (the serial still grows)")
    .addOption(lockTimeoutOption())
    .action(async (file: string, options: { state?: string; force?: boolean; lockTimeout: number }) => (await import("./stateRun.js")).runStatePush(file, options));
  state
    .command("history")
    .description("every write of the state, oldest first: serial, when, who, operation and plan hash")
    .addOption(stateOption())
    .addOption(new Option("--format <format>", "output format").choices(historyFormats).default("text"))
    .action(async (options: { state?: string; format: (typeof historyFormats)[number] }) => (await import("./stateRun.js")).runStateHistory(options));
}
