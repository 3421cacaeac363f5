// sslmode and sslrootcert as libpq means them, turned into what pg hands to tls.connect:
//
// | sslmode     | TLS                                    | the server's certificate                 |
// |-------------|----------------------------------------|------------------------------------------|
// | disable     | never                                  | -                                        |
// | prefer      | if the server offers it (the default)  | not checked                              |
// | require     | always                                 | not checked, unless a root CA is at hand: then as verify-ca (libpq does the same) |
// | verify-ca   | always                                 | signed by the root CA                    |
// | verify-full | always                                 | signed by the root CA and issued for the host |
//
// The root CA is sslrootcert (a PEM file, or `system` for the system's CAs), else ~/.postgresql/root.crt
// when it exists; verify-ca and verify-full without either are refused before connecting, as libpq does.
// `allow` (plain first, TLS on refusal) is not supported: it only ever matters against servers that
// insist on TLS, where prefer does the same in the safer order.
import type { ConnectionOptions } from "node:tls";
import { homedir } from "node:os";
import { join } from "node:path";
import { readBoundedFile } from "../../files/readBoundedFile.js";
import { StateError } from "../stateStore.js";
import type { DatabaseLocation } from "./databaseUrl.js";

/** What pg's `ssl` option takes for one connection attempt: false for none. */
type TlsSetting = false | ConnectionOptions;

/** The TLS settings to try in order: prefer is TLS first and plain if the server has no TLS. */
export async function tlsAttempts(location: DatabaseLocation): Promise<readonly TlsSetting[]> {
  switch (location.sslmode) {
    case "disable":
      return [false];
    case "prefer":
      return [{ rejectUnauthorized: false }, false];
    case "require": {
      const ca = await rootCertificate(location, false);
      return [ca === undefined ? { rejectUnauthorized: false } : verifyCa(ca)];
    }
    case "verify-ca":
      return [verifyCa(await rootCertificate(location, true))];
    case "verify-full": {
      const ca = await rootCertificate(location, true);
      return [{ rejectUnauthorized: true, ...(ca !== "system" && { ca }) }];
    }
  }
}

function verifyCa(ca: string | undefined): ConnectionOptions {
  // The chain is checked; the name is not (that is verify-full).
  return { rejectUnauthorized: true, ...(ca !== "system" && ca !== undefined && { ca }), checkServerIdentity: () => undefined };
}

/** The PEM of the root CA, `system`, or undefined when there is none and `required` is false. */
async function rootCertificate(location: DatabaseLocation, required: true): Promise<string>;
async function rootCertificate(location: DatabaseLocation, required: false): Promise<string | undefined>;
async function rootCertificate(location: DatabaseLocation, required: boolean): Promise<string | undefined> {
  if (location.sslrootcert === "system") return "system";
  const defaultFile = join(homedir(), ".postgresql", "root.crt");
  const file = location.sslrootcert ?? defaultFile;
  const read = await readBoundedFile(file, { maxBytes: 1024 * 1024, timeoutMs: 5000 });
  if (read.ok) return read.bytes.toString("utf8");
  if (location.sslrootcert === undefined && read.reason === "does not exist") {
    if (!required) return undefined;
    throw new StateError(
      `the state ${location.display} asks for sslmode=${location.sslmode}, which checks the server's certificate, and names no CA to check it with: ` +
        `add sslrootcert=FILE (a PEM file of the CA), or sslrootcert=system for the system's CAs, or put the CA in ${defaultFile}`,
    );
  }
  throw new StateError(`the state ${location.display}: the root certificate file ${file} ${read.reason}`);
}
