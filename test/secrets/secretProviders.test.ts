// Each secret provider against the real thing it reads: the process environment, files on disk, a
// child process, and an HTTP server speaking Vault's KV v2 API on 127.0.0.1.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SecretRef } from "../../src/model.js";
import { parseProviderOverride, secretResolver } from "../../src/secrets/resolveSecret.js";
import { vaultOrigin } from "../../src/secrets/vaultProvider.js";
import type { SecretProvidersConfig } from "../../src/synth/fabricConfig.js";
import { tempDir } from "../helpers/cli.js";
import { unusedPort } from "../helpers/smtpServers.js";

const canary = "canary-s3cr3t-4f1d";
const ref = (provider: SecretRef["provider"], secret: string, key?: string): SecretRef => ({ provider, secret, ...(key !== undefined && { key }) });
const settings = (extra: Partial<SecretProvidersConfig> = {}): SecretProvidersConfig => ({ default: "env", ...extra });

let dir: { dir: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

describe("env", () => {
  const resolve = secretResolver(settings(), { env: { SMTP_PASSWORD: canary, EMPTY: "" } });
  it("reads the variable", async () => {
    expect(await resolve(ref("env", "SMTP_PASSWORD"))).toEqual({ ok: true, value: canary });
  });
  it.each([
    ["MISSING", "env:MISSING: environment variable MISSING is not set"],
    ["EMPTY", "env:EMPTY: environment variable EMPTY is empty"],
  ])("names the reference when %s cannot be used", async (name, reason) => {
    expect(await resolve(ref("env", name))).toEqual({ ok: false, reason });
  });
});

describe("file", () => {
  it("reads the file in the configured directory and trims one trailing newline", async () => {
    mkdirSync(join(dir.dir, "secrets", "smtp"), { recursive: true });
    writeFileSync(join(dir.dir, "secrets", "smtp", "password"), `${canary}\n`);
    writeFileSync(join(dir.dir, "secrets", "crlf"), `${canary}\r\n`);
    const resolve = secretResolver(settings({ file: { directory: join(dir.dir, "secrets") } }));
    expect(await resolve(ref("file", "smtp/password"))).toEqual({ ok: true, value: canary });
    expect(await resolve(ref("file", "crlf"))).toEqual({ ok: true, value: canary });
  });
  it("names the reference and the path of a missing file", async () => {
    const resolve = secretResolver(settings({ file: { directory: join(dir.dir, "secrets") } }));
    expect(await resolve(ref("file", "nope"))).toEqual({ ok: false, reason: `file:nope: file ${join(dir.dir, "secrets", "nope")} does not exist` });
  });
  it("refuses a FIFO, a directory, a device and a huge file at once, naming the path", async () => {
    const secrets = join(dir.dir, "hostile-secrets");
    mkdirSync(join(secrets, "dir"), { recursive: true });
    execFileSync("mkfifo", [join(secrets, "fifo")]);
    truncateSync((writeFileSync(join(secrets, "huge"), ""), join(secrets, "huge")), 2 * 1024 * 1024);
    const resolve = secretResolver(settings({ file: { directory: secrets } }), { timeoutMs: 5000 });
    expect(await resolve(ref("file", "fifo"))).toEqual({ ok: false, reason: `file:fifo: file ${join(secrets, "fifo")} is a pipe (FIFO), not a regular file` });
    expect(await resolve(ref("file", "dir"))).toEqual({ ok: false, reason: `file:dir: file ${join(secrets, "dir")} is a directory, not a regular file` });
    expect(await resolve(ref("file", "huge"))).toEqual({ ok: false, reason: `file:huge: file ${join(secrets, "huge")} is 2 MiB, more than the 1 MiB allowed` });
    const devices = secretResolver(settings({ file: { directory: "/dev" } }), { timeoutMs: 5000 });
    expect(await devices(ref("file", "zero"))).toEqual({ ok: false, reason: "file:zero: file /dev/zero is a character device, not a regular file" });
  });

  it("refuses a '..' segment even from a hand-edited state", async () => {
    const resolve = secretResolver(settings({ file: { directory: join(dir.dir, "secrets") } }));
    expect(await resolve(ref("file", "../etc/passwd"))).toMatchObject({ ok: false, reason: expect.stringContaining("'..'") });
  });
});

describe("exec", () => {
  const script = (body: string): string => {
    const path = join(dir.dir, `cred-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  it("runs the command with {secret} and {key} substituted, and reads its stdout", async () => {
    const cmd = script(`[ "$1" = "smtp/prod" ] && [ "$2" = "password" ] && printf '%s\\n' "${canary}"`);
    const resolve = secretResolver(settings({ exec: { command: [cmd, "{secret}", "{key}"], timeoutMs: 5000 } }));
    expect(await resolve(ref("exec", "smtp/prod", "password"))).toEqual({ ok: true, value: canary });
  });

  it("passes a hostile secret name as one argument, never to a shell", async () => {
    const marker = join(dir.dir, "pwned");
    const cmd = script(`printf '%s' "$1"`);
    const resolve = secretResolver(settings({ exec: { command: [cmd, "{secret}"], timeoutMs: 5000 } }));
    const name = `x; touch ${marker}`;
    expect(await resolve(ref("exec", name))).toEqual({ ok: true, value: name });
    expect(existsSync(marker)).toBe(false);
  });

  it("reports a failing command with its exit code and first stderr line", async () => {
    const cmd = script(`echo "secret not found: $1" >&2; exit 3`);
    const resolve = secretResolver(settings({ exec: { command: [cmd, "{secret}"], timeoutMs: 5000 } }));
    expect(await resolve(ref("exec", "smtp/prod"))).toEqual({ ok: false, reason: `exec:smtp/prod: command ${JSON.stringify(cmd)} exited with code 3: secret not found: smtp/prod` });
  });

  it("kills a command that outlives its timeout", async () => {
    const cmd = script("sleep 5");
    const resolve = secretResolver(settings({ exec: { command: [cmd], timeoutMs: 300 } }));
    expect(await resolve(ref("exec", "x"))).toEqual({ ok: false, reason: `exec:x: command ${JSON.stringify(cmd)} did not finish within 300ms` });
  });

  it.each([
    [["/nonexistent/fabricate-cred"], 'exec:x: command "/nonexistent/fabricate-cred" was not found'],
    [["true"], 'exec:x: command "true" printed nothing on its standard output'],
    [["echo", "{key}"], "exec:x: the exec command uses {key}, but the reference has no key"],
  ])("explains %j", async (command, reason) => {
    const resolve = secretResolver(settings({ exec: { command, timeoutMs: 5000 } }));
    expect(await resolve(ref("exec", "x"))).toEqual({ ok: false, reason });
  });

  it("says when the fabric configures no command", async () => {
    expect(await secretResolver(settings())(ref("exec", "x"))).toEqual({ ok: false, reason: "exec:x: the fabric configures no secrets.exec.command" });
  });
});

describe("vault (KV v2 over HTTP)", () => {
  let server: Server;
  let address: string;
  const seen: { url: string; token: string | undefined }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? "", token: req.headers["x-vault-token"] as string | undefined });
      if (req.headers["x-vault-token"] !== "root-token") return res.writeHead(403).end('{"errors":["permission denied"]}');
      if (req.url === "/v1/secret/data/smtp/prod") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: { data: { password: canary, user: "alerts" }, metadata: { version: 3 } } }));
      if (req.url === "/v1/kv/data/single") return res.writeHead(200).end(JSON.stringify({ data: { data: { value: canary } } }));
      res.writeHead(404).end('{"errors":[]}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const vault = (mount: string, token: string | null) =>
    secretResolver(settings({ vault: { address, mount } }), { env: token === null ? {} : { VAULT_TOKEN: token } });

  it("reads the field named by the key, with the token from VAULT_TOKEN", async () => {
    expect(await vault("secret", "root-token")(ref("vault", "smtp/prod", "password"))).toEqual({ ok: true, value: canary });
    expect(seen.at(-1)).toEqual({ url: "/v1/secret/data/smtp/prod", token: "root-token" });
  });
  it("takes the only field when the reference names no key", async () => {
    expect(await vault("kv", "root-token")(ref("vault", "single"))).toEqual({ ok: true, value: canary });
  });
  it.each([
    ["smtp/prod", undefined, "root-token", "vault:smtp/prod: the Vault secret has fields password, user: name one with `key`"],
    ["smtp/prod", "nope", "root-token", 'vault:smtp/prod#nope: the Vault secret has no field "nope" (fields: password, user)'],
    ["missing", "password", "root-token", "vault:missing#password: Vault has no secret at secret/data/missing"],
    ["smtp/prod", "password", "bad-token", "vault:smtp/prod#password: Vault refused the token for secret/data/smtp/prod (403 permission denied)"],
    ["smtp/prod", "password", null, "vault:smtp/prod#password: VAULT_TOKEN is not set"],
  ])("explains %s#%s (token %s)", async (secret, key, token, reason) => {
    expect(await vault("secret", token)(ref("vault", secret, key))).toEqual({ ok: false, reason });
  });
  it("refuses to send the token over http:// to a name, even localhost, before any request", async () => {
    const before = seen.length;
    const local = address.replace("127.0.0.1", "localhost");
    const resolve = secretResolver(settings({ vault: { address: local, mount: "secret" } }), { env: { VAULT_TOKEN: "root-token" } });
    expect(await resolve(ref("vault", "smtp/prod", "password"))).toEqual({
      ok: false,
      reason: `vault:smtp/prod#password: refusing to send the Vault token to ${local}: the address must be https:// (http:// only on a loopback address such as 127.0.0.1)`,
    });
    expect(seen.length).toBe(before);
  });

  it.each([
    ["https://vault.example.com:8200", { origin: "https://vault.example.com:8200" }],
    ["https://ci:s3cret@vault.example.com/", { origin: "https://vault.example.com" }],
    ["http://127.0.0.1:8200", { origin: "http://127.0.0.1:8200" }],
    ["http://127.9.8.7", { origin: "http://127.9.8.7" }],
    ["http://[::1]:8200", { origin: "http://[::1]:8200" }],
    ["http://localhost:8200", { refused: expect.stringContaining("to http://localhost:8200: the address must be https://") }],
    ["http://vault.example.com", { refused: expect.stringContaining("to http://vault.example.com: ") }],
    ["http://ci:s3cret@10.0.0.5:8200", { refused: expect.not.stringContaining("s3cret") }],
    ["http://127.0.0.1.nip.io", { refused: expect.stringContaining("https://") }],
    ["ftp://127.0.0.1", { refused: expect.stringContaining("https://") }],
    ["vault.example.com", { refused: "the Vault address is not a URL" }],
  ])("%s: %j", (text, expected) => {
    expect(vaultOrigin(text)).toEqual(expected);
  });

  it("says when Vault cannot be reached", async () => {
    const closed = `http://127.0.0.1:${await unusedPort()}`;
    const resolve = secretResolver(settings({ vault: { address: closed, mount: "secret" } }), { env: { VAULT_TOKEN: "t" } });
    expect(await resolve(ref("vault", "x", "k"))).toEqual({ ok: false, reason: `vault:x#k: cannot reach Vault at ${closed} (ECONNREFUSED)` });
  });
});

