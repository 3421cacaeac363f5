// fabricate force-unlock ID: clears a state lock left by a process that died holding it (a file's lock),
// or ends the database session of a holder that hangs (PostgreSQL's, which a dead holder never leaves).
// Takes the lock's ID (printed in the message a second writer sees) so that no other lock is broken by
// mistake.
import type { Command } from "commander";
import { exitOk } from "../exitCodes.js";
import { reportingStateErrors, stateOption } from "../stateCommand.js";

export function registerForceUnlock(program: Command): void {
  program
    .command("force-unlock")
    .description("clear a state lock left by a dead process (PostgreSQL: end the session of a hung holder)")
    .argument("<id>", "the lock ID, as printed by the command that found the state locked")
    .addOption(stateOption())
    .action((id: string, options: { state?: string }) =>
      reportingStateErrors(async () => {
        const { stateLocation, usingStateStore } = await import("../../state/openStateStore.js");
        const { describeHolder } = await import("../../state/stateStore.js");
        await usingStateStore(stateLocation(options.state), async (store) => {
          const holder = await store.forceUnlock(id);
          process.stdout.write(`The state ${store.describe()} is unlocked. The lock was held by ${describeHolder(holder)}.\n`);
        });
        process.exitCode = exitOk;
      }),
    );
}
