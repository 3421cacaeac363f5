// verify of 500 connections against one local SMTP server (STARTTLS + AUTH PLAIN, a CA made for the
// run) at concurrency 32, beside the same handshake run one by one with Debian's swaks
// (`--quit-after AUTH`), which this script installs with apt-get when it is missing. The server runs
// in a child process so that the timed CLI runs are not sharing its event loop. smtp-server waits
// 100 ms before it greets every client; both tools pay it.
// FABRICATE_BENCH_SWAKS=N sets how many swaks handshakes to time (default 100: about 50 s; 500 is the
// full set). The rate is what is compared, so the sample size does not bias the ratio.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { cli, fmt, measureNode, repoRoot, report } from "./measure.mjs";

const connections = 500;
const concurrency = 32;
const swaksCount = Number(process.env.FABRICATE_BENCH_SWAKS ?? 100);
const user = "bench@example.com";
const password = `bench-${process.pid}-secret`;
const work = join(repoRoot, "bench", ".work", "verify");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

function startServer() {
  const script = `
    import { createCertificateAuthority, issueServerCertificate } from ${JSON.stringify(join(repoRoot, "dist", "demo", "certificates.js"))};
    import { startLocalSmtpServer } from ${JSON.stringify(join(repoRoot, "dist", "demo", "localSmtpServer.js"))};
    const ca = createCertificateAuthority(process.argv[1]);
    const cert = issueServerCertificate(ca, ["IP:127.0.0.1"]);
    const server = await startLocalSmtpServer({ tls: "starttls", certPem: cert.certPem, keyPem: cert.keyPem, users: { [process.env.BENCH_USER]: process.env.BENCH_PASSWORD } });
    console.log(JSON.stringify({ port: server.port, caFile: ca.caFile }));
    process.stdin.on("end", () => server.close().then(() => process.exit(0)));
    process.stdin.resume();`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, work], {
    env: { ...process.env, BENCH_USER: user, BENCH_PASSWORD: password },
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve) => createInterface({ input: child.stdout }).once("line", (line) => resolve({ child, ...JSON.parse(line) })));
}

function ensureSwaks() {
  const has = () => spawnSync("swaks", ["--version"], { stdio: "ignore" }).status === 0;
  if (has()) return true;
  const apt = (args) => spawnSync("apt-get", args, { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;
  if (!apt(["install", "-y", "swaks"])) apt(["update"]) && apt(["install", "-y", "swaks"]);
  return has();
}

const server = await startServer();
try {
  const doc = {
    version: 1,
    teams: [{ name: "bench", members: ["a@example.com"] }],
    fabrics: [
      {
        name: "bench",
        team: "bench",
        trustedHosts: ["127.0.0.1"],
        connections: Array.from({ length: connections }, (_, i) => ({
          name: `c${String(i).padStart(3, "0")}`,
          type: "smtp",
          url: "127.0.0.1",
          port: server.port,
          username: user,
          password: { secret: "BENCH_SMTP_PASSWORD" },
          caFile: server.caFile,
        })),
      },
    ],
  };
  writeFileSync(join(work, "fabrics.yaml"), JSON.stringify(doc));
  const verify = measureNode([cli, "verify", join(work, "fabrics.yaml"), "--concurrency", String(concurrency), "--format", "json"], {
    runs: 3,
    env: { BENCH_SMTP_PASSWORD: password },
  });
  const ours = connections / (verify.ms / 1000);
  report(`verify ${connections} connections, concurrency ${concurrency}`, fmt(verify));
  report("  handshakes per second (whole CLI run, start-up included)", ours.toFixed(1));

  if (!ensureSwaks()) {
    report("swaks --quit-after AUTH, one by one", "skipped: swaks is not installed and apt-get could not install it");
  } else {
    const args = ["--server", "127.0.0.1", "--port", String(server.port), "--tls", "--tls-verify", "--tls-ca-path", server.caFile,
      "--auth", "PLAIN", "--auth-user", user, "--auth-password", password, "--quit-after", "AUTH", "--hide-all"];
    const start = process.hrtime.bigint();
    for (let i = 0; i < swaksCount; i++) execFileSync("swaks", args, { stdio: "ignore" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const theirs = swaksCount / (ms / 1000);
    report(`swaks --quit-after AUTH, ${swaksCount} handshakes one by one`, `${ms.toFixed(0)} ms wall`);
    report("  handshakes per second", theirs.toFixed(1));
    report("  ratio verify / swaks (handshakes per second)", `${(ours / theirs).toFixed(1)}×`);
  }
} finally {
  server.child.stdin.end();
}
