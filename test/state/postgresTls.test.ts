// sslmode and sslrootcert against a real server that serves TLS with a certificate from a test CA
// (src/demo/certificates.ts), checked from the server's side in pg_stat_ssl: what each mode connects
// with, and each refusal as one line naming what to do.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStateStore } from "../../src/state/openStateStore.js";
import { tempDir } from "../helpers/cli.js";
import { freshSchema, postgresForThisFile } from "../helpers/postgres.js";
import { makeTestCertificates } from "../helpers/tlsCertificates.js";

const certificates = makeTestCertificates();
const tls = postgresForThisFile({ tls: certificates.server });
const plain = postgresForThisFile();
const home = tempDir("fabricate-home-");
const saved = { PGPASSWORD: process.env.PGPASSWORD, HOME: process.env.HOME };
beforeAll(() => {
  process.env.PGPASSWORD = tls().password;
  // No ~/.postgresql/root.crt: the modes behave as without a CA unless the URL names one.
  process.env.HOME = home.dir;
});
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  home.cleanup();
  certificates.cleanup();
});

/** Opens the store with these URL parameters and says whether the server sees its session over TLS. */
async function connectsWithTls(parameters: Record<string, string>, server = tls()): Promise<boolean> {
  process.env.PGPASSWORD = server.password;
  const store = await openStateStore(server.url({ schema: freshSchema(), ...parameters }));
  try {
    const rows = await server.admin<{ ssl: boolean }>("SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'fabricate'");
    expect(rows).toHaveLength(1);
    return rows[0]!.ssl;
  } finally {
    await store.close();
  }
}

async function refusal(parameters: Record<string, string>, server = tls()): Promise<string> {
  process.env.PGPASSWORD = server.password;
  const error = await openStateStore(server.url({ schema: freshSchema(), ...parameters })).then(
    async (store) => {
      await store.close();
      return undefined;
    },
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(Error);
  expect(error!.message).not.toContain(server.password);
  return error!.message;
}

describe("sslmode against a server with TLS", () => {
  it("disable connects in plain text", async () => {
    expect(await connectsWithTls({ sslmode: "disable" })).toBe(false);
  });

  it("prefer (the default) and require use TLS", async () => {
    expect(await connectsWithTls({})).toBe(true);
    expect(await connectsWithTls({ sslmode: "require" })).toBe(true);
  });

  it("verify-full and verify-ca use TLS with a certificate the CA signed", async () => {
    expect(await connectsWithTls({ sslmode: "verify-full", sslrootcert: certificates.ca.caFile })).toBe(true);
    expect(await connectsWithTls({ sslmode: "verify-ca", sslrootcert: certificates.ca.caFile })).toBe(true);
  });

  it("verify-full refuses a server whose certificate another CA signed; so does require once it is given a root CA, as libpq's does", async () => {
    const other = certificates.selfSigned.certFile;
    expect(await refusal({ sslmode: "verify-full", sslrootcert: other })).toMatch(
      /^cannot connect to the state .+ as user fabricate_ci: the server's certificate is not trusted \(\w+; sslmode=verify-full\): give the CA that signed it with sslrootcert=FILE$/,
    );
    expect(await refusal({ sslmode: "require", sslrootcert: other })).toMatch(/the server's certificate is not trusted/);
  });

  it("verify-full without a CA is refused before connecting, saying how to name one", async () => {
    expect(await refusal({ sslmode: "verify-full" })).toMatch(
      /asks for sslmode=verify-full, which checks the server's certificate, and names no CA to check it with: add sslrootcert=FILE .+, or sslrootcert=system for the system's CAs, or put the CA in .+\/\.postgresql\/root\.crt$/,
    );
    expect(await refusal({ sslmode: "verify-full", sslrootcert: "/nonexistent/ca.pem" })).toMatch(/the root certificate file \/nonexistent\/ca\.pem does not exist$/);
  });
});

describe("sslmode against a server without TLS", () => {
  it("prefer falls back to plain text, as libpq does; require and verify-full refuse", async () => {
    expect(await connectsWithTls({}, plain())).toBe(false);
    expect(await refusal({ sslmode: "require" }, plain())).toMatch(/: the server does not offer TLS, and sslmode=require requires it$/);
    expect(await refusal({ sslmode: "verify-full", sslrootcert: certificates.ca.caFile }, plain())).toMatch(/does not offer TLS/);
  });
});
