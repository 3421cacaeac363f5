// The README's example, as written: its YAML file, planned in a fresh project, prints exactly the plan
// the README shows.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { repoRoot, runCli, tempDir } from "../helpers/cli.js";

let work: { dir: string; cleanup: () => void };
beforeEach(() => (work = tempDir()));
afterEach(() => work.cleanup());

it("plans the README's example YAML as the README shows", async () => {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## An example"));
  const [, file, yaml] = /`([^`]+\.yaml)`:\n\n```yaml\n([\s\S]*?)```/.exec(section) ?? [];
  const shown = /`npx fabricate plan`[^\n]*\n\n```\n([\s\S]*?)```/.exec(section)?.[1];
  expect(file).toBe("fabrics/marketing.yaml");
  mkdirSync(join(work.dir, "fabrics"));
  writeFileSync(join(work.dir, file!), yaml!);
  const r = await runCli(["plan"], { cwd: work.dir, env: { FABRICATE_STATE: undefined } });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(shown);
});
