import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderManifest, writeFilesInto, writeOutputDir } from "../../src/synth/writeOutputDir.js";
import { tempDir } from "../helpers/cli.js";
import { dirSnapshot } from "../helpers/dirSnapshot.js";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe("writeOutputDir", () => {
  it("writes the files and a manifest with each file's sha256, and nothing beside DIR", () => {
    const out = join(root, "out");
    expect(writeOutputDir(out, files({ "a.json": "{}\n", "b.json": "[]\n" }))).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(["a.json", "b.json", "manifest.json"]);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest).toEqual({
      generator: "fabricate",
      version: 1,
      files: [
        { path: "a.json", bytes: 3, sha256: createHash("sha256").update("{}\n").digest("hex") },
        { path: "b.json", bytes: 3, sha256: createHash("sha256").update("[]\n").digest("hex") },
      ],
    });
    expect(readdirSync(root)).toEqual(["out"]);
  });

  it("replaces DIR as a whole: files no longer produced disappear", () => {
    const out = join(root, "out");
    writeOutputDir(out, files({ "old.json": "1\n", "kept.json": "2\n" }));
    expect(writeOutputDir(out, files({ "kept.json": "3\n" }))).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(["kept.json", "manifest.json"]);
    expect(readFileSync(join(out, "kept.json"), "utf8")).toBe("3\n");
    expect(readdirSync(root)).toEqual(["out"]);
  });

  it("carries over what it did not write (a Terraform working directory's state) and refuses to overwrite it", () => {
    const out = join(root, "out");
    writeOutputDir(out, files({ "a.json": "1\n", "cdk.tf.json": "{}\n" }));
    mkdirSync(join(out, ".terraform"));
    writeFileSync(join(out, ".terraform", "lock"), "x");
    writeFileSync(join(out, "terraform.tfstate"), "state\n");
    expect(writeOutputDir(out, files({ "b.json": "2\n", "cdk.tf.json": "{}\n" }))).toEqual([]);
    expect(readdirSync(out).sort()).toEqual([".terraform", "b.json", "cdk.tf.json", "manifest.json", "terraform.tfstate"]);
    expect(readFileSync(join(out, "terraform.tfstate"), "utf8")).toBe("state\n");
    const before = dirSnapshot(root);
    expect(writeOutputDir(out, files({ "terraform.tfstate": "{}\n" }))[0]?.summary).toContain("not written by fabricate synth");
    expect(dirSnapshot(root)).toEqual(before);
  });

  it.each(["../evil.json", "/tmp/evil.json", "sub/evil.json", "..", ".", "", ".hidden", "manifest.json", "a\nb.json", "a\0b", "..json"])(
    "refuses the file name %j and leaves DIR and its surroundings untouched",
    (name) => {
      const out = join(root, "deep", "out");
      writeOutputDir(out, files({ "a.json": "{}\n" }));
      const before = dirSnapshot(root);
      expect(() => writeOutputDir(out, files({ "b.json": "{}\n", [name]: "pwned\n" }))).toThrow(/not a plain file name/);
      expect(dirSnapshot(root)).toEqual(before);
      expect(existsSync("/tmp/evil.json")).toBe(false);
    },
  );

  it("refuses to replace a directory that fabricate did not write", () => {
    const out = join(root, "src");
    mkdirSync(out);
    writeFileSync(join(out, "main.ts"), "precious\n");
    const diagnostics = writeOutputDir(out, files({ "a.json": "{}\n" }));
    expect(diagnostics).toMatchObject([{ severity: "error", code: "synth.out-dir", summary: expect.stringContaining("not written by fabricate synth") }]);
    expect(readdirSync(out)).toEqual(["main.ts"]);
  });

  it("refuses a file, a symbolic link, and the current directory", () => {
    writeFileSync(join(root, "file"), "x");
    symlinkSync(root, join(root, "link"));
    expect(writeOutputDir(join(root, "file"), files({}))[0]?.summary).toContain("not a directory");
    expect(writeOutputDir(join(root, "link"), files({}))[0]?.summary).toContain("symbolic link");
    expect(writeOutputDir(".", files({}))[0]?.summary).toContain("current directory");
    expect(writeOutputDir("..", files({}))[0]?.summary).toContain("current directory");
  });

  it("reports a directory it cannot create instead of throwing, leaving no temporary directory", () => {
    writeFileSync(join(root, "blocker"), "x");
    const diagnostics = writeOutputDir(join(root, "blocker", "out"), files({ "a.json": "{}\n" }));
    expect(diagnostics).toMatchObject([{ severity: "error", code: "synth.write" }]);
    expect(readdirSync(root)).toEqual(["blocker"]);
  });
});

describe("writeFilesInto", () => {
  it("writes beside what is there, lists it in the manifest, and deletes only files its previous manifest listed", () => {
    writeFileSync(join(root, "cdk.tf.json"), "{}\n");
    writeFileSync(join(root, "unrelated.txt"), "keep\n");
    const tf = files({ "cdk.tf.json": "{}\n" });
    writeFilesInto(root, files({ "gone.json": "1\n", "kept.json": "2\n" }), tf);
    writeFilesInto(root, files({ "kept.json": "3\n" }), tf);
    expect(readdirSync(root).sort()).toEqual(["cdk.tf.json", "kept.json", "manifest.json", "unrelated.txt"]);
    expect(readFileSync(join(root, "manifest.json"), "utf8")).toBe(renderManifest(files({ "kept.json": "3\n", "cdk.tf.json": "{}\n" })));
  });

  it("never deletes what a forged manifest names outside the directory", () => {
    const inside = join(root, "stack");
    mkdirSync(inside);
    writeFileSync(join(root, "victim.txt"), "keep\n");
    writeFileSync(join(inside, "manifest.json"), JSON.stringify({ generator: "fabricate", version: 1, files: [{ path: "../victim.txt" }, { path: "/etc/hostname" }] }));
    writeFilesInto(inside, files({ "a.json": "{}\n" }));
    expect(readFileSync(join(root, "victim.txt"), "utf8")).toBe("keep\n");
  });
});
