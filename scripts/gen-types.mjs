// Generates src/generated/ from schemas/: the schemas are the single source of truth, so the
// TypeScript types of each file format and the ajv validators both come from them (never kept by hand).
import Ajv2020 from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import { compile } from "json-schema-to-typescript";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const schemasDir = `${root}schemas`;
const outDir = `${root}src/generated`;

/** schemas/foo-bar.schema.json → FooBar */
function baseName(file) {
  return file
    .replace(/\.schema\.json$/, "")
    .split(/[-_.]/)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

/**
 * ajv's ESM standalone output still calls require() for its runtime helpers (ajv-validator/ajv#2209).
 * A real require (createRequire) keeps `require(...).default` meaning the same under every loader: a
 * default import of those CommonJS helpers differs between Node and vitest's interop.
 */
function esmOnly(code) {
  return `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n${code}`;
}

export async function generate() {
  mkdirSync(outDir, { recursive: true });
  for (const file of readdirSync(schemasDir).filter((f) => f.endsWith(".schema.json")).sort()) {
    const schema = JSON.parse(readFileSync(`${schemasDir}/${file}`, "utf8"));
    const name = baseName(file);
    // verbose: errors carry their parent schema, which the did-you-mean for unknown fields reads.
    const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true, code: { source: true, esm: true } });
    const validate = ajv.compile(schema);
    writeFileSync(`${outDir}/validate${name}.js`, `// Generated from schemas/${file} by scripts/gen-types.mjs.\n${esmOnly(standaloneCode(ajv, validate))}`);
    writeFileSync(
      `${outDir}/validate${name}.d.ts`,
      `// Generated from schemas/${file} by scripts/gen-types.mjs.\nimport type { ErrorObject } from "ajv";\n` +
        `declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };\nexport default validate;\n`,
    );
    const ts = await compile(schema, name, {
      bannerComment: `// Generated from schemas/${file} by scripts/gen-types.mjs. Do not edit.`,
      additionalProperties: false,
      unreachableDefinitions: true,
      cwd: schemasDir,
    });
    writeFileSync(`${outDir}/${name}.ts`, ts);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await generate();
