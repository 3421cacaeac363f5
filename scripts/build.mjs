// Builds dist/: first the code generated from schemas/ (TypeScript types and ajv's standalone
// validators, so that start-up never compiles a schema), then tsc.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { generate } from "./gen-types.mjs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
await generate();
execFileSync(process.execPath, [new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname, "-p", "tsconfig.json"], {
  stdio: "inherit",
  cwd: new URL("..", import.meta.url).pathname,
});
