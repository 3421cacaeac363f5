// fabricate codeowners [paths]: prints CODEOWNERS lines routing each config file to the reviewers of
// the teams it declares fabrics for, to commit as .github/CODEOWNERS.
import type { Command } from "commander";
import { loadConfig } from "../../config/loadConfig.js";
import { defaultConfigPaths } from "../../config/sourceFiles.js";
import { reportDiagnostics } from "../diagnosticsOutput.js";
import { exitFailed, exitOk } from "../exitCodes.js";

export function registerCodeowners(program: Command): void {
  program
    .command("codeowners")
    .description("print CODEOWNERS lines giving each config file to its teams' reviewers")
    .argument("[paths...]", "config files or directories (default: ./fabrics if it exists, else .)")
    .action(async (paths: string[]) => {
      const loaded = loadConfig(paths.length > 0 ? paths : defaultConfigPaths());
      if (!reportDiagnostics(loaded.diagnostics, loaded.texts) || !loaded.model) {
        process.exitCode = exitFailed;
        return;
      }
      const { renderCodeowners } = await import("../../plan/codeowners.js");
      process.stdout.write(renderCodeowners(loaded.model, process.cwd()));
      process.exitCode = exitOk;
    });
}
