import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

describe("fabricate validate examples/fabrics", () => {
  it("accepts every example and counts what it found", async () => {
    const r = await runCli(["validate", "examples/fabrics"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: 3 file\(s\), 3 team\(s\), 3 fabric\(s\), 6 connection\(s\)$/m);
  });

  it("prints --version and exits 0", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("exits 1 on an unknown command, as on any error", async () => {
    const r = await runCli(["frobnicate"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});
