// The flags of the commands that talk to Prophecy's API (plan, apply, import), parsed once here so that
// each accepts and refuses the same things with the same words.
import { Option, type Command } from "commander";
import { parseDuration } from "../duration.js";
import type { Parsed } from "./smtpOptions.js";

export interface ProphecyFlags {
  refresh?: string;
  apiTimeout: string;
  parallelism: string;
}

export interface ProphecyRunSettings {
  /** Read what Prophecy holds before planning (plan, apply). */
  readonly refresh: boolean;
  readonly timeoutMs: number;
  readonly parallelism: number;
}

export function addProphecyOptions(command: Command, options: { readonly refresh: boolean }): Command {
  if (options.refresh) {
    command.addOption(
      new Option("--refresh <bool>", "with a prophecy block: read what Prophecy holds first and show changes made outside fabricate (--refresh=false plans against the state as recorded)")
        .choices(["true", "false"])
        .default("true"),
    );
  }
  return command
    .option("--api-timeout <duration>", "with a prophecy block: bound on each call to Prophecy's API", "30s")
    .option("--parallelism <n>", "with a prophecy block: calls to Prophecy's API in flight at once", "8");
}

export function parseProphecyFlags(flags: ProphecyFlags): Parsed<ProphecyRunSettings> {
  const timeoutMs = parseDuration(flags.apiTimeout);
  if (timeoutMs === undefined || timeoutMs <= 0) return { error: `--api-timeout takes a duration such as 500ms, 30s or 2m, not ${JSON.stringify(flags.apiTimeout)}` };
  const parallelism = Number(flags.parallelism);
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 256) return { error: `--parallelism takes a whole number from 1 to 256, not ${JSON.stringify(flags.parallelism)}` };
  return { value: { refresh: flags.refresh !== "false", timeoutMs, parallelism } };
}
