// fabricate import [paths] --fabric-id ID…: adopts fabrics that exist in Prophecy (by id:
// Prophecy cannot list fabrics), writing one YAML file per fabric and recording them in the state, so
// that the next plan says `No changes.` Only the flags live here; the work is in importRun.ts.
import type { Command } from "commander";
import { addProphecyOptions } from "../prophecyOptions.js";
import { collect } from "../repeatableOption.js";
import { lockTimeoutOption, stateOption } from "../stateCommand.js";
import type { ImportOptions } from "./importRun.js";

export function registerImport(program: Command): void {
  const command = program
    .command("import")
    .description("adopt fabrics that exist in Prophecy: write their YAML and record them in the state")
    .argument("[paths...]", "config files or directories, with the prophecy block (default: ./fabrics if it exists, else .)")
    .requiredOption("--fabric-id <ids...>", "the Prophecy ids of the fabrics to import (put config paths before it)")
    .option("--out <dir>", "where to write one YAML file per fabric (default: the config directory)")
    .option("--team <id=name>", "Prophecy's team id and the config's name for it, beside prophecy.teams (repeatable)", collect, [])
    .option("--trust-new-hosts", "let the Prophecy token go to a URL, CA or token setting not yet applied (after review)")
    .addOption(stateOption())
    .addOption(lockTimeoutOption());
  addProphecyOptions(command, { refresh: false }).action(async (paths: string[], options: ImportOptions) => (await import("./importRun.js")).runImport(paths, options));
}
