// One SMTP session, walked stage by stage with nodemailer's SMTPConnection: greeting, EHLO, STARTTLS
// (or implicit TLS), EHLO again, AUTH PLAIN or LOGIN, then the caller's work (send), then QUIT.
//
// Why not nodemailer's transport.verify(): it resolves true WITHOUT logging in when the server
// advertises no AUTH, and by default it sends credentials over clear text when the server offers AUTH
// without STARTTLS. Here a success means "the server accepted these credentials over TLS":
// - requireTLS for STARTTLS connections, so a server without STARTTLS fails before AUTH;
// - we pick the mechanism ourselves from the EHLO answered over TLS and refuse anything but PLAIN and
//   LOGIN before a credential is sent;
// - the socket must be encrypted at the moment of AUTH, unless the connection says tls: none with
//   insecure: true;
// - certificates are always verified (rejectUnauthorized), against the given private CA if any.
// One deadline bounds the whole session and names the stage that stalled. The transcript comes from
// nodemailer's transaction log, with what the client says during AUTH masked, the server's replies from
// AUTH on shown as codes only (serverReply.ts), and the secret redacted in every form we know besides.
import SMTPConnection from "nodemailer/lib/smtp-connection";
import { isIP } from "node:net";
import { format } from "node:util";
import type { TlsMode } from "../model.js";
import type { Redactor } from "../secrets/redact.js";
import { classifyFailure, timeoutFailure, type SmtpError } from "./classifyFailure.js";
import { afterCredentials, replyCodeOnly } from "./serverReply.js";
import { StageClock } from "./stageClock.js";
import type { Failure, Stage, StageTiming } from "./verifyResult.js";

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMode;
  readonly insecure: boolean;
  /** PEM text of private CAs to trust instead of the system's. */
  readonly ca?: readonly string[];
}

export interface Credentials {
  readonly user: string;
  readonly pass: string;
}

export interface SessionOptions {
  readonly timeoutMs: number;
  readonly redact: Redactor;
}

export type SessionOutcome<T> = { readonly ok: true; readonly value: T; readonly mechanism: string } | { readonly ok: false; readonly failure: Failure };

export interface SessionReport<T> {
  readonly outcome: SessionOutcome<T>;
  readonly stages: readonly StageTiming[];
  readonly durationMs: number;
  readonly transcript: readonly string[];
}

/** Runs after a successful AUTH, before QUIT: sending a message, for `send`. */
export type SessionWork<T> = (connection: SMTPConnection) => Promise<T>;

/** The SASL mechanisms an EHLO answer offers, upper-cased. */
export function authMechanisms(ehlo: string): string[] {
  const found = new Set<string>();
  for (const line of ehlo.split(/\r?\n/)) {
    const m = /^\d{3}[ -]AUTH[ =](.*)$/i.exec(line.trim());
    if (m) for (const mech of m[1]!.trim().split(/[\s=]+/)) if (mech) found.add(mech.toUpperCase());
  }
  return [...found];
}

/**
 * Everything the client says during AUTH is a credential (PLAIN sends base64 of user and password on
 * the AUTH line, LOGIN sends each as a bare base64 line), so only the verb and the mechanism are kept.
 */
function maskAuthLine(line: string): string {
  const [verb, mechanism, ...rest] = line.split(" ");
  if (verb?.toUpperCase() !== "AUTH") return "[redacted]";
  return `AUTH ${mechanism ?? ""}${rest.length > 0 ? " [redacted]" : ""}`;
}

/** nodemailer's timers are a backstop only: our own deadline fires first and names the stage. */
const backstopMs = 2000;

