// Generates a large config for benchmarks: `fabrics` fabrics of `connections` connections each, one
// fabric per file (plus a teams file), as a big organisation's repository would hold them.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// With `prophecy` ({ url }), the teams file holds a prophecy block (token from PROPHECY_TOKEN, team ids
// 1000 + t) and every password is a Prophecy secret of its own, uploaded from SMTP_PASSWORD.
export function generateConfig(dir, { fabrics = 1000, connections = 10, teams = 50, variant = 0, prophecy } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let teamsYaml = "version: 1\n";
  if (prophecy) {
    teamsYaml += `prophecy:\n  url: ${prophecy.url}\n  token:\n    secret: PROPHECY_TOKEN\n  teams:\n`;
    for (let t = 0; t < teams; t++) teamsYaml += `    "${1000 + t}": team-${t}\n`;
  }
  teamsYaml += "teams:\n";
  for (let t = 0; t < teams; t++) teamsYaml += `  - name: team-${t}\n    members: [owner${t}@example.com, member${t}@example.com]\n    reviewers: ["@acme/team-${t}"]\n`;
  writeFileSync(join(dir, "teams.yaml"), teamsYaml);
  for (let f = 0; f < fabrics; f++) {
    let y = `version: 1\nfabrics:\n  - name: fabric-${f}\n    team: team-${f % teams}\n    description: Fabric number ${f}\n    provider: databricks\n    connections:\n`;
    for (let c = 0; c < connections; c++) {
      // `variant` changes 1% of the connections, for plan benchmarks.
      const changed = variant > 0 && (f * connections + c) % 100 === 0;
      const password = prophecy ? `          provider: prophecy\n          secret: smtp-${c}-password\n          from:\n            secret: SMTP_PASSWORD\n` : `          secret: SMTP_PASSWORD_${f}_${c}\n`;
      y += `      - name: smtp-${c}\n        type: smtp\n        url: smtp${c}.mail${f % 7}.example.com\n        port: ${changed ? 2525 : 587}\n        username: sender${c}@fabric${f}.example.com\n        password:\n${password}`;
    }
    writeFileSync(join(dir, `fabric-${String(f).padStart(4, "0")}.yaml`), y);
  }
}
