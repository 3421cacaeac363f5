// Runs the built CLI (bin/fabricate.js → dist/) as a child process, the way users and CI run it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const cliPath = join(repoRoot, "bin", "fabricate.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
}

/** Runs a command to its end, collecting what it prints: every test that starts a process goes through here. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    // A process that exits without reading its input (a bash step, a usage error) closes the pipe first.
    child.stdin.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") reject(e);
    });
    child.stdin.end(options.input ?? "");
  });
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env },
    ...(options.input !== undefined && { input: options.input }),
  });
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  readonly running: () => boolean;
}

/** Starts the CLI without waiting for it, for tests that must act while it runs. */
export function startCli(args: readonly string[], options: Omit<CliOptions, "input"> = {}): RunningCli {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  let running = true;
  const done = new Promise<CliResult>((resolve) => child.on("close", (code) => ((running = false), resolve({ code, stdout, stderr }))));
  return { child, done, running: () => running };
}

/** Polls `condition` until it holds; fails when `isAlive` says the process it waits on has ended. */
export async function until(condition: () => boolean | Promise<boolean>, isAlive: () => boolean): Promise<void> {
  while (!(await condition())) {
    if (!isAlive()) throw new Error("the process ended before the condition held");
    await sleep(20);
  }
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = "fabricate-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** POSIX shell quoting, for the one command line `script` takes. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs the built CLI with a terminal as its stdout and stderr (util-linux `script` gives it a pty), as a
 * person runs it: what only terminals get, such as source lines under diagnostics, shows. Both streams
 * arrive together, with the terminal's CRLF line ends.
 */
export function runCliOnTerminal(args: readonly string[], options: CliOptions = {}): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, cliPath, ...args].map(shellQuote).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["--quiet", "--return", "--command", command, "/dev/null"], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
    child.stdin.end();
  });
}
