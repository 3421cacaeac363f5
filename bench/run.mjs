// `npm run bench`: runs every bench/*.bench.mjs in name order; each prints its own figures.
import { readdirSync } from "node:fs";

const dir = new URL(".", import.meta.url);
for (const file of readdirSync(dir).filter((f) => f.endsWith(".bench.mjs")).sort()) {
  console.log(`\n## ${file.replace(/\.bench\.mjs$/, "")}`);
  await import(new URL(file, dir).href);
}
