// A real SMTP server on 127.0.0.1 (the smtp-server package) for the demo and the tests: STARTTLS or
// implicit TLS with a given certificate, AUTH with a table of users, and a record of what it saw (raw
// bytes, logins, messages), so that a test can prove what did or did not reach a server.
import type { AddressInfo, Socket } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

export interface LocalSmtpServerOptions {
  /** starttls: STARTTLS offered; implicit: TLS from the first byte; none: no STARTTLS offered at all. */
  readonly tls: "starttls" | "implicit" | "none";
  readonly certPem?: string;
  readonly keyPem?: string;
  /** username → password */
  readonly users: Readonly<Record<string, string>>;
  /** The mechanisms offered; default PLAIN and LOGIN. */
  readonly authMethods?: readonly string[];
  /** Answer every connection with this instead of a greeting, as in 421. */
  readonly rejectWith?: { readonly code: number; readonly message: string };
  /** Offer AUTH without TLS (a server that lures clients into sending passwords in clear). */
  readonly allowInsecureAuth?: boolean;
}

export interface AuthAttempt {
  readonly method: string;
  readonly username: string;
  readonly password?: string;
  readonly accepted: boolean;
}

export interface ReceivedMessage {
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
  readonly raw: string;
  readonly authenticatedAs?: string;
}

export interface LocalSmtpServer {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** Every byte clients sent, as received on the socket (cipher text after TLS starts). */
  readonly rawReceived: () => string;
  readonly connections: () => number;
  readonly authAttempts: AuthAttempt[];
  readonly messages: ReceivedMessage[];
  close(): Promise<void>;
}

export async function startLocalSmtpServer(options: LocalSmtpServerOptions): Promise<LocalSmtpServer> {
  const authAttempts: AuthAttempt[] = [];
  const messages: ReceivedMessage[] = [];
  const raw: Buffer[] = [];
  let connections = 0;
  const sockets = new Set<Socket>();
  const config: SMTPServerOptions = {
    secure: options.tls === "implicit",
    ...(options.certPem && { cert: options.certPem, key: options.keyPem }),
    ...(options.tls === "none" && { disabledCommands: ["STARTTLS"] }),
    authMethods: [...(options.authMethods ?? ["PLAIN", "LOGIN"])],
    allowInsecureAuth: options.allowInsecureAuth ?? false,
    disableReverseLookup: true,
    logger: false,
    name: "fabricate-test.invalid",
    onConnect(_session, callback) {
      if (!options.rejectWith) return callback();
      callback(Object.assign(new Error(options.rejectWith.message), { responseCode: options.rejectWith.code }));
    },
    onAuth(auth, _session, callback) {
      const expected = options.users[auth.username ?? ""];
      const accepted = expected !== undefined && (auth.method === "CRAM-MD5" ? auth.validatePassword(expected) : auth.password === expected);
      authAttempts.push({ method: auth.method, username: auth.username ?? "", ...(typeof auth.password === "string" && { password: auth.password }), accepted });
      if (!accepted) return callback(Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 }));
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        messages.push({
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
          ...(typeof session.user === "string" && { authenticatedAs: session.user }),
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(config);
  server.on("error", () => undefined);
  server.server.on("connection", (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("data", (d: Buffer) => raw.push(Buffer.from(d)));
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: "127.0.0.1",
    port,
    rawReceived: () => Buffer.concat(raw).toString("latin1"),
    connections: () => connections,
    authAttempts,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
