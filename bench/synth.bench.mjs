// synth of 10,000 connections (1,000 fabrics × 10) by both paths: YAML → fabric configs with
// `fabricate synth`, and a CDK app declaring the same fabrics → Terraform JSON and fabric configs with
// `app.synth()`; also YAML → Terraform JSON (`synth --target terraform`, written without cdktf).
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateConfig } from "./generate.mjs";
import { cli, fmt, measureNode, repoRoot, report } from "./measure.mjs";

const fabrics = 1000;
const connections = 10;
const teams = 50;
const work = join(repoRoot, "bench", ".work", "synth-10k");
const yamlDir = join(work, "fabrics");
generateConfig(yamlDir, { fabrics, connections, teams });

// The CDK app declares exactly what generateConfig writes, so both paths synthesize the same Model.
const app = join(work, "app.mjs");
writeFileSync(
  app,
  `import { App } from "cdktf";
import { Fabric, FabricateStack, SecretRef, SmtpConnection, Team } from "fabricate/cdk";
const app = new App();
const stack = new FabricateStack(app, "fabrics");
for (let t = 0; t < ${teams}; t++) new Team(stack, \`team-\${t}\`, { members: [\`owner\${t}@example.com\`, \`member\${t}@example.com\`], reviewers: [\`@acme/team-\${t}\`] });
for (let f = 0; f < ${fabrics}; f++) {
  const fabric = new Fabric(stack, \`fabric-\${f}\`, { team: \`team-\${f % ${teams}}\`, description: \`Fabric number \${f}\`, provider: "databricks" });
  for (let c = 0; c < ${connections}; c++) {
    new SmtpConnection(fabric, \`smtp-\${c}\`, { url: \`smtp\${c}.mail\${f % 7}.example.com\`, port: 587, username: \`sender\${c}@fabric\${f}.example.com\`, password: SecretRef.of(\`SMTP_PASSWORD_\${f}_\${c}\`) });
  }
}
app.synth();
`,
);

// Where the YAML path's time goes: CPU time of each stage in one process (best of 3).
const phases = join(work, "phases.mjs");
writeFileSync(
  phases,
  `import { loadConfig } from ${JSON.stringify(join(repoRoot, "dist", "config", "loadConfig.js"))};
import { fabricConfigFiles } from ${JSON.stringify(join(repoRoot, "dist", "synth", "fabricConfigFiles.js"))};
import { writeOutputDir } from ${JSON.stringify(join(repoRoot, "dist", "synth", "writeOutputDir.js"))};
const cpu = (f) => { const c = process.cpuUsage(); const r = f(); const d = process.cpuUsage(c); return [r, (d.user + d.system) / 1000]; };
const [loaded, load] = cpu(() => loadConfig([${JSON.stringify(yamlDir)}]));
const [synth, synthMs] = cpu(() => fabricConfigFiles(loaded.model));
const [, write] = cpu(() => writeOutputDir(${JSON.stringify(join(work, "out-phases"))}, synth.files));
console.log(JSON.stringify({ load, synth: synthMs, write }));
`,
);
const stages = [0, 1, 2]
  .map(() => JSON.parse(spawnSync(process.execPath, [phases], { encoding: "utf8" }).stdout))
  .reduce((best, r) => ({ load: Math.min(best.load, r.load), synth: Math.min(best.synth, r.synth), write: Math.min(best.write, r.write) }));

const out = join(work, "out");
const cdkOut = join(work, "cdktf.out");
mkdirSync(cdkOut, { recursive: true });
const yaml = measureNode([cli, "synth", yamlDir, "--out", out], { runs: 5 });
const yamlTf = measureNode([cli, "synth", yamlDir, "--out", join(work, "out-tf"), "--target", "terraform"], { runs: 3 });
const cdk = measureNode([app], { runs: 3, env: { CDKTF_OUTDIR: cdkOut } });
rmSync(work, { recursive: true, force: true });

report("synth YAML → fabric configs, 10,000 connections", fmt(yaml), "< 1500 ms");
report("synth CDK app → Terraform JSON + fabric configs", fmt(cdk));
report("  ratio CDK / YAML", `${(cdk.ms / yaml.ms).toFixed(2)}× wall, ${(cdk.mb / yaml.mb).toFixed(2)}× memory`);
report("  CPU time by stage: load+check / synth / write", `${stages.load.toFixed(0)} / ${stages.synth.toFixed(0)} / ${stages.write.toFixed(0)} ms`);
report("synth YAML → Terraform JSON (--target terraform)", fmt(yamlTf));
