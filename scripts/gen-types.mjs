// Generates src/generated/ from schemas/: the schemas are the single source of truth, so the
// TypeScript types of each file format and the ajv validators both come from them (never kept by hand).
import Ajv2020 from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import ajvErrors from "ajv-errors";
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

/**
 * Schemas refer to each other by relative $ref (the state holds fabric configs), resolved against
 * their https://fabricate.dev/schemas/ $id. That address is a name, not a place: both generators are
 * given the files of this directory and never go to the network.
 */
const idPrefix = "https://fabricate.dev/schemas/";
const localSchemas = {
  order: 1,
  canRead: (file) => file.url.startsWith(idPrefix),
  read: (file) => readFileSync(`${schemasDir}/${file.url.slice(idPrefix.length).replace(/#.*$/, "")}`, "utf8"),
};

export async function generate() {
  mkdirSync(outDir, { recursive: true });
  const files = readdirSync(schemasDir).filter((f) => f.endsWith(".schema.json")).sort();
  const schemas = new Map(files.map((f) => [f, JSON.parse(readFileSync(`${schemasDir}/${f}`, "utf8"))]));
  for (const file of files) {
    const schema = schemas.get(file);
    const name = baseName(file);
    // verbose: errors carry their parent schema, which the did-you-mean for unknown fields reads.
    const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true, code: { source: true, esm: true } });
    // errorMessage: the words an editor (yaml-language-server) shows for a pattern or an enum, which
    // validate shows too; ajv-errors compiles them into the standalone code, which needs nothing of it at run time.
    ajvErrors(ajv);
    for (const [other, otherSchema] of schemas) if (other !== file) ajv.addSchema(otherSchema);
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
      $refOptions: { resolve: { fabricate: localSchemas, http: false } },
    });
    writeFileSync(`${outDir}/${name}.ts`, ts);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await generate();
