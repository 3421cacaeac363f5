// What the commands that touch the state store share: the --state and --lock-timeout flags, the line a
// run prints while it waits for a held lock, and turning a StateError (a held lock, a corrupt file, a
// state that moved on) into `fabricate: error: …` and exit 1 instead of a stack trace.
import { InvalidArgumentError, Option } from "commander";
import { formatDuration, maxDurationMs, parseDuration } from "../duration.js";
import { defaultStatePath } from "../state/defaultStatePath.js";
import { StateError, type StateLockedError } from "../state/stateStore.js";
import type { LockWaitOptions } from "../state/withStateLock.js";
import { printError } from "./errorOutput.js";
import { exitFailed } from "./exitCodes.js";

export function stateOption(): Option {
  return new Option(
    "--state <path-or-url>",
    `the state: a JSON file, or postgres://user@host:port/db?schema=fabricate&workspace=NAME (default: $FABRICATE_STATE, else ${defaultStatePath})`,
  );
}

export function lockTimeoutOption(): Option {
  return new Option("--lock-timeout <duration>", "how long to wait for a held state lock, such as 0s (not at all), 10s or 2m")
    .default(0, "0s")
    .argParser((text: string) => {
      // 0s is allowed here: it means "do not wait".
      const ms = parseDuration(text);
      if (ms === undefined) throw new InvalidArgumentError(`a duration from 0s to ${formatDuration(maxDurationMs)} such as 0s, 500ms, 10s or 2m is expected.`);
      return ms;
    });
}

/** How a command waits for the lock: up to its --lock-timeout, saying once on stderr whom it waits for. */
export function lockWait(timeoutMs: number): LockWaitOptions {
  return {
    timeoutMs,
    onWait: (e: StateLockedError) => process.stderr.write(`fabricate: waiting up to ${Math.round(timeoutMs / 1000)}s for the state lock: ${e.message.split("\n")[0]}\n`),
  };
}

/** Runs a command's body; a StateError becomes a one-line error and exit 1. */
export async function reportingStateErrors(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (!(e instanceof StateError)) throw e;
    printError("state", e.message);
    process.exitCode = exitFailed;
  }
}
