#!/usr/bin/env node
// The action's reporting step: puts the plan in the job summary and in one pull-request comment (created
// the first time, updated on every later run, found again by its hidden marker), and sets the labels.
// When validation or the plan fails, the comment is marked stale and the labels are taken off, so no
// reviewer approves a plan that no longer holds.
//
//   node comment.mjs plan --plan FILE --plan-json FILE --exitcode 0|2 [--format markdown|text]
//   node comment.mjs stale --reason TEXT
//
// It reads what the Actions runner sets: GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_EVENT_PATH (the pull
// request's number), GITHUB_STEP_SUMMARY, GITHUB_SERVER_URL, GITHUB_RUN_ID and GITHUB_SHA; and the
// token in GITHUB_TOKEN. Errors are one line, `fabricate: error: …`, exit 1; the token is never printed.
import { appendFileSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { githubApi, GithubApiError } from "./githubApi.mjs";
import { isPlanComment, managedLabels, planBody, planLabels, staleBody } from "./planComment.mjs";

class UsageError extends Error {}

function env(name) {
  const value = process.env[name];
  if (!value) throw new UsageError(`${name} is not set: run this in GitHub Actions, or set it`);
  return value;
}

function readJson(path, what) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${e.code ?? e.message}`);
  }
}

function readText(path, what) {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${e.code ?? e.message}`);
  }
}

function parse(argv) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: { plan: { type: "string" }, "plan-json": { type: "string" }, exitcode: { type: "string" }, format: { type: "string", default: "markdown" }, reason: { type: "string" } },
    });
  } catch (e) {
    throw new UsageError(e.message);
  }
}

/** The body and the labels this run wants, from the command line and the files it names. */
function wanted(argv, run) {
  const { positionals, values } = parse(argv);
  const [mode, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (mode === "plan") {
    if (!values.plan || !values["plan-json"]) throw new UsageError("plan needs --plan FILE and --plan-json FILE");
    if (values.exitcode !== "0" && values.exitcode !== "2") throw new UsageError("--exitcode must be 0 (no changes) or 2 (changes), as plan --detailed-exitcode exits");
    if (values.format !== "markdown" && values.format !== "text") throw new UsageError("--format must be markdown or text");
    const body = planBody(readText(values.plan, "the plan"), values.format, run);
    return { body, labels: planLabels(Number(values.exitcode), readJson(values["plan-json"], "the plan's JSON")) };
  }
  if (mode === "stale") {
    if (!values.reason) throw new UsageError("stale needs --reason TEXT");
    return { body: staleBody(values.reason, run), labels: [], stale: true };
  }
  throw new UsageError(`the first argument must be plan or stale, not ${JSON.stringify(mode ?? "")}`);
}

/** The pull request's number, or undefined when the run is not for one (a push to main). */
function pullRequestNumber() {
  const event = readJson(env("GITHUB_EVENT_PATH"), "the event");
  const number = event.pull_request?.number;
  return Number.isInteger(number) ? number : undefined;
}

async function setLabels(api, issue, want) {
  const have = new Set((await api.paginate(`${issue}/labels`)).map((l) => l.name));
  const add = want.filter((l) => !have.has(l));
  if (add.length > 0) await api.request("POST", `${issue}/labels`, { labels: add });
  for (const label of managedLabels.filter((l) => have.has(l) && !want.includes(l))) {
    try {
      await api.request("DELETE", `${issue}/labels/${encodeURIComponent(label)}`);
    } catch (e) {
      // Someone took it off in between: it is gone either way.
      if (!(e instanceof GithubApiError && e.status === 404)) throw e;
    }
  }
}

async function main() {
  const run = {
    sha: process.env.GITHUB_SHA,
    id: process.env.GITHUB_RUN_ID,
    url: process.env.GITHUB_SERVER_URL && process.env.GITHUB_RUN_ID ? `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}` : undefined,
  };
  const report = wanted(process.argv.slice(2), run);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, report.body);

  const number = pullRequestNumber();
  if (number === undefined) {
    process.stdout.write("fabricate: not a pull request: reported in the job summary only, no comment\n");
    return;
  }
  const repository = env("GITHUB_REPOSITORY");
  const api = githubApi({ apiUrl: env("GITHUB_API_URL"), token: env("GITHUB_TOKEN") });
  const issue = `repos/${repository}/issues/${number}`;

  const existing = (await api.paginate(`${issue}/comments`)).find(isPlanComment);
  if (existing) {
    await api.request("PATCH", `repos/${repository}/issues/comments/${existing.id}`, { body: report.body });
    process.stdout.write(`fabricate: ${report.stale ? "marked stale" : "updated"} the plan comment on pull request #${number}\n`);
  } else if (!report.stale) {
    await api.request("POST", `${issue}/comments`, { body: report.body });
    process.stdout.write(`fabricate: commented the plan on pull request #${number}\n`);
  }
  await setLabels(api, issue, report.labels);
}

try {
  await main();
} catch (e) {
  // A mistake or GitHub's refusal is an error; anything else is a bug, said in one line all the same.
  const kind = e instanceof UsageError || e instanceof GithubApiError ? "error" : "internal error";
  // GitHub's messages are its own words; a token in them would still not be printed.
  const token = process.env.GITHUB_TOKEN;
  const message = String(e?.message ?? e);
  process.stderr.write(`fabricate: ${kind}: ${token ? message.split(token).join("***") : message}\n`);
  process.exitCode = 1;
}
