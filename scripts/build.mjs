// Builds dist/: first the code generated from schemas/ (TypeScript types and ajv's standalone
// validators, so that start-up never compiles a schema), then tsc.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { generate } from "./gen-types.mjs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
await generate();
const tsc = (project) =>
  execFileSync(process.execPath, [new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname, "-p", project], {
    stdio: "inherit",
    cwd: new URL("..", import.meta.url).pathname,
  });
tsc("tsconfig.json");
// Type declarations only for what the package exports to CDK apps (fabricate/cdk).
tsc("tsconfig.cdk-types.json");
