// verify of 500 connections against one local SMTP server (STARTTLS + AUTH PLAIN, a CA made for the
// run) at verify's default settings, beside:
// - the same at --concurrency 8 (the default before it was raised);
// - the ceiling of TLS here: bare Node TLS clients (connect, handshake with the certificate verified,
//   close) against a bare Node TLS server on the same machine, with one shared SecureContext and with
//   a new one per connection, so that verify's rate can be read as a share of what TLS allows;
// - the same SMTP handshake run one by one with Debian's swaks (`--quit-after AUTH`), which this
//   script installs with apt-get when it is missing.
// The servers run in a child process so that the timed runs do not share their event loop; they share
// the machine's two cores, as a CI runner would. smtp-server waits 100 ms before it greets every
// client; verify and swaks both pay it. The config is written as block YAML, as people write it.
// FABRICATE_BENCH_SWAKS=N sets how many swaks handshakes to time (default 100: about 25 s; 0 skips).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { stringify } from "yaml";
import { fmt, measureCli, repoRoot, report } from "./measure.mjs";

const connections = 500;
const swaksCount = Number(process.env.FABRICATE_BENCH_SWAKS ?? 100);
const user = "bench@example.com";
const password = `bench-${process.pid}-secret`;
const work = join(repoRoot, "bench", ".work", "verify");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

function startServers() {
  const script = `
    import { createServer } from "node:tls";
    import { createCertificateAuthority, issueServerCertificate } from ${JSON.stringify(join(repoRoot, "dist", "demo", "certificates.js"))};
    import { startLocalSmtpServer } from ${JSON.stringify(join(repoRoot, "dist", "demo", "localSmtpServer.js"))};
    const ca = createCertificateAuthority(process.argv[1]);
    const cert = issueServerCertificate(ca, ["IP:127.0.0.1"]);
    const smtp = await startLocalSmtpServer({ tls: "starttls", certPem: cert.certPem, keyPem: cert.keyPem, users: { [process.env.BENCH_USER]: process.env.BENCH_PASSWORD } });
    const bare = createServer({ cert: cert.certPem, key: cert.keyPem }, (socket) => socket.on("error", () => undefined).end());
    await new Promise((resolve) => bare.listen(0, "127.0.0.1", resolve));
    console.log(JSON.stringify({ port: smtp.port, tlsPort: bare.address().port, caFile: ca.caFile }));
    process.stdin.on("end", () => { bare.close(); smtp.close().then(() => process.exit(0)); });
    process.stdin.resume();`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, work], {
    env: { ...process.env, BENCH_USER: user, BENCH_PASSWORD: password },
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve) => createInterface({ input: child.stdout }).once("line", (line) => resolve({ child, ...JSON.parse(line) })));
}

/** Bare TLS handshakes per second from a client process: `count` at `concurrency`, certificates verified. */
function bareTls(port, caFile, { shared, count = 2000, concurrency = 64 }) {
  const script = `
    import { connect, createSecureContext } from "node:tls";
    import { readFileSync } from "node:fs";
    const ca = readFileSync(${JSON.stringify(caFile)}, "utf8");
    const context = () => createSecureContext({ ca, minVersion: "TLSv1.2" });
    const sharedContext = context();
    let next = 0;
    const one = () => new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port: ${port}, secureContext: ${shared} ? sharedContext : context(), rejectUnauthorized: true }, () => { socket.end(); resolve(); });
      socket.on("error", reject);
    });
    const started = performance.now();
    await Promise.all(Array.from({ length: ${concurrency} }, async () => { while (next++ < ${count}) await one(); }));
    console.log(${count} / ((performance.now() - started) / 1000));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`the bare TLS client exited ${r.status}: ${r.stderr}`);
  return Number(r.stdout);
}

function ensureSwaks() {
  const has = () => spawnSync("swaks", ["--version"], { stdio: "ignore" }).status === 0;
  if (has()) return true;
  const apt = (args) => spawnSync("apt-get", args, { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;
  if (!apt(["install", "-y", "swaks"])) apt(["update"]) && apt(["install", "-y", "swaks"]);
  return has();
}

const server = await startServers();
try {
  const doc = {
    version: 1,
    teams: [{ name: "bench", members: ["a@example.com"] }],
    fabrics: [
      {
        name: "bench",
        team: "bench",
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
  const config = join(work, "fabrics.yaml");
  writeFileSync(config, stringify(doc));
  // Nothing is applied: the bench's own server is trusted as after review.
  const args = (path, more = []) => [path, "verify", config, "--state", join(work, "none.json"), "--trust-new-hosts", "--format", "json", ...more];
  const env = { BENCH_SMTP_PASSWORD: password };
  const verify = measureCli((path) => args(path), { runs: 3, env });
  const rate = (ms) => connections / (ms / 1000);
  report(`verify ${connections} connections, default settings`, fmt(verify));
  report("  handshakes per second (whole CLI run, start-up included)", `${rate(verify.ms).toFixed(0)}${verify.baseline ? `; baseline ${rate(verify.baseline.ms).toFixed(0)}` : ""}`, "≥ 300");
  const old = measureCli((path) => args(path, ["--concurrency", "8"]), { runs: 3, env });
  report(`verify ${connections} connections, --concurrency 8`, fmt(old));
  report("  handshakes per second", rate(old.ms).toFixed(0));

  const shared = bareTls(server.tlsPort, server.caFile, { shared: true });
  const fresh = bareTls(server.tlsPort, server.caFile, { shared: false });
  report("bare TLS client, one shared SecureContext, 64 at once", `${shared.toFixed(0)} handshakes/s`);
  report("bare TLS client, a new SecureContext each, 64 at once", `${fresh.toFixed(0)} handshakes/s`);
  report("  verify's share of the bare TLS ceiling (shared context)", `${((100 * rate(verify.ms)) / shared).toFixed(0)}%`);

  if (swaksCount === 0) {
    report("swaks --quit-after AUTH, one by one", "skipped (FABRICATE_BENCH_SWAKS=0)");
  } else if (!ensureSwaks()) {
    report("swaks --quit-after AUTH, one by one", "skipped: swaks is not installed and apt-get could not install it");
  } else {
    const swaks = ["--server", "127.0.0.1", "--port", String(server.port), "--tls", "--tls-verify", "--tls-ca-path", server.caFile,
      "--auth", "PLAIN", "--auth-user", user, "--auth-password", password, "--quit-after", "AUTH", "--hide-all"];
    const start = process.hrtime.bigint();
    for (let i = 0; i < swaksCount; i++) execFileSync("swaks", swaks, { stdio: "ignore" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const theirs = swaksCount / (ms / 1000);
    report(`swaks --quit-after AUTH, ${swaksCount} handshakes one by one`, `${ms.toFixed(0)} ms wall`);
    report("  handshakes per second", theirs.toFixed(1));
    report("  ratio verify / swaks (handshakes per second)", `${(rate(verify.ms) / theirs).toFixed(1)}×`);
  }
} finally {
  server.child.stdin.end();
}
