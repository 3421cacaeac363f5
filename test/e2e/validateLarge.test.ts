// A large config: every file takes the YAML fast path, so positions are computed only for the files
// that have mistakes, and they must be exact.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateConfig } from "../../bench/generate.mjs";
import { runCli, tempDir } from "../helpers/cli.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

describe("validate on a large config", () => {
  it("accepts 600 fabrics and counts them", async () => {
    generateConfig(dir, { fabrics: 600, connections: 4 });
    const r = await runCli(["validate", dir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("ok: 601 file(s), 50 team(s), 600 fabric(s), 2400 connection(s)\n");
  });

  it("points at mistakes in files parsed on the fast path, schema and semantic ones in the same run", async () => {
    generateConfig(dir, { fabrics: 600, connections: 4 });
    const late = join(dir, "fabric-0590.yaml");
    writeFileSync(late, `version: 1\nfabrics:\n  - name: fabric-590\n    team: team-0\n    connections:\n      - name: smtp-0\n        type: smtp\n        url: smtp.example.com\n        prot: 587\n        username: a@example.com\n        password: {secret: X}\n`);
    writeFileSync(join(dir, "fabric-0591.yaml"), "version: 1\nfabrics:\n  - name: fabric-0\n    team: team-0\n");
    const r = await runCli(["validate", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${late}:9:9: error: unknown field "prot" (did you mean "port"?); known fields: name, type, url, port, tls, username, password, auth, caFile, insecure, isDefaultWarehouseConnection\n` +
        `${join(dir, "fabric-0591.yaml")}:3:11: error: fabric "fabric-0" is declared twice\n  first declared at ${join(dir, "fabric-0000.yaml")}:3:11\n` +
        "2 errors, 0 warnings\n",
    );
  });
});
