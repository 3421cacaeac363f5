// `npm run demo`: the whole pipeline on this machine, with no credentials from the user and no network
// beyond 127.0.0.1. It makes a private CA and a server certificate, starts a real SMTP server
// (smtp-server, STARTTLS + AUTH) with a random password and a local stand-in of Prophecy's
// orchestration API with a random token, copies examples/demo/ to a temporary directory pointing at
// both, and runs the built CLI through validate → synth → plan → apply (which pushes the fabric, its
// secret and its connection to the stand-in) → verify → send, showing each step's output and what the
// stand-in then holds. Then it shows a change made outside fabricate found by the next plan, what a
// failure looks like (a wrong password), and removes everything it made.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { wantsColor } from "../dist/cli/colour.js";
import { createCertificateAuthority, issueServerCertificate } from "../dist/demo/certificates.js";
import { startLocalSmtpServer } from "../dist/demo/localSmtpServer.js";
import { pathOf, startProphecyStandIn } from "../dist/demo/prophecyStandIn/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "bin", "fabricate.js");
const color = wantsColor(process.stdout.isTTY === true, process.env, !process.argv.includes("--no-color"));
const bold = (s) => (color ? `\u001b[1m${s}\u001b[0m` : s);
const dim = (s) => (color ? `\u001b[2m${s}\u001b[0m` : s);

const work = mkdtempSync(join(tmpdir(), "fabricate-demo-"));
let server;
let prophecy;
const cleanup = async () => {
  await server?.close();
  await prophecy?.close();
  rmSync(work, { recursive: true, force: true });
};
process.on("SIGINT", () => cleanup().then(() => process.exit(130)));

const shown = (args) => `$ fabricate ${args.map((a) => (/^[\w@./=:-]+$/.test(a) ? a : `'${a}'`)).join(" ")}`;

