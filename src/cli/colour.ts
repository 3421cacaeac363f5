// Whether a command's output gets ANSI colours, decided here for every command that colours anything.
// The most local say wins: the command line's --no-color, then FORCE_COLOR (usually set for one CI job
// whose log renders colours; `0` or `false` turn them off, as in Node), then NO_COLOR (a person's
// standing preference, https://no-color.org: any non-empty value), and otherwise a terminal gets colours
// and a pipe or file does not.
import type { Command } from "commander";

export function wantsColor(isTTY: boolean, env: NodeJS.ProcessEnv, colorFlag: boolean): boolean {
  if (!colorFlag) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if ((env.NO_COLOR ?? "") !== "") return false;
  return isTTY;
}

/** For a command's standard output, with the program's global --no-color as given to `command`. */
export function stdoutWantsColor(command: Command): boolean {
  return wantsColor(process.stdout.isTTY === true, process.env, command.optsWithGlobals<{ color?: boolean }>().color !== false);
}
