import { execFileSync } from "node:child_process";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readBoundedFile, readBoundedFileSync } from "../../src/files/readBoundedFile.js";
import { tempDir } from "../helpers/cli.js";

const tmp = tempDir();
afterAll(tmp.cleanup);
const limits = { maxBytes: 1024, timeoutMs: 2000 };

describe("readBoundedFile", () => {
  it("reads a regular file under the cap", async () => {
    const file = join(tmp.dir, "ok.pem");
    writeFileSync(file, "hello");
    const read = await readBoundedFile(file, limits);
    expect(read.ok && read.bytes.toString()).toBe("hello");
  });

  it("refuses a file over the cap without reading it", async () => {
    const file = join(tmp.dir, "big");
    writeFileSync(file, Buffer.alloc(2048, 97));
    expect(await readBoundedFile(file, limits)).toEqual({ ok: false, reason: "is 2048 bytes, more than the 1024 allowed" });
  });

  it("refuses a FIFO at once instead of waiting for a writer", async () => {
    const fifo = join(tmp.dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    expect(await readBoundedFile(fifo, limits)).toEqual({ ok: false, reason: "is a pipe (FIFO), not a regular file" });
  });

  it("refuses /dev/zero and a directory", async () => {
    expect(await readBoundedFile("/dev/zero", limits)).toEqual({ ok: false, reason: "is a character device, not a regular file" });
    mkdirSync(join(tmp.dir, "d"));
    expect(await readBoundedFile(join(tmp.dir, "d"), limits)).toEqual({ ok: false, reason: "is a directory, not a regular file" });
  });

  it("says a missing file does not exist", async () => {
    expect(await readBoundedFile(join(tmp.dir, "nope"), limits)).toEqual({ ok: false, reason: "does not exist" });
  });
});

describe("readBoundedFileSync", () => {
  it("applies the same checks: a regular file under the cap reads, a FIFO, /dev/zero and a large file do not", () => {
    const file = join(tmp.dir, "sync.pem");
    writeFileSync(file, "pem");
    const read = readBoundedFileSync(file, 1024);
    expect(read.ok && read.bytes.toString()).toBe("pem");
    const fifo = join(tmp.dir, "sync-fifo");
    execFileSync("mkfifo", [fifo]);
    expect(readBoundedFileSync(fifo, 1024)).toEqual({ ok: false, reason: "is a pipe (FIFO), not a regular file" });
    expect(readBoundedFileSync("/dev/zero", 1024)).toEqual({ ok: false, reason: "is a character device, not a regular file" });
    writeFileSync(file, Buffer.alloc(2048));
    expect(readBoundedFileSync(file, 1024)).toEqual({ ok: false, reason: "is 2048 bytes, more than the 1024 allowed" });
  });
});
