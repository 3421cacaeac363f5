// The CI example runs as written: the steps of examples/ci/fabricate.yml that involve fabricate run in
// workflow order on a copy of the example configs: each `npx fabricate …` command through the built CLI,
// and the repository's action (`uses: ./`) step by step as the runner would, posting to the GitHub API
// stand-in. A pull request's story: a plan with changes, the apply on main, a plan with none, then a
// push that breaks validation.
import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/loadConfig.js";
import { repoRoot, runCli, tempDir } from "../helpers/cli.js";
import { pullRequestRunnerEnv, runCompositeAction, type ActionRun } from "../helpers/compositeAction.js";
import { readWorkflow, workflowSteps, type WorkflowStep } from "../helpers/workflow.js";
import { startGithubApiStandIn, type GithubApiStandIn } from "../fixtures/githubApiStandIn.js";

const token = "ghs_exampleWorkflowToken_9b2c";

let dir: string;
let runnerTemp: string;
let cleanup: () => void;
let api: GithubApiStandIn;
beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  runnerTemp = join(dir, "runner-temp");
  mkdirSync(runnerTemp);
  mkdirSync(join(dir, "work"));
  cpSync(join(repoRoot, "examples", "fabrics"), join(dir, "work", "fabrics"), { recursive: true });
  api = await startGithubApiStandIn({ token, repository: "acme/fabrics", issues: [12] });
});
afterEach(async () => {
  await api.close();
  cleanup();
});

const work = () => join(dir, "work");

/** Runs one job's steps; the action's run is returned, every fabricate command must exit 0. */
async function runJob(steps: readonly WorkflowStep[], job: string): Promise<ActionRun | undefined> {
  let action: ActionRun | undefined;
  for (const step of steps.filter((s) => s.job === job)) {
    if (step.kind === "action") {
      action = await runCompositeAction(repoRoot, { with: step.with, cwd: work(), runnerTemp, githubToken: token, env: pullRequestRunnerEnv(runnerTemp, api.url, "acme/fabrics", 12) });
      continue;
    }
    // The examples' servers are real mail providers, which tests never reach: apply records without
    // logging in here (in the workflow, it verifies with the environment's secrets).
    const args = step.args[0] === "apply" ? [...step.args, "--skip-verify"] : step.args;
    const r = await runCli(args, { cwd: work() });
    expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
  }
  return action;
}

const stepNamed = (run: ActionRun, name: string) => run.steps.find((s) => s.name === name)!;

