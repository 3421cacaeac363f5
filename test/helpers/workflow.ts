// The `npx fabricate …` commands of an example GitHub Actions workflow, job by job in workflow order, so
// that tests run the examples exactly as written.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./cli.js";

interface Workflow {
  jobs: Record<string, { steps: { run?: string }[] }>;
}

/** Each command's arguments (after `npx fabricate`), from the given jobs of examples/ci/`file`. */
export function workflowCommands(file: string, jobs: readonly string[]): string[][] {
  const workflow = parse(readFileSync(join(repoRoot, "examples", "ci", file), "utf8")) as Workflow;
  return jobs.flatMap((job) =>
    workflow.jobs[job]!.steps.flatMap((step) => [...(step.run ?? "").matchAll(/npx fabricate ([^|>'\n]+)/g)].map((m) => m[1]!.trim().split(/\s+/))),
  );
}
