// fabricate validate [paths]: schema and semantic checks, for every pull request.
import { Option, type Command } from "commander";
import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { diagnosticsFormats, type DiagnosticsFormat } from "../../diagnostics/renderer.js";
import { loadConfig } from "../../config/loadConfig.js";
import { configPaths } from "../../config/sourceFiles.js";
import { printDiagnostics } from "../diagnosticsOutput.js";
import { exitFailed, exitOk } from "../exitCodes.js";

/** `3 errors, 1 warning`: the last line of a failed validate, so a long list ends with its size. */
function countLine(diagnostics: readonly Diagnostic[]): string {
  const count = (severity: Diagnostic["severity"], word: string) => {
    const n = diagnostics.filter((d) => d.severity === severity).length;
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  };
  return `${count("error", "error")}, ${count("warning", "warning")}`;
}

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check config files against the schema and the semantic rules")
    .argument("[paths...]", "config files or directories (default: ./fabrics if it exists, else .)")
    .addOption(new Option("--format <format>", "output format").choices(diagnosticsFormats).default("text"))
    .action((paths: string[], options: { format: DiagnosticsFormat }) => {
      const loaded = loadConfig(configPaths(paths));
      printDiagnostics(loaded.diagnostics, options.format, loaded.texts);
      if (options.format === "text" && hasErrors(loaded.diagnostics)) process.stderr.write(`${countLine(loaded.diagnostics)}\n`);
      if (options.format === "text" && loaded.model) {
        const connections = loaded.model.fabrics.reduce((n, f) => n + f.connections.length, 0);
        process.stdout.write(
          `ok: ${loaded.files.length} file(s), ${loaded.model.teams.length} team(s), ${loaded.model.fabrics.length} fabric(s), ${connections} connection(s)\n`,
        );
      }
      process.exitCode = hasErrors(loaded.diagnostics) ? exitFailed : exitOk;
    });
}
