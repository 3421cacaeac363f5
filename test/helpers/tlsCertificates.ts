// Certificates for tests: one private CA per test file with a server certificate for 127.0.0.1 and one
// for another address (name mismatch), plus a self-signed one, made by the same module the demo uses.
import { createCertificateAuthority, createSelfSignedCertificate, issueServerCertificate, type CertificateAuthority, type ServerCertificate } from "../../src/demo/certificates.js";
import { tempDir } from "./cli.js";

export interface TestCertificates {
  readonly ca: CertificateAuthority;
  /** Valid for 127.0.0.1. */
  readonly server: ServerCertificate;
  /** Valid only for 127.0.0.2: presented on 127.0.0.1 it is a name mismatch. */
  readonly otherName: ServerCertificate;
  /** Self-signed for 127.0.0.1, no CA; `certFile` is what a caFile would name to trust it. */
  readonly selfSigned: ServerCertificate & { readonly certFile: string };
  readonly cleanup: () => void;
}

export function makeTestCertificates(): TestCertificates {
  const { dir, cleanup } = tempDir("fabricate-certs-");
  const ca = createCertificateAuthority(dir, "fabricate test CA");
  return {
    ca,
    server: issueServerCertificate(ca, ["IP:127.0.0.1"]),
    otherName: issueServerCertificate(ca, ["IP:127.0.0.2", "DNS:other.invalid"], "other"),
    selfSigned: createSelfSignedCertificate(dir, ["IP:127.0.0.1"]),
    cleanup,
  };
}
