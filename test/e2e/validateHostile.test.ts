// Hostile input (a config may come from any pull request): each ends in a diagnostic and exit 1,
// never a crash, a stack trace or a hang.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

let n = 0;
function write(content: string | Buffer, name = "config.yaml"): string {
  const caseDir = join(dir, `case-${n++}`);
  mkdirSync(caseDir);
  writeFileSync(join(caseDir, name), content);
  return caseDir;
}

async function expectDiagnostic(path: string, expected: RegExp): Promise<string> {
  const r = await runCli(["validate", path]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(expected);
  expect(r.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m); // no stack trace
  expect(r.stderr).not.toContain("internal error");
  return r.stderr;
}

const billionLaughs = [
  "version: 1",
  "a: &a [x, x, x, x, x, x, x, x, x, x]",
  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
  "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
  "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
  "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]",
  "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]",
  "",
].join("\n");

describe("validate on hostile input", () => {
  it("reports a duplicate YAML key at the second key", async () => {
    const d = write("version: 1\nteams: []\nteams: []\n");
    await expectDiagnostic(d, /config\.yaml:3:1: error: map keys must be unique: this key is already set above/);
  });

  it("bounds alias expansion (billion laughs)", async () => {
    const d = write(billionLaughs);
    await expectDiagnostic(d, /config\.yaml:1:1: error: aliases expand too far/);
  });

  it("points at a YAML 1.1 merge key given anything but maps, where yaml would throw", async () => {
    const cases: [string, RegExp][] = [
      ["%YAML 1.1\n---\nversion: 1\n<<: *a\n", /config\.yaml:4:5: error: a merge key \(<<\) takes a map/],
      ["%YAML 1.1\n---\nversion: 1\nx: &a 1\nteams:\n  - <<: *a\n", /config\.yaml:6:9: error: a merge key/],
      ["%YAML 1.1\n---\nversion: 1\nx: &a {a: 1}\n<<: [*a, 3]\n", /config\.yaml:5:10: error: a merge key/],
      ["%YAML 1.1\n---\nversion: 1\nx: &l [1]\n<<: *l\n", /config\.yaml:5:5: error: a merge key/],
      // Without %YAML 1.1 too, where the key is tagged !!merge.
      ["version: 1\n!!merge <<: 3\n", /config\.yaml:2:13: error: a merge key/],
      ["version: 1\n!!merge <<: !!omap [{a: 1}]\n", /config\.yaml:2:20: error: a merge key/],
      // The list's alias means the anchor before the list, not the one of that name before the merge.
      ["version: 1\na: &x 1\ns: &l [*x]\nb: &x {k: 1}\n!!merge <<: *l\n", /config\.yaml:5:13: error: a merge key/],
    ];
    for (const [text, expected] of cases) await expectDiagnostic(write(text), expected);
  });

  it("points at an alias inside the collection it names, which would make the data a cycle", async () => {
    const cases: [string, RegExp][] = [
      ["version: 1\nteams: &a\n  - *a\n", /config\.yaml:3:5: error: an alias refers to a collection that contains it/],
      ["&a\n<<: *a\n", /config\.yaml:2:5: error: an alias refers to a collection that contains it/],
      ["version: 1\na: &a {b: [*a]}\n", /config\.yaml:2:12: error: an alias refers to a collection that contains it/],
    ];
    for (const [text, expected] of cases) await expectDiagnostic(write(text), expected);
  });

  it("points at a key YAML reads as a number or a boolean by its place", async () => {
    const d = write("%YAML 1.1\n---\nversion: 1\n1: 2\ny: 3\n");
    const stderr = await expectDiagnostic(d, /config\.yaml:4:1: error: unknown field "1"/);
    expect(stderr).toMatch(/config\.yaml:5:1: error: unknown field "true"/);
  });

  it("merges maps as YAML 1.1 does, anchors in a merge list included", async () => {
    const d = write("%YAML 1.1\n---\nversion: 1\nbase: &b {x: 1}\n<<: [*b, &c {y: 2}, *c]\n");
    const r = await runCli(["validate", d]);
    expect(r.stderr).toMatch(/config\.yaml:4:1: error: unknown field "base"/);
    expect(r.stderr).toMatch(/error: unknown field "x"/);
    expect(r.stderr).not.toContain("merge key");
  });

  it("refuses 10,000 levels of flow nesting", async () => {
    const d = write(`version: 1\nteams: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`);
    await expectDiagnostic(d, /config\.yaml:\d+:\d+: error: nesting (is deeper than 64 levels|is too deep)/);
  });

  it("refuses 10,000 levels of block nesting", async () => {
    const d = write(`version: 1\nteams:\n${"- ".repeat(10_000)}x\n`);
    await expectDiagnostic(d, /config\.yaml:\d+:\d+: error: nesting (is deeper than 64 levels|is too deep)/);
  });

  it("treats __proto__ and constructor keys as unknown fields, not as prototypes", async () => {
    const d = write('version: 1\n__proto__: {polluted: true}\nconstructor: {prototype: {polluted: true}}\nteams:\n  - name: ops\n    __proto__: {admin: true}\n');
    const stderr = await expectDiagnostic(d, /config\.yaml:2:1: error: unknown field "__proto__"/);
    expect(stderr).toMatch(/config\.yaml:3:1: error: unknown field "constructor"/);
    expect(stderr).toMatch(/config\.yaml:6:5: error: unknown field "__proto__"/);
  });

  it("reports invalid UTF-8 with its position", async () => {
    const d = write(Buffer.concat([Buffer.from("version: 1\nteams:\n  - name: caf"), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]));
    await expectDiagnostic(d, /config\.yaml:3:14: error: file is not valid UTF-8/);
  });

  it("reports a binary file", async () => {
    const d = write(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]));
    await expectDiagnostic(d, /config\.yaml:1:7: error: file holds a NUL byte: this is a binary file, not YAML/);
  });

  it("refuses a 50 MB file with a size limit", async () => {
    const d = write(Buffer.alloc(50 * 1024 * 1024, "# padding\n"));
    await expectDiagnostic(d, /config\.yaml: error: file is 50 MiB, more than the 5 MiB allowed/);
  });

  it("reports an empty file", async () => {
    const d = write("");
    await expectDiagnostic(d, /config\.yaml:1:1: error: file is empty/);
  });

  it("reports a file of comments only", async () => {
    const d = write("# nothing here yet\n");
    await expectDiagnostic(d, /config\.yaml:1:1: error: file holds no document/);
  });

  it("reports a directory with no YAML", async () => {
    const d = write("not yaml", "notes.txt");
    await expectDiagnostic(d, /case-\d+: error: no \*\.yaml or \*\.yml files in this directory/);
  });

  it("reports a path that does not exist", async () => {
    await expectDiagnostic(join(dir, "nope"), /nope: error: no such file or directory/);
  });

  it("reports a YAML syntax error at its place", async () => {
    const d = write("version: 1\nteams:\n  - name: [unclosed\n");
    await expectDiagnostic(d, /config\.yaml:\d+:\d+: error: /);
  });

  it("reports a document that is not a mapping", async () => {
    const d = write("- just\n- a list\n");
    await expectDiagnostic(d, /config\.yaml:1:1: error: the document must be of type object/);
  });
});
