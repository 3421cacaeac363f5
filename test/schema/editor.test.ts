// What an editor shows for our schema: yaml-language-server (test/helpers/yamlLanguageServer.ts) opens
// files the way VS Code's YAML extension does, following their `# yaml-language-server: $schema=…`
// modeline. Valid configs show nothing; a mistake shows the schema's errorMessage (words, not a regex)
// at the place where `fabricate validate` reports the same words; and the modeline README gives package
// users (the schema inside node_modules/fabricate) works.
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runCli, tempDir } from "../helpers/cli.js";
import { YamlLanguageServer } from "../helpers/yamlLanguageServer.js";

let server: YamlLanguageServer;
let work: { dir: string; cleanup: () => void };

beforeAll(async () => {
  server = await YamlLanguageServer.start();
  work = tempDir("fabricate-editor-");
  // A project as a package user has it: the schema where `npm install fabricate` puts it.
  cpSync(join(repoRoot, "schemas"), join(work.dir, "node_modules", "fabricate", "schemas"), { recursive: true });
  mkdirSync(join(work.dir, "fabrics"));
});
afterAll(async () => {
  await server.stop();
  work.cleanup();
});

const modeline = "# yaml-language-server: $schema=../node_modules/fabricate/schemas/fabricate.schema.json";

/** Writes `fabrics/<name>` in the package user's project and asks the editor about it. */
async function openInEditor(name: string, body: string) {
  const file = join(work.dir, "fabrics", name);
  const text = `${modeline}\n${body}`;
  writeFileSync(file, text);
  return { file, diagnostics: await server.diagnose(file, text) };
}

const badSlug = `version: 1
teams:
  - name: Marketing Team
fabrics:
  - name: marketing-prod
    team: marketing
    provider: databrick
`;

describe("yaml-language-server with fabricate's schema", () => {
  it("shows nothing for the repository's example configs", async () => {
    const examples = join(repoRoot, "examples", "fabrics");
    for (const name of readdirSync(examples)) {
      const text = readFileSync(join(examples, name), "utf8").replace(/^# yaml-language-server: .*$/m, modeline);
      expect((await openInEditor(name, text.slice(text.indexOf("\n") + 1))).diagnostics, name).toEqual([]);
    }
  });

  it("says what a slug is and which providers exist, where validate says the same words", async () => {
    const { file, diagnostics } = await openInEditor("bad.yaml", badSlug);
    const shown = diagnostics.map((d) => ({ line: d.range.start.line + 1, col: d.range.start.character + 1, message: d.message }));
    expect(shown).toEqual([
      { line: 4, col: 11, message: "a slug: lowercase letters, digits, - and _, starting with a letter or digit, at most 63 characters" },
      { line: 8, col: 15, message: "an execution provider: databricks, bigquery or ProphecyManaged" },
    ]);
    const validate = await runCli(["validate", file]);
    expect(validate.code).toBe(1);
    const lines = validate.stderr.split("\n");
    expect(lines).toContain(`${file}:4:11: error: name "Marketing Team" is not valid: it must be ${shown[0]!.message}`);
    expect(lines).toContain(`${file}:8:15: error: unknown provider "databrick" (did you mean "databricks"?); it must be ${shown[1]!.message}`);
  });
});
