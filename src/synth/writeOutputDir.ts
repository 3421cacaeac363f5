// Writes a synth output directory safely. Everything is written into a temporary directory beside DIR
// and swapped in only when every file is on disk, so a failed run leaves the previous DIR exactly as it
// was, and files of fabrics that no longer exist disappear with the old directory (what synth did not
// write, such as Terraform's state in a --target terraform directory, is carried over). File names are
// checked again here (they come from slugs already): nothing may land outside DIR whatever a name says.
// A DIR that fabricate did not write (no manifest of ours) is never replaced: `--out src` must not
// delete someone's source tree.
import { createHash } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { maxFileBytes } from "../config/limits.js";
import { errorAt, type Diagnostic } from "../diagnostics/diagnostic.js";
import { readBoundedFileSync } from "../files/readBoundedFile.js";
import type { SynthManifest } from "../generated/SynthManifest.js";
import { parseJson } from "../json/untrustedJson.js";
import { canonicalJson, compareCodePoints } from "../json/canonical.js";

export const manifestFileName = "manifest.json";


/** One plain file name: no separator, no leading dot (so never `.` or `..`), no control character. */
const plainFileName = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/** A file of DIR other than its manifest, by a name that cannot point outside DIR. */
export function isListableFileName(name: string): boolean {
  return plainFileName.test(name) && !name.includes("..") && name !== manifestFileName;
}

/** Throws on a name that could leave DIR: callers pass slugs, so a bad name here is a bug, never input. */
export function checkOutputFileName(name: string): void {
  if (!isListableFileName(name)) {
    throw new Error(`refusing to write output file ${JSON.stringify(name)}: not a plain file name`);
  }
}

/** The hex sha256 a manifest records for a file's bytes. */
export function fileSha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** DIR/manifest.json (schemas/synth-manifest.schema.json): every other file in DIR with its hash, so that consumers can check what they read. */
export function renderManifest(files: ReadonlyMap<string, string>): string {
  const entries = [...files]
    .map(([path, content]) => {
      const bytes = Buffer.from(content, "utf8");
      return { path, sha256: fileSha256(bytes), bytes: bytes.length };
    })
    .sort((a, b) => compareCodePoints(a.path, b.path));
  const manifest: SynthManifest = { generator: "fabricate", version: 1, files: entries };
  return canonicalJson(manifest);
}

function writeAll(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [name, content] of files) writeFileSync(join(dir, name), content, { flag: "wx" });
  writeFileSync(join(dir, manifestFileName), renderManifest(files), { flag: "wx" });
}

/**
 * Writes `files` into an existing directory that another tool owns (cdktf's stack directory), with a
 * manifest that also covers `alsoListed` (files already there, such as cdk.tf.json). Files that the
 * previous manifest listed and this run no longer produces (removed fabrics) are deleted.
 */
export function writeFilesInto(dir: string, files: ReadonlyMap<string, string>, alsoListed: ReadonlyMap<string, string> = new Map()): void {
  for (const name of files.keys()) checkOutputFileName(name);
  const current = new Set([...files.keys(), ...alsoListed.keys()]);
  for (const stale of previouslyListed(dir)) {
    if (!current.has(stale)) rmSync(join(dir, stale), { force: true });
  }
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  writeFileSync(join(dir, manifestFileName), renderManifest(new Map([...files, ...alsoListed])));
}

/**
 * The manifest of ours in `dir`, as far as it reads: whatever stands there instead (a FIFO, a huge
 * file, anything that is not our JSON) means "not ours", never a hang or a crash.
 */
function previousManifest(dir: string): { readonly files?: unknown } | undefined {
  const read = readBoundedFileSync(join(dir, manifestFileName), maxFileBytes);
  const parsed = read.ok ? parseJson(read.bytes) : undefined;
  const value = parsed?.ok ? (parsed.value as Partial<Record<keyof SynthManifest, unknown>> | null) : undefined;
  return value !== null && typeof value === "object" && value.generator === "fabricate" ? value : undefined;
}

/** The plain file names a manifest of ours in `dir` lists; nothing else is ever deleted. */
function previouslyListed(dir: string): string[] {
  const files = previousManifest(dir)?.files;
  if (!Array.isArray(files)) return [];
  return files.map((f: unknown) => (f as { path?: unknown } | null)?.path).filter((p): p is string => typeof p === "string" && isListableFileName(p));
}

function isOurs(dir: string): boolean {
  return readdirSync(dir).length === 0 || previousManifest(dir) !== undefined;
}

/** Why `dir` must not be replaced, or undefined when it may. */
function refusal(dir: string): string | undefined {
  const fromDir = relative(dir, process.cwd());
  const outsideDir = fromDir === ".." || fromDir.startsWith(`..${sep}`) || isAbsolute(fromDir);
  if (!outsideDir) return "it is the current directory or one above it";
  const stat = lstatSync(dir, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (!stat.isDirectory()) return stat.isSymbolicLink() ? "it is a symbolic link" : "it is not a directory";
  if (!isOurs(dir)) return `it was not written by fabricate synth (no ${manifestFileName} of ours in it)`;
  return undefined;
}

/** What DIR holds that synth did not write: with --target terraform, Terraform's .terraform/, lock file and state. */
function notWrittenBySynth(dir: string): string[] {
  if (!lstatSync(dir, { throwIfNoEntry: false })) return [];
  const ours = new Set([...previouslyListed(dir), manifestFileName]);
  return readdirSync(dir).filter((name) => !ours.has(name));
}

/**
 * Replaces directory `out` with `files`, their manifest, and what the old DIR held that synth did not
 * write (carried over, so that a Terraform working directory keeps its state); or leaves it untouched
 * and returns why not.
 */
export function writeOutputDir(out: string, files: ReadonlyMap<string, string>): Diagnostic[] {
  for (const name of files.keys()) checkOutputFileName(name);
  const dir = resolve(out);
  const parent = dirname(dir);
  let temp: string | undefined;
  let old: string | undefined;
  const carried: string[] = [];
  try {
    const why = refusal(dir);
    if (why) return [errorAt({ file: out }, "synth.out-dir", `refusing to replace output directory ${out}: ${why}`)];
    const foreign = notWrittenBySynth(dir);
    const clash = foreign.find((name) => files.has(name));
    if (clash) return [errorAt({ file: join(out, clash) }, "synth.out-dir", `refusing to overwrite ${join(out, clash)}: it was not written by fabricate synth`)];
    mkdirSync(parent, { recursive: true });
    temp = mkdtempSync(join(parent, `.${basename(dir)}.synth-`));
    // mkdtemp makes it private (0700); the output is an ordinary directory.
    chmodSync(temp, 0o755);
    writeAll(temp, files);
    for (const name of foreign) {
      renameSync(join(dir, name), join(temp, name));
      carried.push(name);
    }
    if (lstatSync(dir, { throwIfNoEntry: false })) {
      old = `${temp}.old`;
      renameSync(dir, old);
    }
    try {
      renameSync(temp, dir);
    } catch (e) {
      if (old) renameSync(old, dir);
      old = undefined;
      throw e;
    }
    temp = undefined;
    return [];
  } catch (e) {
    // Put back what was carried over, so that DIR is as it was.
    for (const name of temp ? carried : []) renameSync(join(temp!, name), join(dir, name));
    return [errorAt({ file: out }, "synth.write", `cannot write output directory ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)];
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
    if (old) rmSync(old, { recursive: true, force: true });
  }
}
