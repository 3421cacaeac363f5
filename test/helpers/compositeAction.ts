// Runs a composite action (action.yml) as the GitHub Actions runner does, as far as this repository's
// action needs: its inputs (given, else defaults), each `run` step as `bash --noprofile --norc -eo
// pipefail` (the runner's command for `shell: bash`) with GITHUB_ACTION_PATH, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY and RUNNER_TEMP set, step outputs from GITHUB_OUTPUT, and the action's outputs.
// A failing step ends the run, as on the runner. `uses` steps (setup-node) are not run: they are listed
// for the test to check. Expressions are allowed only in `env`, outputs and input defaults, and only
// `inputs.X`, `steps.ID.outputs.X` and `github.token`: anything else fails the run here instead of
// passing unnoticed, and an expression inside a script (where an input could inject a command) too.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { runProcess } from "./cli.js";

interface ActionStep {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  if?: string;
}

interface ActionFile {
  inputs?: Record<string, { default?: string; required?: boolean }>;
  outputs?: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface StepRun {
  readonly name: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly code?: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ActionRun {
  /** 0 when every step passed, else the failing step's code. */
  readonly code: number | null;
  readonly steps: StepRun[];
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

export interface ActionRunOptions {
  /** The step's `with:`. */
  readonly with?: Record<string, unknown>;
  /** The job's and step's environment (the runner's own variables are set here). */
  readonly env?: Record<string, string | undefined>;
  readonly cwd: string;
  /** RUNNER_TEMP: a directory the caller owns (and removes); the plan file an output names is there. */
  readonly runnerTemp: string;
  readonly githubToken?: string;
}

/** GITHUB_OUTPUT's lines, `name=value` or `name<<DELIMITER` … `DELIMITER`. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end === -1) throw new Error(`GITHUB_OUTPUT: ${heredoc[1]}<<${heredoc[2]} is never closed`);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) {
      outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return outputs;
}

function runBash(script: string, env: Record<string, string | undefined>, cwd: string, file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  writeFileSync(file, script);
  return runProcess("bash", ["--noprofile", "--norc", "-eo", "pipefail", file], { cwd, env });
}

export async function runCompositeAction(actionDir: string, options: ActionRunOptions): Promise<ActionRun> {
  const action = parse(readFileSync(join(actionDir, "action.yml"), "utf8")) as ActionFile;
  if (action.runs.using !== "composite") throw new Error(`not a composite action: runs.using is ${action.runs.using}`);
  const stepOutputs: Record<string, Record<string, string>> = {};
  const inputs: Record<string, string> = {};

  const evaluate = (text: string): string =>
    text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
      let m: RegExpExecArray | null;
      if ((m = /^inputs\.([A-Za-z0-9_-]+)$/.exec(expression))) return inputs[m[1]!] ?? "";
      if ((m = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(expression))) return stepOutputs[m[1]!]?.[m[2]!] ?? "";
      if (expression === "github.token") return options.githubToken ?? "";
      throw new Error(`unsupported expression \${{ ${expression} }}`);
    });

  for (const name of Object.keys(options.with ?? {})) if (!action.inputs?.[name]) throw new Error(`unexpected input ${name}`);
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    const given = options.with?.[name];
    if (given === undefined && input.required) throw new Error(`required input ${name} not given`);
    inputs[name] = given === undefined ? evaluate(input.default ?? "") : String(given);
  }

  const temp = options.runnerTemp;
  const summaryFile = join(temp, "step_summary.md");
  writeFileSync(summaryFile, "");
  const steps: StepRun[] = [];
  for (const [index, step] of action.runs.steps.entries()) {
    const name = step.name ?? step.id ?? `step ${index + 1}`;
    if (step.if !== undefined) throw new Error(`${name}: \`if\` is not supported here`);
    if (step.uses !== undefined) {
      steps.push({ name, uses: step.uses, with: step.with ?? {}, stdout: "", stderr: "" });
      continue;
    }
    if (step.shell !== "bash") throw new Error(`${name}: a composite action's run step needs shell: bash (has ${step.shell})`);
    if (/\$\{\{/.test(step.run ?? "")) throw new Error(`${name}: an expression inside the script; pass it through env`);
    const outputFile = join(temp, `output_${index}`);
    writeFileSync(outputFile, "");
    const env = {
      ...options.env,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v))])),
      GITHUB_ACTION_PATH: actionDir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: temp,
    };
    const result = await runBash(step.run ?? "", env, options.cwd, join(temp, `step_${index}.sh`));
    steps.push({ name, ...result });
    if (step.id) stepOutputs[step.id] = parseOutputs(readFileSync(outputFile, "utf8"));
    if (result.code !== 0) return { code: result.code, steps, outputs: {}, summary: readFileSync(summaryFile, "utf8") };
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([k, v]) => [k, evaluate(v.value)]));
  return { code: 0, steps, outputs, summary: readFileSync(summaryFile, "utf8") };
}

/**
 * What the runner gives a step of a `pull_request` run for pull request `number`: the event file (written
 * to `dir`), the repository and API URL (the stand-in's), the run's ids; PATH and HOME from this process.
 */
export function pullRequestRunnerEnv(dir: string, apiUrl: string, repository: string, number: number): Record<string, string | undefined> {
  const eventPath = join(dir, "event.json");
  writeFileSync(eventPath, JSON.stringify({ action: "synchronize", number, pull_request: { number } }));
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: repository,
    GITHUB_RUN_ID: "1",
    GITHUB_SHA: "f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed",
  };
}
