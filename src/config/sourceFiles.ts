// Finds a config's files and reads them defensively: a config may come from an untrusted pull
// request, so size, binary content and invalid UTF-8 end in diagnostics, not crashes.
import { isUtf8 } from "node:buffer";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { errorAt, type Diagnostic } from "../diagnostics/diagnostic.js";
import { maxFileBytes } from "./limits.js";
import { lineColAt } from "./textPosition.js";
import { compareCodePoints } from "../json/canonical.js";


const yamlFile = /\.ya?ml$/;

/** Every *.yaml/*.yml below `dir`, sorted, skipping hidden directories and node_modules. */
function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(".") && entry.name !== "node_modules") walk(path, out);
    } else if (yamlFile.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isFile()))) {
      out.push(path);
    }
  }
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
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) {
      diagnostics.push(errorAt({ file: path }, "file.not-found", "no such file or directory"));
    } else if (stat.isDirectory()) {
      const found: string[] = [];
      walk(path, found);
      if (found.length === 0) diagnostics.push(errorAt({ file: path }, "file.no-config", "no *.yaml or *.yml files in this directory"));
      files.push(...found.sort(compareCodePoints));
    } else {
      files.push(path);
    }
  }
  return { files: [...new Set(files)], diagnostics };
}

export type ReadResult = { text: string; diagnostics: [] } | { text?: undefined; diagnostics: Diagnostic[] };

export function readConfigFile(file: string): ReadResult {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) return { diagnostics: [errorAt({ file }, "file.not-found", "not a readable file")] };
  if (stat.size > maxFileBytes) {
    return {
      diagnostics: [errorAt({ file }, "file.too-large", `file is ${(stat.size / 1024 / 1024).toFixed(1)} MiB; config files may be at most ${maxFileBytes / 1024 / 1024} MiB`)],
    };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return { diagnostics: [errorAt({ file }, "file.unreadable", `cannot read file: ${(e as NodeJS.ErrnoException).code ?? "error"}`)] };
  }
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
