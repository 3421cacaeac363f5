// Every file below a directory with its bytes, to assert that a failed run changed nothing.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export function dirSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p).toString("base64");
    }
  };
  walk(dir);
  return out;
}
