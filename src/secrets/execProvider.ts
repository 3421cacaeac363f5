// exec: the credential-process pattern that fronts vault, op, sops and cloud CLIs. The command comes
// from the fabric's reviewed config, runs WITHOUT a shell (the reference's fields are substituted into
// single arguments, so a secret name can never inject a command), is killed at its timeout, and its
// standard output is the value. Its stderr is quoted in failures: that is where such tools explain.
import { execFile } from "node:child_process";
import type { SecretRef } from "../model.js";
import { formatDuration } from "../duration.js";
import { secretFound, secretMissing, trimTrailingNewline, type SecretProvider, type SecretResolution } from "./secretProvider.js";

export interface ExecSettings {
  readonly command: readonly string[];
  readonly timeoutMs: number;
}

/** The command's argv for one reference, or why it cannot be built. */
export function execArgv(command: readonly string[], ref: SecretRef): string[] | { error: string } {
  if (command.some((a) => a.includes("{key}")) && ref.key === undefined) {
    return { error: "the exec command uses {key}, but the reference has no key" };
  }
  return command.map((arg) => arg.replaceAll("{secret}", ref.secret).replaceAll("{key}", ref.key ?? ""));
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export class ExecSecretProvider implements SecretProvider {
  constructor(private readonly settings: ExecSettings) {}

  resolve(ref: SecretRef): Promise<SecretResolution> {
    const argv = execArgv(this.settings.command, ref);
    if ("error" in argv) return Promise.resolve(secretMissing(argv.error));
    const [program, ...args] = argv as [string, ...string[]];
    const { timeoutMs } = this.settings;
    return new Promise((resolve) => {
      execFile(program, args, { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 1024 * 1024, encoding: "utf8", windowsHide: true }, (error, stdout, stderr) => {
        if (error) {
          const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: NodeJS.Signals | null; code?: string | number | null };
          const said = firstLine(stderr) ? `: ${firstLine(stderr)}` : "";
          if (e.code === "ENOENT") return resolve(secretMissing(`command ${JSON.stringify(program)} was not found`));
          if (e.code === "EACCES") return resolve(secretMissing(`command ${JSON.stringify(program)} is not executable`));
          if (e.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return resolve(secretMissing(`command ${JSON.stringify(program)} printed more than 1 MB`));
          if (e.killed) return resolve(secretMissing(`command ${JSON.stringify(program)} did not finish within ${formatDuration(timeoutMs)}`));
          if (typeof e.code === "number") return resolve(secretMissing(`command ${JSON.stringify(program)} exited with code ${e.code}${said}`));
          return resolve(secretMissing(`command ${JSON.stringify(program)} failed (${e.signal ?? e.code ?? "unknown error"})${said}`));
        }
        const value = trimTrailingNewline(stdout);
        if (value === "") return resolve(secretMissing(`command ${JSON.stringify(program)} printed nothing on its standard output`));
        resolve(secretFound(value));
      });
    });
  }
}
