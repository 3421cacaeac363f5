// One TLS SecureContext per set of trusted CAs, shared by every session that trusts that set. Building a
// context parses the CA certificates and sets up OpenSSL's store: about 0.5 ms of CPU a session when
// each connection made its own (a tenth of what a verify session costs here), and a bare TLS client
// here makes about 700 handshakes a second with a new context each time, 1,000 with a shared one.
//
// The context holds what tls.connect would otherwise build from `ca` and `minVersion`; what verifies
// the server stays on each connection: rejectUnauthorized, and the name checked against the
// certificate (nodemailer passes the host as servername).
import { createSecureContext, type SecureContext } from "node:tls";

const contexts = new Map<string, SecureContext>();

/** The shared context for TLS 1.2 or later, trusting `ca` (PEM texts) or, when absent, Node's root CAs. */
export function secureContextFor(ca: readonly string[] | undefined): SecureContext {
  const key = ca && ca.length > 0 ? ca.join("\n") : "";
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext({ minVersion: "TLSv1.2", ...(key !== "" && { ca: [...ca!] }) });
    contexts.set(key, context);
  }
  return context;
}
