// The terraform binary for tests, if this machine has one, run so that it never reaches the network:
// no checkpoint call, automation mode, and a CLI config file of its own (no credentials, no mirrors).
// Only the built-in terraform_data resource is used, so `terraform init` needs no provider at all.
import { spawn } from "node:child_process";
import { accessSync, constants, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The first executable `terraform` on the PATH, or undefined. */
export function findTerraform(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, "terraform");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface TerraformResult {
  readonly code: number | null;
  /** stdout and stderr together, as a user reads them. */
  readonly output: string;
}

/**
 * Runs `terraform ARGS` in `cwd`. `home` holds the CLI config file (an empty one: no provider
 * installation methods beyond the defaults, which terraform_data never needs) and the plugin cache.
 */
export function runTerraform(binary: string, args: readonly string[], options: { cwd: string; home: string; env?: Record<string, string> }): Promise<TerraformResult> {
  const cliConfig = join(options.home, "terraformrc");
  writeFileSync(cliConfig, "");
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args, "-no-color"], {
      cwd: options.cwd,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: options.home,
        CHECKPOINT_DISABLE: "1",
        TF_IN_AUTOMATION: "1",
        TF_INPUT: "0",
        TF_CLI_CONFIG_FILE: cliConfig,
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}
