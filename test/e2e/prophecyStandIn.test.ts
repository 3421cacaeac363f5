// The built stand-in as a process (dist/demo/prophecyStandIn/main.js), as the demo and a person use it:
// it prints its URL, serves the API for the given token and teams, and stops on SIGTERM.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

const mainPath = join(repoRoot, "dist", "demo", "prophecyStandIn", "main.js");
const children: ChildProcessWithoutNullStreams[] = [];

/** firstLine: the first line on stdout, or undefined if the process ends without one. */
function start(args: readonly string[]): { child: ChildProcessWithoutNullStreams; firstLine: Promise<string | undefined>; exit: Promise<{ code: number | null; stderr: string }>; stderr: () => string } {
  const child = spawn(process.execPath, [mainPath, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const firstLine = new Promise<string | undefined>((resolve) => {
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      if (stdout.includes("\n")) resolve(stdout.split("\n")[0]!);
    });
    child.on("close", () => resolve(undefined));
  });
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stderr })));
  return { child, firstLine, exit, stderr: () => stderr };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("main.js", () => {
  it("prints its URL, serves the API, and stops on SIGTERM", async () => {
    const { child, firstLine, exit, stderr } = start(["--token", "demo-token", "--team", "31=marketing", "--team", "32=finance"]);
    const url = await firstLine;
    expect(url, stderr()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const headers = { "X-AUTH-TOKEN": "demo-token", "Content-Type": "application/json" };
    const created = await fetch(`${url}/api/orchestration/fabric`, { method: "POST", headers, body: JSON.stringify({ name: "f", teamName: "finance", provider: "bigquery" }) });
    expect(await created.json()).toEqual({ success: true, data: { id: "10000" } });
    const got = await fetch(`${url}/api/orchestration/fabric/10000`, { headers });
    expect(await got.json()).toEqual({ success: true, data: { fabricID: "10000", name: "f", teamID: "32" } });
    child.kill("SIGTERM");
    expect((await exit).code).toBe(0);
  });

  it.each([
    [["--team", "31=marketing"], /at least one --token/],
    [["--token", "t"], /at least one --team/],
    [["--token", "t", "--team", "marketing"], /--team wants ID=NAME/],
    [["--token", "t", "--team", "31=marketing", "--port", "http"], /--port wants 0-65535/],
    [["--token", "t", "--team", "31=marketing", "--cert", "x.pem"], /--cert and --key go together/],
    [["--token", "t", "--team", "31=marketing", "--verbose"], /Unknown option '--verbose'/],
  ])("refuses %j with a usage line and exit code 1", async (args, message) => {
    const { exit } = start(args);
    const { code, stderr } = await exit;
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/^usage: main\.js --token TOKEN/m);
  });
});
