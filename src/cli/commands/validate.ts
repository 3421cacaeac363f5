// fabricate validate [paths]: schema and semantic checks, for every pull request, every editor save and
// every pre-commit hook. A hook passes only the changed files, and an editor pipes one buffer in (`-`):
// such a file is checked within its whole config (--config-root, default ./fabrics when the files lie
// in it), so that a team declared in another file still resolves, and only its own diagnostics print.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { diagnosticsFormats, type DiagnosticsFormat } from "../../diagnostics/renderer.js";
import { loadConfig, type ConfigOverlay } from "../../config/loadConfig.js";
import { maxFileBytes } from "../../config/limits.js";
import { configPaths, isInside } from "../../config/sourceFiles.js";
import { printDiagnostics } from "../diagnosticsOutput.js";
import { printError } from "../errorOutput.js";
import { exitFailed, exitOk } from "../exitCodes.js";

interface ValidateOptions {
  format: DiagnosticsFormat;
  configRoot?: string;
  stdinFilename?: string;
}

/** `3 errors, 1 warning`: the last line of a failed validate, so a long list ends with its size. */
function countLine(diagnostics: readonly Diagnostic[]): string {
  const count = (severity: Diagnostic["severity"], word: string) => {
    const n = diagnostics.filter((d) => d.severity === severity).length;
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  };
  return `${count("error", "error")}, ${count("warning", "warning")}`;
}

async function readStdin(): Promise<Buffer | { error: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > maxFileBytes) return { error: `standard input is more than the ${maxFileBytes} bytes a config file may hold` };
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The config a set of single files belongs to: --config-root, else ./fabrics when they all lie in it. */
function configRootFor(files: readonly string[], flag: string | undefined): string | undefined {
  if (flag !== undefined) return flag;
  if (files.length === 0 || !existsSync("fabrics") || !statSync("fabrics").isDirectory()) return undefined;
  return files.every((f) => isInside("fabrics", f)) ? "fabrics" : undefined;
}

async function validate(paths: string[], options: ValidateOptions): Promise<void> {
  const fromStdin = paths.includes("-");
  const named = paths.filter((p) => p !== "-");
  let overlay: ConfigOverlay | undefined;
  if (fromStdin) {
    const bytes = await readStdin();
    if ("error" in bytes) {
      printError("file.too-large", bytes.error);
      process.exitCode = exitFailed;
      return;
    }
    overlay = { file: options.stdinFilename ?? "<stdin>", bytes };
  }
  const single = [...named, ...(overlay ? [overlay.file] : [])];
  const onlyFiles = single.every((p) => p === overlay?.file || (existsSync(p) && statSync(p).isFile()));
  const root = single.length > 0 && onlyFiles ? configRootFor(single, options.configRoot) : undefined;
  const loaded = root !== undefined ? loadConfig([root], overlay) : loadConfig(named.length > 0 || !overlay ? configPaths(named) : [], overlay);
  // Checked within its config, a file reports what is wrong in it; the rest of the config is not its business.
  // A problem with the root itself (missing, holding no config) is reported too.
  const mine = new Set([...single, ...(root !== undefined ? [root] : [])].map((p) => resolve(p)));
  const diagnostics = root !== undefined ? loaded.diagnostics.filter((d) => d.file === undefined || mine.has(resolve(d.file))) : loaded.diagnostics;
  printDiagnostics(diagnostics, options.format, loaded.texts);
  if (options.format === "text" && hasErrors(diagnostics)) process.stderr.write(`${countLine(diagnostics)}\n`);
  if (options.format === "text" && !hasErrors(diagnostics)) {
    const model = loaded.model;
    const within = root !== undefined ? ` within the config in ${root}` : "";
    const counts = model
      ? `, ${model.teams.length} team(s), ${model.fabrics.length} fabric(s), ${model.fabrics.reduce((n, f) => n + f.connections.length, 0)} connection(s)`
      : "";
    process.stdout.write(root !== undefined ? `ok: ${single.length} file(s) checked${within}${model ? ` (${loaded.files.length} file(s)${counts})` : ""}\n` : `ok: ${loaded.files.length} file(s)${counts}\n`);
  }
  process.exitCode = hasErrors(diagnostics) ? exitFailed : exitOk;
}

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check config files against the schema and the semantic rules")
    .argument("[paths...]", "config files or directories (default: ./fabrics if it exists, else .); - reads one file from standard input")
    .addOption(new Option("--format <format>", "output format").choices(diagnosticsFormats).default("text"))
    .option("--config-root <dir>", "check the given files within the whole config in DIR, reporting only on them (default: ./fabrics when they lie in it)")
    .option("--stdin-filename <path>", "the path that standard input (-) stands for, in diagnostics and within the config")
    .action((paths: string[], options: ValidateOptions) => validate(paths, options));
}
