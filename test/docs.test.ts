// The repository explains itself: every relative link in the README and docs/ leads to a file (and a
// heading, for #anchors) that exists, the README leads to every document in docs/, and nothing points
// at documents outside the repository.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/cli.js";

const documents = ["README.md", "CHANGELOG.md", "BENCHMARKS.md", ...readdirSync(join(repoRoot, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** GitHub's anchor for a heading: lower-case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)));
}

describe("documentation links", () => {
  it.each(documents)("every relative link in %s resolves", (doc) => {
    const path = join(repoRoot, doc);
    const text = readFileSync(path, "utf8").replace(/```[\s\S]*?```/g, "");
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue;
      const [file, anchor] = target!.split("#") as [string, string | undefined];
      const resolved = file === "" ? path : join(dirname(path), file);
      if (!existsSync(resolved)) broken.push(`${target} (no ${relative(repoRoot, resolved)})`);
      else if (anchor && resolved.endsWith(".md") && !anchors(resolved).has(anchor)) broken.push(`${target} (no heading #${anchor})`);
    }
    expect(broken).toEqual([]);
  });

  it("the README links every document in docs/", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const linked = new Set([...readme.matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]));
    expect(documents.filter((d) => d.startsWith("docs/") && !linked.has(d))).toEqual([]);
  });

  it("nothing in the repository points at documents outside it", () => {
    for (const doc of documents) expect(readFileSync(join(repoRoot, doc), "utf8")).not.toMatch(/\.\.\/shared|DESIGN\.md|STYLE\.md|TOOLCHAIN\.md|PROPHECY-API\.md/);
  });
});
