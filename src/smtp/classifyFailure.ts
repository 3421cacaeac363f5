// Turns what nodemailer reports into one failure class and words a person can act on. nodemailer's
// codes are coarse (every certificate problem is ESOCKET from the connect step; err.originalCode tells
// them apart), so the table below is where that knowledge lives.
import { formatDuration } from "../duration.js";
import { afterCredentials, serverWords } from "./serverReply.js";
import type { Failure, Stage } from "./verifyResult.js";

/** The fields nodemailer puts on its errors. */
export interface SmtpError extends Error {
  readonly code?: string;
  readonly originalCode?: string;
  readonly response?: string;
  readonly responseCode?: number;
  readonly command?: string;
}

export interface Where {
  readonly host: string;
  readonly port: number;
  readonly stage: Stage;
  readonly timeoutMs: number;
}

const caHint = "give the private CA as the connection's caFile or with --ca";

const certificateProblems: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: `the server's certificate is not signed by a trusted CA (${caHint})`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `the server's certificate is not signed by a trusted CA (${caHint})`,
  UNABLE_TO_GET_ISSUER_CERT: `the server's certificate is not signed by a trusted CA (${caHint})`,
  DEPTH_ZERO_SELF_SIGNED_CERT: `the server's certificate is self-signed and not trusted (${caHint})`,
  SELF_SIGNED_CERT_IN_CHAIN: `the server's certificate chain ends in an untrusted self-signed CA (${caHint})`,
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not valid yet",
  CERT_REVOKED: "the server's certificate is revoked",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name this host",
  ERR_SSL_WRONG_VERSION_NUMBER: "TLS handshake failed: the server does not speak TLS on this port (a STARTTLS port needs tls: starttls)",
};

const stalled: Record<Stage, (w: Where, d: string) => string> = {
  dns: (w, d) => `looking up ${w.host} took longer than ${d}`,
  connect: (w, d) => `no TCP connection to ${w.host}:${w.port} within ${d} (packets dropped by a firewall?)`,
  "connect+tls": (w, d) => `the TCP connection and TLS handshake with ${w.host}:${w.port} did not finish within ${d}`,
  greeting: (_w, d) => `connected, but the server sent no greeting within ${d} (an implicit-TLS port looks like this to a plaintext client: try tls: implicit)`,
  ehlo: (_w, d) => `the server did not answer EHLO within ${d}`,
  starttls: (_w, d) => `the STARTTLS handshake did not finish within ${d}`,
  auth: (_w, d) => `the server did not answer AUTH within ${d}`,
  send: (_w, d) => `the server did not accept the message within ${d}`,
  quit: (_w, d) => `the server did not answer QUIT within ${d}`,
};

export function timeoutFailure(where: Where): Failure {
  return { class: "timeout", stage: where.stage, message: `timed out during ${where.stage}: ${stalled[where.stage](where, formatDuration(where.timeoutMs))}` };
}

/** Node's TLS errors carry OpenSSL's internal trace ("…:SSL routines:ssl3_get_record:wrong version number:…"). */
function tlsReason(e: SmtpError): string {
  const message = e.message.replace(/^Error initiating TLS - /, "");
  const openssl = /SSL routines:[^:]*:([^:]+):/.exec(message);
  return openssl ? openssl[1]! : message.trim();
}

export function classifyFailure(e: SmtpError, where: Where): Failure {
  const { stage } = where;
  const system = e.originalCode ?? "";
  const said = serverWords(e.response, stage);
  if (e.code === "EDNS") {
    return { class: "dns", stage, message: `cannot resolve ${where.host} (${system || e.message})` };
  }
  if (system === "ECONNREFUSED") {
    return { class: "refused", stage, message: `nothing accepts connections on ${where.host}:${where.port} (connection refused)` };
  }
  if (system === "EHOSTUNREACH" || system === "ENETUNREACH") {
    return { class: "refused", stage, message: `${where.host}:${where.port} is unreachable (${system})` };
  }
  if (e.code === "ETIMEDOUT") return timeoutFailure(where);
  if (certificateProblems[system]) {
    return { class: "tls", stage, message: `${certificateProblems[system]}: ${tlsReason(e)}` };
  }
  if (e.code === "ETLS" && e.response) {
    return {
      class: "starttls-unavailable",
      stage,
      message: "the server did not agree to STARTTLS (it does not offer it, or refused it), so the connection stayed in clear text and the credentials were NOT sent",
      ...said,
    };
  }
  if (e.code === "ETLS" || system.startsWith("ERR_SSL") || system.startsWith("ERR_TLS") || system === "EPROTO" || (system === "ECONNRESET" && (stage === "starttls" || stage === "connect+tls"))) {
    return { class: "tls", stage, message: `TLS handshake failed: ${tlsReason(e)}` };
  }
  if (e.code === "EAUTH" && e.response) {
    return { class: "auth-failed", stage, message: "the server refused the credentials (wrong user or password: servers answer both alike)", ...said };
  }
  if (e.response && /^[45]\d\d/.test(e.response) && (stage === "greeting" || e.responseCode === 421)) {
    return { class: "rejected", stage, message: "the server turned the connection away", ...said };
  }
  if (e.code === "ECONNECTION" && /closed unexpectedly/i.test(e.message)) {
    return { class: "protocol", stage, message: `the server closed the connection during ${stage}`, ...said };
  }
  // nodemailer's message quotes the server's reply ("Mail command failed: 550 …"): from AUTH on, only its code.
  const why = afterCredentials(stage) ? (e.code ? ` (${e.code})` : "") : `: ${e.message}`;
  return { class: "protocol", stage, message: `unexpected answer during ${stage}${why}`, ...said };
}
