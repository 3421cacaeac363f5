import { execFileSync } from "node:child_process";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readBoundedFile, readBoundedFileSync, type BoundedRead } from "../../src/files/readBoundedFile.js";
import { tempDir } from "../helpers/cli.js";

const tmp = tempDir();
afterAll(tmp.cleanup);
const limits = { maxBytes: 1024, timeoutMs: 2000 };

// Both readers refuse the same things with the same words.
const readers: [string, (path: string) => Promise<BoundedRead> | BoundedRead][] = [
  ["readBoundedFile", (path) => readBoundedFile(path, limits)],
  ["readBoundedFileSync", (path) => readBoundedFileSync(path, limits.maxBytes)],
];

describe.each(readers)("%s", (name, read) => {
  const at = (file: string) => join(tmp.dir, `${name}-${file}`);

  it("reads a regular file under the cap", async () => {
    writeFileSync(at("ok.pem"), "hello");
    const r = await read(at("ok.pem"));
    expect(r.ok && r.bytes.toString()).toBe("hello");
  });

  it("reads an empty file and a file of exactly the cap", async () => {
    writeFileSync(at("empty"), "");
    writeFileSync(at("full"), Buffer.alloc(1024, 97));
    const empty = await read(at("empty"));
    const full = await read(at("full"));
    expect(empty.ok && empty.bytes.length).toBe(0);
    expect(full.ok && full.bytes.length).toBe(1024);
  });

  it("refuses a file over the cap without reading it", async () => {
    writeFileSync(at("big"), Buffer.alloc(2048, 97));
    expect(await read(at("big"))).toEqual({ ok: false, problem: "too-large", reason: "is 2048 bytes, more than the 1024 bytes allowed" });
  });

  it("refuses a FIFO at once instead of waiting for a writer", async () => {
    execFileSync("mkfifo", [at("fifo")]);
    expect(await read(at("fifo"))).toEqual({ ok: false, problem: "not-regular", reason: "is a pipe (FIFO), not a regular file" });
  });

  it("refuses /dev/zero and a directory", async () => {
    expect(await read("/dev/zero")).toEqual({ ok: false, problem: "not-regular", reason: "is a character device, not a regular file" });
    mkdirSync(at("d"));
    expect(await read(at("d"))).toEqual({ ok: false, problem: "not-regular", reason: "is a directory, not a regular file" });
  });

  it("says a missing file does not exist", async () => {
    expect(await read(at("nope"))).toEqual({ ok: false, problem: "missing", reason: "does not exist" });
  });
});
