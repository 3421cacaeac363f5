// fabricate force-unlock ID: clears a state lock left by a process that died holding it. Takes the lock's
// ID (printed in the message a second writer sees) so that a live lock is not cleared by mistake.
import type { Command } from "commander";
import { exitOk } from "../exitCodes.js";
import { reportingStateErrors, stateOption } from "../stateCommand.js";

export function registerForceUnlock(program: Command): void {
  program
    .command("force-unlock")
    .description("clear a state lock left by a dead process")
    .argument("<id>", "the lock ID, as printed by the command that found the state locked")
    .addOption(stateOption())
    .action((id: string, options: { state: string }) =>
      reportingStateErrors(async () => {
        const { openStateStore } = await import("../../state/localStateStore.js");
        await openStateStore(options.state).forceUnlock(id);
        process.stdout.write(`The state ${options.state} is unlocked (lock ID ${id}).\n`);
        process.exitCode = exitOk;
      }),
    );
}
