// The action's comment script (action/comment.mjs) as the runner starts it, a child process with the
// runner's environment, talking real HTTP to the GitHub API stand-in. Everything is asserted from the
// stand-in's request log and what it holds: one comment created, then updated; labels set and switched;
// a failed run marks the comment stale; the marker found on page 2; the token never printed.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repoRoot, runProcess, tempDir, type CliResult } from "../helpers/cli.js";
import { startGithubApiStandIn, type GithubApiStandIn, type GithubApiStandInOptions } from "../fixtures/githubApiStandIn.js";

const token = "ghs_canaryToken_5d1f0e9a";
const script = join(repoRoot, "action", "comment.mjs");
const marker = "<!-- fabricate-plan -->";
const bot = { login: "github-actions[bot]", type: "Bot" } as const;
const alice = { login: "alice", type: "User" } as const;

let dir: string;
let cleanup: () => void;
let api: GithubApiStandIn;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await api?.close();
  cleanup();
});

async function standIn(extra: Partial<GithubApiStandInOptions> = {}): Promise<GithubApiStandIn> {
  api = await startGithubApiStandIn({ token, repository: "acme/fabrics", issues: [7], ...extra });
  return api;
}

/** Runs the script as a step of a pull_request run would (event for #7), with only the runner's variables. */
async function comment(args: readonly string[], env: Record<string, string> = {}, event: unknown = { pull_request: { number: 7 } }): Promise<CliResult> {
  const eventPath = join(dir, "event.json");
  writeFileSync(eventPath, JSON.stringify(event));
  const result = await runProcess(process.execPath, [script, ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      GITHUB_API_URL: api.url,
      GITHUB_REPOSITORY: "acme/fabrics",
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_RUN_ID: "4242",
      GITHUB_SHA: "0123456789abcdef",
      GITHUB_TOKEN: token,
      ...env,
    },
  });
  // Whatever happened, the token is never printed.
  expect(result.stdout + result.stderr).not.toContain(token);
  return result;
}

/** Writes a plan's markdown and JSON as `fabricate plan --format markdown --out` leaves them. */
function planFiles(markdown: string, destinationChanges: number): string[] {
  writeFileSync(join(dir, "plan.md"), markdown);
  writeFileSync(join(dir, "plan.json"), JSON.stringify({ summary: { connections: { add: 1, change: 0, destroy: 0 }, fabrics: { add: 0, change: 0, destroy: 0 }, destinationChanges } }));
  return ["--plan", join(dir, "plan.md"), "--plan-json", join(dir, "plan.json")];
}

const writes = () => api.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

