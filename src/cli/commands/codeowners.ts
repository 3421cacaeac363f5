// fabricate codeowners [paths]: prints CODEOWNERS lines routing each config file to the reviewers of
// the teams it declares fabrics for, to commit as .github/CODEOWNERS.
import type { Command } from "commander";
import { loadCheckedConfig } from "../desiredFabrics.js";
import { reportDiagnostics } from "../diagnosticsOutput.js";
import { exitFailed, exitOk } from "../exitCodes.js";

export function registerCodeowners(program: Command): void {
  program
    .command("codeowners")
    .description("print CODEOWNERS lines giving each config file to its teams' reviewers")
    .argument("[paths...]", "config files or directories (default: ./fabrics if it exists, else .)")
    .action(async (paths: string[]) => {
      const loaded = loadCheckedConfig(paths);
      if (!loaded) {
        process.exitCode = exitFailed;
        return;
      }
      const { renderCodeowners } = await import("../../plan/codeowners.js");
      const rendered = renderCodeowners(loaded.model, process.cwd());
      if (!reportDiagnostics(rendered.diagnostics) || rendered.text === undefined) {
        process.exitCode = exitFailed;
        return;
      }
      process.stdout.write(rendered.text);
      process.exitCode = exitOk;
    });
}