describe("runtime-only references and overrides", () => {
  it.each(["databricks", "prophecy"] as const)("%s references are not resolvable here", async (provider) => {
    const result = await secretResolver(settings())(ref(provider, "smtp-password"));
    expect(result).toEqual({ ok: false, reason: `${provider}:smtp-password: ${provider} references resolve only inside the fabric's runtime; map them for this run with --secret-provider ${provider}=env (or file, exec, vault)` });
  });
  it("resolves them with the provider they are mapped to for this run", async () => {
    const resolve = secretResolver(settings(), { overrides: { prophecy: "env" }, env: { "smtp-password": canary } });
    expect(await resolve(ref("prophecy", "smtp-password"))).toEqual({ ok: true, value: canary });
    const missing = secretResolver(settings(), { overrides: { prophecy: "env" }, env: {} });
    expect(await missing(ref("prophecy", "smtp-password"))).toEqual({ ok: false, reason: "prophecy:smtp-password (resolved with env for this run): environment variable smtp-password is not set" });
  });
  it.each([
    ["prophecy=env", { from: "prophecy", to: "env" }],
    ["databricks=file", { from: "databricks", to: "file" }],
    ["prophecy", { error: expect.stringContaining("FROM=TO") }],
    ["env=prophecy", { error: expect.stringContaining("cannot map to prophecy") }],
    ["aws=env", { error: expect.stringContaining("FROM=TO") }],
  ])("parses --secret-provider %s", (text, expected) => {
    expect(parseProviderOverride(text)).toEqual(expected);
  });
});