function run(args, env = {}) {
  console.log(`\n${bold(shown(args))}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: work, env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => {
      console.log(dim(`(exit ${code})`));
      resolve(code);
    });
  });
}

/** The commands this build has, from `fabricate --help`: steps other branches add may be missing. */
async function availableCommands() {
  const { execFileSync } = await import("node:child_process");
  const help = execFileSync(process.execPath, [cli, "--help"], { encoding: "utf8" });
  return new Set([...help.matchAll(/^\s{2}([a-z-]+)\b/gm)].map((m) => m[1]));
}

/** What the stand-in holds after apply, as Prophecy's API would answer it (secret values never come back). */
function showProphecy() {
  console.log(`\n${bold("The local stand-in of Prophecy's API now holds:")} ${dim("(as its API answers: secret names and ids, never values)")}`);
  for (const f of prophecy.data().fabrics) {
    console.log(`  fabric ${f.name} (id ${f.id}, team ${f.teamName}, provider ${f.provider})`);
    for (const s of Object.values(f.secrets)) console.log(`    secret ${s.name} (id ${s.id})`);
    for (const c of Object.values(f.connections)) {
      const p = c.properties;
      console.log(`    connection ${c.name}: ${c.kind} ${p.smtpUrl}:${p.smtpPort} as ${p.smtpUsername}, password: secret ${p.smtpPassword.properties.name} (id ${p.smtpPassword.properties.id})`);
    }
  }
}

try {
  const password = randomBytes(18).toString("base64url");
  const user = "alerts@example.com";
  mkdirSync(join(work, "certs"));
  const ca = createCertificateAuthority(join(work, "certs"));
  const cert = issueServerCertificate(ca, ["IP:127.0.0.1"]);
  server = await startLocalSmtpServer({ tls: "starttls", certPem: cert.certPem, keyPem: cert.keyPem, users: { [user]: password } });
  const token = randomBytes(18).toString("base64url");
  prophecy = await startProphecyStandIn({ teams: [{ id: "7", name: "data-platform" }], tokens: { [token]: { user: "demo@example.com", teams: ["data-platform"] } } });
  cpSync(join(root, "examples", "demo", "fabrics"), join(work, "fabrics"), { recursive: true });
  const config = join(work, "fabrics", "demo.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace(/^(\s+port:) 2525$/m, `$1 ${server.port}`).replace(/^(\s+url:) http:\/\/127\.0\.0\.1:8080$/m, `$1 ${prophecy.url}`));

  console.log(bold("fabricate demo"));
  console.log(`An SMTP server with STARTTLS and AUTH listens on 127.0.0.1:${server.port}, with a certificate from a CA made just now`);
  console.log(`(${ca.caFile}). The password lives only in this process's environment as DEMO_SMTP_PASSWORD.`);
  console.log(`A local stand-in of Prophecy's orchestration API (not Prophecy itself) listens at ${prophecy.url}; apply pushes the`);
  console.log("fabric, its secret and its connection there with a token that lives only in this process's environment.");
  console.log(`Working directory: ${work}`);

  const env = { DEMO_SMTP_PASSWORD: password, DEMO_PROPHECY_TOKEN: token };
  const has = await availableCommands();
  const steps = [
    ["validate", ["validate", "fabrics"]],
    ["synth", ["synth", "fabrics", "--out", "fabricate.out"]],
    ["plan", ["plan", "fabrics"]],
    // The first apply sends the password to a server, and the token to a Prophecy, that nothing applied
    // has named yet: in CI it runs on the main branch after review, which is what --trust-new-hosts says.
    ["apply", ["apply", "fabrics", "--auto-approve", "--trust-new-hosts"]],
    ["verify", has.has("apply") ? ["verify", "--state", ".fabricate/state.json"] : ["verify", "fabrics"]],
    ["send", ["send", "--fabric", "demo", "--connection", "alerts", "--as", "alice@example.com", "--to", "ops@example.com", "--subject", "Nightly load finished", "--text", "All 12 tables loaded."]],
  ];
  const failed = [];
  for (const [name, args] of steps) {
    if (!has.has(name)) {
      console.log(`\n${bold(shown(args))}\n${dim(`(skipped: this build has no \`${name}\` command)`)}`);
      continue;
    }
    if ((await run(args, env)) !== 0) failed.push(name);
    const synthesized = join(work, "fabricate.out", "demo.json");
    if (name === "synth" && existsSync(synthesized)) {
      console.log(`\n${bold("fabricate.out/demo.json")} ${dim("(the password is a reference, never a value)")}`);
      console.log(readFileSync(synthesized, "utf8").trimEnd());
    }
    if (name === "apply") showProphecy();
  }
  if (has.has("apply")) {
    const [fabric] = prophecy.data().fabrics;
    if (fabric) {
      console.log(`\n${bold("A change made outside fabricate:")} someone moves the connection to port 2526 in Prophecy; the next plan shows it and puts it back.`);
      const c = fabric.connections.alerts;
      await fetch(`${prophecy.url}${pathOf("updateConnection", { fabricId: fabric.id, connectionName: "alerts" })}`, {
        method: "PUT",
        headers: { "X-AUTH-TOKEN": token, "Content-Type": "application/json" },
        body: JSON.stringify({ name: c.name, kind: c.kind, isDefaultWarehouseConnection: c.isDefaultWarehouseConnection, properties: { ...c.properties, smtpPort: 2526 } }),
      });
      if ((await run(["plan", "fabrics"], env)) !== 0) failed.push("plan after the change");
      if ((await run(["apply", "fabrics", "--auto-approve"], env)) !== 0) failed.push("apply after the change");
    }
  }
  for (const m of server.messages) {
    console.log(`\n${bold("The server received:")} from ${m.envelopeFrom} (logged in as ${m.authenticatedAs}) to ${m.envelopeTo.join(", ")}`);
    console.log(m.raw.split(/\r?\n\r?\n/)[0].split(/\r?\n/).filter((l) => /^(From|To|Subject|Message-ID):/i.test(l)).map((l) => `  ${l}`).join("\n"));
  }
  console.log(`\n${bold("And a failure:")} the same verify with a wrong password (exit 1 is expected).`);
  await run(has.has("apply") ? ["verify", "--state", ".fabricate/state.json"] : ["verify", "fabrics"], { DEMO_SMTP_PASSWORD: "not-the-password" });
  console.log(failed.length === 0 ? `\n${bold("Demo finished.")} Removing ${work}.` : `\n${bold(`Demo finished, but ${failed.join(", ")} failed.`)}`);
  process.exitCode = failed.length === 0 ? 0 : 1;
} finally {
  await cleanup();
}