describe("examples/ci/fabricate.yml", () => {
  const steps = workflowSteps("fabricate.yml", ["plan", "apply"]);

  it("plans with the action on a pull request and applies with the CLI on main", () => {
    expect(steps.map((s) => (s.kind === "action" ? `${s.job}: uses ./` : `${s.job}: fabricate ${s.args[0]}`))).toEqual(["plan: uses ./", "apply: fabricate apply"]);
  });

  it("runs as written: the plan commented and labelled, applied, planned again, then a broken push marks it stale", async () => {
    // The repository's CODEOWNERS, committed with its fabricate block.
    expect((await runCli(["codeowners", "fabrics", "--write", ".github/CODEOWNERS"], { cwd: work() })).code).toBe(0);

    const first = (await runJob(steps, "plan"))!;
    expect(first.code, JSON.stringify(first.steps, null, 1)).toBe(0);
    // The action runs fabricate on the current Node LTS, whatever the runner has.
    expect(first.steps[0]).toMatchObject({ uses: "actions/setup-node@v4", with: { "node-version": 24 } });
    expect(first.outputs.exitcode).toBe("2");
    const [comment] = api.comments(12);
    expect(comment!.body).toMatch(/^<!-- fabricate-plan -->\n### fabricate plan\n\n\*\*Plan: 6 to add, 0 to change, 0 to destroy\.\*\*/);
    expect(first.summary).toBe(comment!.body);
    expect(api.labels(12)).toEqual(["fabricate/changes"]);

    await runJob(steps, "apply");

    const second = (await runJob(steps, "plan"))!;
    expect(second.code).toBe(0);
    expect(second.outputs.exitcode).toBe("0");
    expect(api.comments(12)).toHaveLength(1);
    expect(api.comments(12)[0]!.body).toContain("**No changes.**");
    expect(api.labels(12)).toEqual(["fabricate/no-changes"]);

    appendFileSync(join(work(), "fabrics", "marketing.yaml"), "      - name: Not A Slug\n");
    const broken = (await runJob(steps, "plan"))!;
    expect(broken.code).toBe(1);
    expect(stepNamed(broken, "Validate").stdout).toMatch(/^::error file=fabrics\/marketing\.yaml,line=\d+,col=\d+,title=/m);
    expect(api.comments(12)).toHaveLength(1);
    expect(api.comments(12)[0]!.body).toContain("**No plan: validation failed (see the annotations on the files).**");
    expect(api.labels(12)).toEqual([]);
    expect(api.requests.every((r) => r.authorized)).toBe(true);
  });

  it("fails the action, after posting the plan, when the CODEOWNERS block is out of date", async () => {
    expect((await runCli(["codeowners", "fabrics", "--write", ".github/CODEOWNERS"], { cwd: work() })).code).toBe(0);
    cpSync(join(work(), "fabrics", "finance.yaml"), join(work(), "fabrics", "finance-copy.yaml"));
    // The copy declares the same names twice: rename them, so that only the routing is out of date.
    const copy = join(work(), "fabrics", "finance-copy.yaml");
    writeFileSync(copy, readFileSync(copy, "utf8").replace(/name: finance/g, "name: finance2").replace(/team: finance/, "team: finance2"));
    const run = (await runJob(steps, "plan"))!;
    expect(run.code).toBe(1);
    expect(stepNamed(run, "Check the CODEOWNERS block").stderr).toContain("+ /fabrics/finance-copy.yaml @acme/finance-data @dave");
    expect(stepNamed(run, "Report the plan on the pull request").stdout).toContain("::error file=.github/CODEOWNERS,title=fabricate::the fabricate block is out of date");
    expect(api.comments(12)).toHaveLength(1);
    expect(api.labels(12)).toEqual(["fabricate/changes"]);
  });

  it("gives the apply step every secret the examples refer to", async () => {
    const workflow = readWorkflow("fabricate.yml");
    const applyJob = workflow.jobs.apply!;
    const apply = steps.find((s) => s.kind === "fabricate" && s.args[0] === "apply")!;
    const scripts = applyJob.steps.map((s) => s.run ?? "").join("\n");
    const { model } = loadConfig([join(repoRoot, "examples", "fabrics")]);
    const missing: string[] = [];
    for (const fabric of model!.fabrics) {
      for (const connection of fabric.connections) {
        const ref = connection.password;
        const where = `${fabric.name}/${connection.name} (${ref.provider}:${ref.secret})`;
        if (ref.provider === "env" || ref.provider === "prophecy" || ref.provider === "databricks") {
          // A runtime-only reference is read from the environment once mapped there.
          if (ref.provider !== "env" && !(apply.kind === "fabricate" && apply.args.join(" ").includes(`--secret-provider ${ref.provider}=env`))) missing.push(`${where}: no --secret-provider ${ref.provider}=env`);
          if (!/^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/.test(apply.env[ref.secret] ?? "")) missing.push(`${where}: no env entry from secrets`);
        } else if (ref.provider === "file") {
          const directory = fabric.secrets.file?.directory ?? "/run/secrets";
          if (!scripts.includes(`> ${directory}/${ref.secret}\n`)) missing.push(`${where}: not written to ${directory}`);
        } else if (ref.provider === "exec") {
          // The command brings its own credentials: the example's aws CLI reads AWS_* from the environment.
          for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) if (!apply.env[name]) missing.push(`${where}: no ${name}`);
        } else {
          missing.push(`${where}: a provider this test does not know`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