describe("action/comment.mjs against the GitHub API stand-in", () => {
  it("creates one comment and its labels, then updates that same comment and switches the labels", async () => {
    await standIn();
    const first = await comment(["plan", ...planFiles("### fabricate plan\n\n**Plan: 1 to add, 0 to change, 0 to destroy.**\n", 1), "--exitcode", "2"]);
    expect(first).toEqual({ code: 0, stdout: "fabricate: commented the plan on pull request #7\n", stderr: "" });
    const [created] = api.comments(7);
    expect(created!.body).toBe(`${marker}\n### fabricate plan\n\n**Plan: 1 to add, 0 to change, 0 to destroy.**\n\n<sub>For 0123456, [run 4242](https://github.com/acme/fabrics/actions/runs/4242).</sub>\n`);
    expect(api.labels(7)).toEqual(["fabricate/changes", "fabricate/new-destination"]);
    expect(writes()).toEqual(["POST /repos/acme/fabrics/issues/7/comments", "POST /repos/acme/fabrics/issues/7/labels"]);
    expect(readFileSync(join(dir, "summary.md"), "utf8")).toBe(created!.body);

    api.requests.length = 0;
    const second = await comment(["plan", ...planFiles("### fabricate plan\n\n**No changes.**\n", 0), "--exitcode", "0"]);
    expect(second).toEqual({ code: 0, stdout: "fabricate: updated the plan comment on pull request #7\n", stderr: "" });
    expect(api.comments(7)).toHaveLength(1);
    expect(api.comments(7)[0]).toMatchObject({ id: created!.id, body: expect.stringContaining("**No changes.**") });
    expect(writes()).toEqual([
      `PATCH /repos/acme/fabrics/issues/comments/${created!.id}`,
      "POST /repos/acme/fabrics/issues/7/labels",
      "DELETE /repos/acme/fabrics/issues/7/labels/fabricate%2Fchanges",
      "DELETE /repos/acme/fabrics/issues/7/labels/fabricate%2Fnew-destination",
    ]);
    expect(api.labels(7)).toEqual(["fabricate/no-changes"]);
    expect(api.requests.every((r) => r.authorized)).toBe(true);
  });

  it("changes without a new destination: only fabricate/changes, and labels of others are left alone", async () => {
    await standIn();
    await comment(["plan", ...planFiles("### fabricate plan\n", 0), "--exitcode", "0"]);
    await fetch(`${api.url}/repos/acme/fabrics/issues/7/labels`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ labels: ["needs-review"] }) });
    await comment(["plan", ...planFiles("### fabricate plan\n", 0), "--exitcode", "2"]);
    expect(api.labels(7)).toEqual(["needs-review", "fabricate/changes"]);
  });

  it("marks the comment stale when validation fails, and takes the labels off", async () => {
    await standIn();
    await comment(["plan", ...planFiles("### fabricate plan\n\nold plan\n", 1), "--exitcode", "2"]);
    const r = await comment(["stale", "--reason", "validation failed"]);
    expect(r).toEqual({ code: 0, stdout: "fabricate: marked stale the plan comment on pull request #7\n", stderr: "" });
    expect(api.comments(7)).toHaveLength(1);
    const body = api.comments(7)[0]!.body;
    expect(body.startsWith(`${marker}\n`)).toBe(true);
    expect(body).toContain("**No plan: validation failed.**");
    expect(body).not.toContain("old plan");
    expect(api.labels(7)).toEqual([]);
  });

  it("a failed run with no comment yet posts none", async () => {
    await standIn();
    const r = await comment(["stale", "--reason", "validation failed"]);
    expect(r.code).toBe(0);
    expect(writes()).toEqual([]);
    expect(api.comments(7)).toEqual([]);
  });

  it("finds its comment on page 2 of more than 100, and updates it instead of adding one", async () => {
    await standIn();
    for (let i = 0; i < 120; i++) api.seedComment(7, `review comment ${i}`, alice);
    const ours = api.seedComment(7, `${marker}\nan older plan`, bot);
    for (let i = 0; i < 30; i++) api.seedComment(7, `later comment ${i}`, alice);
    const r = await comment(["plan", ...planFiles("### fabricate plan\n\nnew plan\n", 0), "--exitcode", "2"]);
    expect(r.code).toBe(0);
    const listed = api.requests.filter((q) => q.method === "GET" && q.path.endsWith("/comments"));
    expect(listed.map((q) => [q.path, q.query.page ?? "1", q.query.per_page])).toEqual([
      ["/repos/acme/fabrics/issues/7/comments", "1", "100"],
      ["/repositories/424242/issues/7/comments", "2", "100"],
    ]);
    expect(writes()[0]).toBe(`PATCH /repos/acme/fabrics/issues/comments/${ours.id}`);
    expect(api.comments(7)).toHaveLength(151);
    expect(ours.body).toContain("new plan");
  });

  it("does not take over a person's comment that quotes the marker", async () => {
    await standIn();
    const quoted = api.seedComment(7, `${marker}\nlook, I can write the marker`, alice);
    await comment(["plan", ...planFiles("### fabricate plan\n", 0), "--exitcode", "0"]);
    expect(quoted.body).toBe(`${marker}\nlook, I can write the marker`);
    expect(writes()[0]).toBe("POST /repos/acme/fabrics/issues/7/comments");
  });

  it("shows a text plan in a diff fence longer than any backtick run in it", async () => {
    await standIn();
    writeFileSync(join(dir, "plan.txt"), "  + fabric x\n      + description: \"```` breaks out?\"\n");
    writeFileSync(join(dir, "plan.json"), JSON.stringify({ summary: { destinationChanges: 0 } }));
    await comment(["plan", "--plan", join(dir, "plan.txt"), "--plan-json", join(dir, "plan.json"), "--exitcode", "2", "--format", "text"]);
    expect(api.comments(7)[0]!.body).toContain('### fabricate plan\n\n`````diff\n  + fabric x\n      + description: "```` breaks out?"\n`````\n');
  });

  it("cuts a text plan too long for one comment, saying so, and GitHub takes it", async () => {
    await standIn();
    writeFileSync(join(dir, "plan.txt"), "  ~ connection x\n".repeat(10_000));
    writeFileSync(join(dir, "plan.json"), JSON.stringify({ summary: { destinationChanges: 0 } }));
    const r = await comment(["plan", "--plan", join(dir, "plan.txt"), "--plan-json", join(dir, "plan.json"), "--exitcode", "2", "--format", "text"]);
    expect(r.code).toBe(0);
    const body = api.comments(7)[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain("… (cut: the whole plan is in the job summary and the run's log)");
  });

  it("on a push (no pull request) writes the summary and calls nothing", async () => {
    await standIn();
    const r = await comment(["plan", ...planFiles("### fabricate plan\n", 0), "--exitcode", "0"], {}, { ref: "refs/heads/main" });
    expect(r).toEqual({ code: 0, stdout: "fabricate: not a pull request: reported in the job summary only, no comment\n", stderr: "" });
    expect(api.requests).toEqual([]);
    expect(readFileSync(join(dir, "summary.md"), "utf8")).toContain("### fabricate plan");
  });
});