export function runSmtpSession<T>(endpoint: Endpoint, credentials: Credentials, options: SessionOptions, work?: SessionWork<T>): Promise<SessionReport<T | undefined>> {
  const firstStage: Stage = isIP(endpoint.host) ? (endpoint.tls === "implicit" ? "connect+tls" : "connect") : "dns";
  const clock = new StageClock(firstStage);
  const transcript: string[] = [];
  let lastVerb = "";
  let ehloAnswer = "";

  const onLog = (entry: { tnx?: string } | undefined, message: string): void => {
    const tnx = entry?.tnx;
    if (tnx === "dns") {
      // nodemailer "resolves" an IP address too; only a real lookup is a stage of its own.
      if (clock.current !== "dns") return;
      transcript.push(`* ${message}`);
      clock.enter(endpoint.tls === "implicit" ? "connect+tls" : "connect");
    } else if (tnx === "network" && / established to /.test(message)) {
      transcript.push(`* ${message}`);
      clock.enter("greeting");
    } else if (tnx === "client") {
      const verb = message.split(" ", 1)[0]!.toUpperCase();
      transcript.push(`C: ${clock.current === "auth" ? maskAuthLine(message) : message}`);
      if (clock.current !== "auth") {
        lastVerb = verb;
        if (verb === "EHLO" || verb === "HELO") clock.enter("ehlo");
        else if (verb === "STARTTLS") clock.enter("starttls");
      }
    } else if (tnx === "server") {
      if (afterCredentials(clock.current)) transcript.push(`S: ${replyCodeOnly(message)}`);
      else for (const line of message.split(/\r?\n/)) transcript.push(`S: ${line}`);
      if (lastVerb === "EHLO" && /^2\d\d/.test(message)) ehloAnswer = message;
    } else if (/upgraded with STARTTLS/.test(message)) {
      transcript.push(`* ${message}`);
    }
  };
  const log = (entry: unknown, message: unknown, ...args: unknown[]) => onLog(entry as { tnx?: string }, format(String(message), ...args));
  const logger = { trace: log, debug: log, info: log, warn: log, error: log, fatal: log };

  const limit = options.timeoutMs + backstopMs;
  const connection = new SMTPConnection({
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.tls === "implicit",
    requireTLS: endpoint.tls === "starttls",
    ignoreTLS: endpoint.tls === "none",
    opportunisticTLS: false,
    tls: { rejectUnauthorized: true, minVersion: "TLSv1.2", ...(endpoint.ca && endpoint.ca.length > 0 && { ca: [...endpoint.ca] }) },
    connectionTimeout: limit,
    greetingTimeout: limit,
    socketTimeout: limit,
    dnsTimeout: limit,
    socketCloseTimeout: 1000,
    logger,
    transactionLog: true,
  });

  return new Promise((resolve) => {
    let settled = false;
    const where = () => ({ host: endpoint.host, port: endpoint.port, stage: clock.current, timeoutMs: options.timeoutMs });
    const finish = (outcome: SessionOutcome<T | undefined>) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      const stages = clock.timings();
      connection.close();
      // Belt and braces: serverText is from before AUTH, when the server has nothing to echo.
      const redactFailure = (f: Failure): Failure => ({ ...f, message: options.redact(f.message), ...(f.serverText !== undefined && { serverText: options.redact(f.serverText) }) });
      resolve({
        outcome: outcome.ok ? outcome : { ok: false, failure: redactFailure(outcome.failure) },
        stages,
        durationMs: clock.elapsed(),
        transcript: transcript.map(options.redact),
      });
    };
    const fail = (failure: Failure) => finish({ ok: false, failure });
    let mechanism = "";
    let result: T | undefined;
    const deadline = setTimeout(() => {
      // A server that accepted the credentials but never answers QUIT has still answered the question.
      if (clock.current === "quit") finish({ ok: true, value: result, mechanism });
      else fail(timeoutFailure(where()));
    }, options.timeoutMs);

    connection.on("error", (e: SmtpError) => fail(classifyFailure(e, where())));
    connection.connect((e) => {
      if (e) return fail(classifyFailure(e as SmtpError, where()));
      if (endpoint.tls !== "none" && !connection.secure) {
        return fail({ class: "tls", stage: clock.current, message: "the connection is not encrypted; the credentials were NOT sent" });
      }
      const offered = authMechanisms(ehloAnswer);
      const method = offered.includes("PLAIN") ? "PLAIN" : offered.includes("LOGIN") ? "LOGIN" : undefined;
      if (!method) {
        return fail({
          class: "auth-unsupported",
          stage: "auth",
          message:
            offered.length > 0
              ? `the server offers only ${offered.join(", ")}; only basic authentication (AUTH PLAIN or LOGIN) is supported. The credentials were NOT sent`
              : "the server offers no AUTH at all; only basic authentication (AUTH PLAIN or LOGIN) is supported. The credentials were NOT sent",
        });
      }
      mechanism = method;
      clock.enter("auth");
      connection.login({ user: credentials.user, pass: credentials.pass, method }, (authError) => {
        if (authError) return fail(classifyFailure(authError as SmtpError, where()));
        if (!connection.authenticated) return fail({ class: "protocol", stage: "auth", message: "the server never confirmed the login" });
        const quit = () => {
          clock.enter("quit");
          connection.once("end", () => finish({ ok: true, value: result, mechanism }));
          connection.quit();
        };
        if (!work) return quit();
        clock.enter("send");
        work(connection).then(
          (value) => {
            result = value;
            quit();
          },
          (e: SmtpError) => fail(classifyFailure(e, where())),
        );
      });
    });
  });
}
