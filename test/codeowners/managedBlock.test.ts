import { describe, expect, it } from "vitest";
import { blockChanges, findManagedBlock, withManagedBlock } from "../../src/codeowners/managedBlock.js";

const content = "# Generated\n/fabrics/a.yaml @a\n";
const block = "# BEGIN fabricate\n# Generated\n/fabrics/a.yaml @a\n# END fabricate\n";

function fill(text: string): string {
  const found = findManagedBlock(text);
  if (found.kind === "malformed") throw new Error(found.reason);
  return withManagedBlock(text, found, content);
}

describe("findManagedBlock", () => {
  it("finds the lines between the markers, and where the block starts", () => {
    const text = `* @admins\n${block}/docs/ @docs\n`;
    const found = findManagedBlock(text);
    expect(found).toMatchObject({ kind: "found", beginLine: 2, lines: ["# Generated", "/fabrics/a.yaml @a"] });
    if (found.kind === "found") expect(text.slice(found.start, found.end)).toBe(block);
  });

  it("reads markers with trailing blanks and CRLF line ends", () => {
    expect(findManagedBlock("# BEGIN fabricate  \r\n/x @y\r\n# END fabricate\r\n")).toMatchObject({ kind: "found", lines: ["/x @y"] });
  });

  it("finds none in a file without markers (a marker must be the whole line)", () => {
    expect(findManagedBlock("* @admins\n# BEGIN fabricate here\n")).toEqual({ kind: "absent" });
  });

  it.each([
    ["# BEGIN fabricate\n/x @y\n", 1, "`# BEGIN fabricate` without a `# END fabricate` line after it"],
    ["/x @y\n# END fabricate\n", 2, "`# END fabricate` without a `# BEGIN fabricate` line before it"],
    ["# END fabricate\n# BEGIN fabricate\n", 1, "`# END fabricate` before `# BEGIN fabricate`"],
    ["# BEGIN fabricate\n# END fabricate\n# BEGIN fabricate\n# END fabricate\n", 3, "a second `# BEGIN fabricate` line"],
    ["# BEGIN fabricate\n# END fabricate\n# END fabricate\n", 3, "a second `# END fabricate` line"],
  ])("calls %j malformed at line %i", (text, line, reason) => {
    expect(findManagedBlock(text)).toEqual({ kind: "malformed", line, reason });
  });
});

describe("withManagedBlock", () => {
  it.each([
    ["an empty file", "", block],
    ["a file ending in a newline", "* @admins\n", `* @admins\n\n${block}`],
    ["a file without a final newline", "* @admins", `* @admins\n\n${block}`],
    ["a file ending in a blank line", "* @admins\n\n", `* @admins\n\n${block}`],
  ])("appends the block to %s, after a blank line", (_, text, expected) => {
    expect(fill(text)).toBe(expected);
  });

  it("replaces only the block, keeping every byte around it", () => {
    const before = "# Our rules\n*   @admins\n\n# BEGIN fabricate\n/old.yaml @old\n# END fabricate\n/docs/  @docs   \n";
    expect(fill(before)).toBe(`# Our rules\n*   @admins\n\n${block}/docs/  @docs   \n`);
  });

  it("writes the block with the file's CRLF line ends", () => {
    expect(fill("* @admins\r\n")).toBe("* @admins\r\n\r\n# BEGIN fabricate\r\n# Generated\r\n/fabrics/a.yaml @a\r\n# END fabricate\r\n");
  });

  it("leaves a file whose block is up to date byte-identical", () => {
    const text = `* @admins\n\n${block}`;
    expect(fill(text)).toBe(text);
  });
});

describe("blockChanges", () => {
  it("names the lines only in the file (-) and only in the config (+)", () => {
    expect(blockChanges(["# Generated", "/a.yaml @a", "/b.yaml @mallory"], ["# Generated", "/b.yaml @b", "/c.yaml @c"])).toEqual([
      "- /a.yaml @a",
      "- /b.yaml @mallory",
      "+ /b.yaml @b",
      "+ /c.yaml @c",
    ]);
  });

  it("says so when the lines are the same but reordered or repeated", () => {
    expect(blockChanges(["/b @b", "/a @a"], ["/a @a", "/b @b"])).toEqual(["(the same lines, in another order or repeated)"]);
    expect(blockChanges(["/a @a", "/a @a"], ["/a @a"])).toEqual(["(the same lines, in another order or repeated)"]);
  });

  it("is empty when they agree", () => {
    expect(blockChanges(["/a @a"], ["/a @a"])).toEqual([]);
  });
});
