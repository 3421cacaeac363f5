// A private CA and server certificates made at run time with the openssl CLI, for the demo and the
// tests: a real chain that verify must check, without committing keys or trusting anything outside a
// temporary directory. EC P-256 keys, because they are generated in milliseconds.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CertificateAuthority {
  readonly dir: string;
  /** The CA certificate's file, what a connection's caFile or --ca names. */
  readonly caFile: string;
  readonly caPem: string;
  readonly keyFile: string;
}

export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** A self-signed CA in `dir` (files ca.pem and ca.key). */
export function createCertificateAuthority(dir: string, name = "fabricate demo CA"): CertificateAuthority {
  openssl(
    ["req", "-x509", ...newKey, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", `/CN=${name}`,
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    dir,
  );
  return { dir, caFile: join(dir, "ca.pem"), caPem: readFileSync(join(dir, "ca.pem"), "utf8"), keyFile: join(dir, "ca.key") };
}

/**
 * A server certificate signed by `ca` for the given subject alternative names, such as
 * ["IP:127.0.0.1"]; `name` keeps several certificates apart in the CA's directory.
 */
export function issueServerCertificate(ca: CertificateAuthority, altNames: readonly string[], name = "server"): ServerCertificate {
  const { dir } = ca;
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${altNames.join(",")}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  openssl(["req", ...newKey, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${altNames[0]!.replace(/^\w+:/, "")}`], dir);
  openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.pem`, "-days", "2", "-extfile", `${name}.ext`], dir);
  return { certPem: readFileSync(join(dir, `${name}.pem`), "utf8"), keyPem: readFileSync(join(dir, `${name}.key`), "utf8") };
}

/** A self-signed server certificate (no CA): its own file is the only thing that can vouch for it. */
export function createSelfSignedCertificate(dir: string, altNames: readonly string[], name = "self-signed"): ServerCertificate & { readonly certFile: string } {
  openssl(
    ["req", "-x509", ...newKey, "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", "2", "-subj", `/CN=${altNames[0]!.replace(/^\w+:/, "")}`,
      "-addext", `subjectAltName=${altNames.join(",")}`, "-addext", "extendedKeyUsage=serverAuth"],
    dir,
  );
  return { certFile: join(dir, `${name}.pem`), certPem: readFileSync(join(dir, `${name}.pem`), "utf8"), keyPem: readFileSync(join(dir, `${name}.key`), "utf8") };
}
