// fabricate codeowners [paths]: the CODEOWNERS lines routing each config file to the reviewers of the
// teams it declares fabrics for. Printed by default; with --check FILE or --write FILE, compared with or
// written into the fabricate block of a repository's CODEOWNERS file, whose own rules stay untouched.
import { Option, type Command } from "commander";
import { loadCheckedConfig } from "../desiredFabrics.js";
import { reportDiagnostics } from "../diagnosticsOutput.js";
import { exitFailed, exitOk } from "../exitCodes.js";

interface CodeownersOptions {
  check?: string;
  write?: string;
}

export function registerCodeowners(program: Command): void {
  program
    .command("codeowners")
    .description("print CODEOWNERS lines giving each config file to its teams' reviewers, or check or write them into a CODEOWNERS file's fabricate block")
    .argument("[paths...]", "config files or directories (default: ./fabrics if it exists, else .)")
    .addOption(new Option("--check <file>", "exit 1, naming what differs, unless FILE's block between `# BEGIN fabricate` and `# END fabricate` holds these lines").conflicts("write"))
    .option("--write <file>", "put these lines in FILE's fabricate block (appended when it has none; the rest of FILE is kept)")
    .action(async (paths: string[], options: CodeownersOptions) => {
      process.exitCode = await runCodeowners(paths, options);
    });
}

async function runCodeowners(paths: string[], options: CodeownersOptions): Promise<number> {
  const loaded = loadCheckedConfig(paths);
  if (!loaded) return exitFailed;
  const { renderCodeowners } = await import("../../codeowners/renderCodeowners.js");
  const rendered = renderCodeowners(loaded.model, process.cwd());
  if (!reportDiagnostics(rendered.diagnostics) || rendered.text === undefined) return exitFailed;

  if (options.check !== undefined) {
    const { checkCodeownersFile } = await import("../../codeowners/codeownersFile.js");
    if (!reportDiagnostics(checkCodeownersFile(options.check, rendered.text))) return exitFailed;
    process.stdout.write(`ok: ${options.check}: the fabricate block is up to date\n`);
  } else if (options.write !== undefined) {
    const { writeCodeownersFile } = await import("../../codeowners/codeownersFile.js");
    const written = writeCodeownersFile(options.write, rendered.text);
    if (!reportDiagnostics(written.diagnostics)) return exitFailed;
    process.stdout.write(written.changed ? `wrote the fabricate block of ${options.write}\n` : `ok: ${options.write}: the fabricate block is up to date; nothing written\n`);
  } else {
    process.stdout.write(rendered.text);
  }
  return exitOk;
}