describe("failures: one line, exit 1, the token never printed", () => {
  it("a token GitHub does not accept", async () => {
    await standIn({ token: "another-token" });
    const r = await comment(["plan", ...planFiles("### fabricate plan\n", 0), "--exitcode", "0"]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: "fabricate: error: GitHub API: GET /repos/acme/fabrics/issues/7/comments answered 401: Bad credentials\n" });
    expect(api.requests.map((q) => q.authorized)).toEqual([false]);
  });

  it("a pagination link to another origin is not followed with the token", async () => {
    await standIn({ linkOrigin: "http://127.0.0.2:9" });
    for (let i = 0; i < 101; i++) api.seedComment(7, `review comment ${i}`, alice);
    const r = await comment(["plan", ...planFiles("### fabricate plan\n", 0), "--exitcode", "0"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`fabricate: error: GitHub API: GET repos/acme/fabrics/issues/7/comments links its next page to http://127.0.0.2:9, outside ${api.url}/; not sending the token there\n`);
    expect(api.requests).toHaveLength(1);
  });

  it("an API that is not there", async () => {
    await standIn();
    const url = api.url;
    await api.close();
    const r = await comment(["plan", ...planFiles("### fabricate plan\n", 0), "--exitcode", "0"], { GITHUB_API_URL: url });
    expect(r).toEqual({ code: 1, stdout: "", stderr: `fabricate: error: cannot reach the GitHub API at ${url}: GET /repos/acme/fabrics/issues/7/comments failed (ECONNREFUSED)\n` });
  });

  it.each([
    [["plan", "--plan", "p.md"], "plan needs --plan FILE and --plan-json FILE"],
    [["plan", "--plan", "p.md", "--plan-json", "p.json", "--exitcode", "1"], "--exitcode must be 0 (no changes) or 2 (changes), as plan --detailed-exitcode exits"],
    [["publish"], 'the first argument must be plan or stale, not "publish"'],
    [["stale"], "stale needs --reason TEXT"],
    [["plan", "--plan", "missing.md", "--plan-json", "p.json", "--exitcode", "0"], "cannot read the plan missing.md: ENOENT"],
  ])("usage %j", async (args, message) => {
    await standIn();
    const r = await comment(args);
    expect(r).toEqual({ code: 1, stdout: "", stderr: `fabricate: error: ${message}\n` });
    expect(api.requests).toEqual([]);
  });

  it("no token", async () => {
    await standIn();
    const r = await comment(["stale", "--reason", "the plan failed"], { GITHUB_TOKEN: "" });
    expect(r).toEqual({ code: 1, stdout: "", stderr: "fabricate: error: GITHUB_TOKEN is not set: run this in GitHub Actions, or set it\n" });
  });
});
