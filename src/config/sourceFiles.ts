// Finds a config's files and reads them defensively: a config may come from an untrusted pull
// request, so size, binary content, invalid UTF-8, FIFOs and devices end in diagnostics, not crashes
// or hangs (files are read through readBoundedFileSync: regular files only, by the descriptor's fstat).
//
// Symbolic links: a pull request can add `fabrics/x.yaml -> ../.git/config` (where CI keeps its token),
// and a parse error would then point into, or quote, a file that is not config at all. So a link, given
// on the command line or found in a config directory, must resolve inside the directory that holds it
// (for a walk, the config directory given); otherwise it is refused by the link's own name and its
// target is never opened. Links that stay inside are followed as before.
import { isUtf8 } from "node:buffer";
import { existsSync, lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { errorAt, type Diagnostic } from "../diagnostics/diagnostic.js";
import { readBoundedFileSync, type ReadProblem } from "../files/readBoundedFile.js";
import { compareCodePoints } from "../json/canonical.js";
import { maxFileBytes } from "./limits.js";
import { lineColAt } from "./textPosition.js";

const yamlFile = /\.ya?ml$/;

/** Directories a walk never enters: hidden ones (.git) and installed packages. */
function skippedDirectory(name: string): boolean {
  return name.startsWith(".") || name === "node_modules";
}

/** `target` is `root` or lies below it. */
export function isInside(root: string, target: string): boolean {
  const path = relative(root, target);
  return path === "" || (path !== ".." && !path.startsWith(`..${sep}`) && !isAbsolute(path));
}

/** The real path a link leads to, or undefined when it leads nowhere. */
function realTarget(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The path itself (a link is not followed), or undefined when nothing is there. */
function linkStat(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function linkOutside(link: string, shownRoot: string): Diagnostic {
  return errorAt({ file: link }, "file.link-outside", `symbolic link that leads outside ${shownRoot}: config files are read only from inside their directory, so it was not followed`);
}

interface Walk {
  /** The config directory as given, for messages. */
  readonly shownRoot: string;
  /** Its real path, which every link must stay inside. */
  readonly realRoot: string;
  readonly files: string[];
  readonly diagnostics: Diagnostic[];
}

/** Every *.yaml/*.yml below `dir`, skipping hidden directories and node_modules. */
function walk(dir: string, w: Walk): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    w.diagnostics.push(errorAt({ file: dir }, "file.unreadable", `directory cannot be read (${(e as NodeJS.ErrnoException).code ?? "unknown error"})`));
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      walkLink(path, entry.name, w);
    } else if (entry.isDirectory()) {
      if (!skippedDirectory(entry.name)) walk(path, w);
    } else if (yamlFile.test(entry.name)) {
      // Not only regular files: a FIFO or a device named *.yaml is refused by the read, not skipped in silence.
      w.files.push(path);
    }
  }
}

function walkLink(path: string, name: string, w: Walk): void {
  const target = realTarget(path);
  const isDirectory = target !== undefined && statSync(target).isDirectory();
  // What a link to a directory would be skipped for, it is skipped for; other files are never read.
  if (isDirectory ? skippedDirectory(name) : !yamlFile.test(name)) return;
  if (target === undefined) {
    w.diagnostics.push(errorAt({ file: path }, "file.not-found", "symbolic link to nothing: its target does not exist"));
  } else if (!isInside(w.realRoot, target)) {
    w.diagnostics.push(linkOutside(path, w.shownRoot));
  } else if (!isDirectory) {
    w.files.push(path);
  }
  // A link to a directory inside the config directory is not entered: the walk reaches that directory
  // itself, and entering it again could only repeat files or loop.
}

/** The config paths a command uses: those given, else ./fabrics if it exists, else the current directory. */
export function configPaths(given: readonly string[]): string[] {
  if (given.length > 0) return [...given];
  return [existsSync("fabrics") ? "fabrics" : "."];
}

export function findConfigFiles(paths: readonly string[]): { files: string[]; diagnostics: Diagnostic[] } {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const link = linkStat(path);
    const target = realTarget(path);
    if (!link || target === undefined) {
      diagnostics.push(errorAt({ file: path }, "file.not-found", link ? "symbolic link to nothing: its target does not exist" : "no such file or directory"));
      continue;
    }
    if (link.isSymbolicLink()) {
      const holder = dirname(resolve(path));
      if (!isInside(realpathSync(holder), target)) {
        diagnostics.push(linkOutside(path, dirname(path)));
        continue;
      }
    }
    if (statSync(target).isDirectory()) {
      const w: Walk = { shownRoot: path, realRoot: target, files: [], diagnostics };
      const before = diagnostics.length;
      walk(path, w);
      if (w.files.length === 0 && diagnostics.length === before) {
        diagnostics.push(errorAt({ file: path }, "file.no-config", "no *.yaml or *.yml files in this directory"));
      }
      files.push(...w.files.sort(compareCodePoints));
    } else {
      files.push(path);
    }
  }
  return { files: [...new Set(files)], diagnostics };
}

const readCodes: Record<ReadProblem, string> = {
  missing: "file.not-found",
  "not-regular": "file.not-regular",
  "too-large": "file.too-large",
  unreadable: "file.unreadable",
  timeout: "file.unreadable",
};

export type ReadResult = { text: string; diagnostics: [] } | { text?: undefined; diagnostics: Diagnostic[] };

export function readConfigFile(file: string): ReadResult {
  const read = readBoundedFileSync(file, maxFileBytes);
  if (!read.ok) return { diagnostics: [errorAt({ file }, readCodes[read.problem], `file ${read.reason}`)] };
  return decodeConfigText(file, read.bytes);
}

/** A config file's bytes as text: no NUL, valid UTF-8, not empty (a BOM dropped). Also for standard input. */
export function decodeConfigText(file: string, bytes: Buffer): ReadResult {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { diagnostics: [errorAt({ file, ...lineColAt(bytes.subarray(0, nul).toString("utf8"), nul) }, "file.binary", "file holds a NUL byte: this is a binary file, not YAML")] };
  }
  const text = bytes.toString("utf8");
  if (!isUtf8(bytes)) {
    // The decoder put U+FFFD where the first invalid sequence was.
    const at = text.indexOf("\uFFFD");
    return { diagnostics: [errorAt({ file, ...lineColAt(text, Math.max(0, at)) }, "file.encoding", "file is not valid UTF-8")] };
  }
  if (text.trim() === "") return { diagnostics: [errorAt({ file, line: 1, col: 1 }, "file.empty", "file is empty: a config file starts with `version: 1`")] };
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, diagnostics: [] };
}
