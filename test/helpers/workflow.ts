// The steps of an example GitHub Actions workflow that involve fabricate, job by job in workflow order,
// so that tests run the examples exactly as written: each `npx fabricate …` command line of a `run`
// step, and each use of this repository's action (`uses: ./`), which tests run with
// compositeAction.ts. Other steps (checkout, setup-node, npm ci, git) are the runner's business.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./cli.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}

export type WorkflowStep =
  /** `args` follow `npx fabricate`; `env` is the step's own, unevaluated (`${{ secrets.X }}`). */
  | { readonly kind: "fabricate"; readonly job: string; readonly args: string[]; readonly env: Record<string, string> }
  | { readonly kind: "action"; readonly job: string; readonly with: Record<string, unknown>; readonly env: Record<string, string> };

export function readWorkflow(file: string): Workflow {
  return parse(readFileSync(join(repoRoot, "examples", "ci", file), "utf8")) as Workflow;
}

export function workflowSteps(file: string, jobs: readonly string[]): WorkflowStep[] {
  const workflow = readWorkflow(file);
  return jobs.flatMap((job) =>
    workflow.jobs[job]!.steps.flatMap((step): WorkflowStep[] => {
      const env = step.env ?? {};
      if (step.uses === "./") return [{ kind: "action", job, with: step.with ?? {}, env }];
      return [...(step.run ?? "").matchAll(/npx fabricate ([^|>'\n]+)/g)].map((m) => ({ kind: "fabricate", job, args: m[1]!.trim().split(/\s+/), env }));
    }),
  );
}
