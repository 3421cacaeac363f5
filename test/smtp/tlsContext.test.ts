// One SecureContext per set of trusted CAs: the same set gets the same context, another set its own.
import { expect, it } from "vitest";
import { secureContextFor } from "../../src/smtp/tlsContext.js";
import { makeTestCertificates } from "../helpers/tlsCertificates.js";

it("gives the same context for the same CAs and another for other CAs or none", () => {
  const certs = makeTestCertificates();
  try {
    const ca = certs.ca.caPem;
    const self = certs.selfSigned.certPem;
    expect(secureContextFor([ca])).toBe(secureContextFor([ca]));
    expect(secureContextFor(undefined)).toBe(secureContextFor([]));
    expect(secureContextFor([ca])).not.toBe(secureContextFor([self]));
    expect(secureContextFor([ca])).not.toBe(secureContextFor([ca, self]));
    expect(secureContextFor([ca])).not.toBe(secureContextFor(undefined));
  } finally {
    certs.cleanup();
  }
});
