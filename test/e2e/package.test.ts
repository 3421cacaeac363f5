// The package as people install it: `npm pack` of this checkout (already built: packing with scripts
// would rebuild dist/ under the other tests' feet), installed from the tarball into an empty project
// with its dependencies from npm's cache or registry. From that installed copy, `fabricate validate`,
// `plan` and `synth --target terraform` run without cdktf (an optional peer dependency that is not
// installed), nothing of the demo is there, and once the project adds cdktf, constructs and
// @cdktf/provider-null, a CDK app imports `fabricate/cdk` and writes what synth writes.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../helpers/cli.js";
import { filesOf } from "../helpers/dirSnapshot.js";

const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string; peerDependencies: Record<string, string> };

let work: { dir: string; cleanup: () => void };
let project: string;

function npm(args: readonly string[], cwd: string): string {
  return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
}

/** The installed CLI, run as a project runs it. */
function fabricate(args: readonly string[]) {
  return spawnSync(join(project, "node_modules", ".bin", "fabricate"), args, { cwd: project, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
}

beforeAll(() => {
  work = tempDir("fabricate-package-");
  const packed = JSON.parse(npm(["pack", "--ignore-scripts", "--json", "--pack-destination", work.dir], repoRoot)) as { filename: string }[];
  project = join(work.dir, "project");
  cpSync(join(repoRoot, "examples", "fabrics"), join(project, "fabrics"), { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "fabrics-project", private: true, type: "module" }));
  npm(["install", "--omit=dev", join(work.dir, packed[0]!.filename)], project);
}, 180_000);
afterAll(() => work.cleanup());

describe("installed from the packed tarball", () => {
  it("holds the CLI, the schemas and the licence, and no demo, smtp-server or cdktf", () => {
    const installed = join(project, "node_modules", "fabricate");
    expect(JSON.parse(readFileSync(join(installed, "package.json"), "utf8")).version).toBe(pkg.version);
    for (const f of ["LICENSE", "README.md", "CHANGELOG.md", "bin/fabricate.js", "dist/cli/main.js", "dist/cdk/index.d.ts", "schemas/fabricate.schema.json"]) expect(existsSync(join(installed, f)), f).toBe(true);
    expect(existsSync(join(installed, "dist", "demo"))).toBe(false);
    const modules = readdirSync(join(project, "node_modules"));
    for (const absent of ["smtp-server", "cdktf", "constructs", "@cdktf"]) expect(modules).not.toContain(absent);
  });

  it("validates and plans the example config", () => {
    const validate = fabricate(["validate", "fabrics"]);
    expect(validate.stderr).toBe("");
    expect(validate.status).toBe(0);
    const plan = fabricate(["plan", "fabrics", "--state", join(work.dir, "state.json")]);
    expect(plan.stderr).toBe("");
    expect(plan.stdout).toMatch(/^Plan: 6 to add, 0 to change, 0 to destroy\.$/m);
    expect(plan.status).toBe(0);
  });

  it("writes Terraform JSON without cdktf installed", () => {
    const synth = fabricate(["synth", "fabrics", "--target", "terraform", "--out", "tf"]);
    expect(synth.stderr).toBe("");
    expect(synth.status).toBe(0);
    expect(Object.keys(filesOf(join(project, "tf")))).toContain("cdk.tf.json");
  });

  it("with cdktf, constructs and @cdktf/provider-null added, a CDK app imports fabricate/cdk and writes what synth writes", () => {
    npm(["install", ...Object.entries(pkg.peerDependencies).map(([name, range]) => `${name}@${range}`)], project);
    const app = readFileSync(join(repoRoot, "examples", "cdk", "main.mjs"), "utf8");
    writeFileSync(join(project, "main.mjs"), app);
    const run = spawnSync(process.execPath, ["main.mjs"], { cwd: project, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("wrote cdktf.out/stacks/fabrics: cdk.tf.json, finance-prod.json, manifest.json, marketing-prod.json, platform-prod.json\n");
    expect(run.status).toBe(0);
    expect(filesOf(join(project, "cdktf.out", "stacks", "fabrics"))).toEqual(filesOf(join(project, "tf")));
  }, 180_000);
});
