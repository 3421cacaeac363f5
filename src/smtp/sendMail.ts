// send's library entry point: the Email step. A message goes out through an APPLIED connection (read
// from the state, never from YAML a pull request could change), for a member of the fabric's team, and
// always from the connection's user: the server authenticates that user, so any other From would be a
// forgery the server may or may not catch. It travels over the same session as verify (TLS enforced,
// PLAIN/LOGIN only, trust rules first), so a failure has the same classes and words.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import MailComposer from "nodemailer/lib/mail-composer";
import { formatSecretRef } from "../model.js";
import type { SecretResolverOptions } from "../secrets/resolveSecret.js";
import type { State } from "../state/stateStore.js";
import { secretRefOf } from "../synth/fabricConfig.js";
import { prepareSession } from "./prepareSession.js";
import { runSmtpSession } from "./smtpSession.js";
import type { FailureClass } from "./verifyResult.js";

export interface SendRequest {
  readonly fabric: string;
  readonly connection: string;
  /** The team member the step runs for. */
  readonly as: string;
  /** Only the connection's own user is accepted; given to refuse anything else explicitly. */
  readonly from?: string;
  readonly to: readonly string[];
  readonly cc?: readonly string[];
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  /** Paths of files to attach. */
  readonly attachments?: readonly string[];
}

export interface SendOptions {
  readonly applied: State | undefined;
  /** Bounds the whole session, from DNS to QUIT. Default 30s. */
  readonly timeoutMs?: number;
  readonly caFile?: string;
  readonly trustNewHosts?: boolean;
  readonly secrets?: SecretResolverOptions;
}

export type SendOutcome =
  | { readonly ok: true; readonly messageId: string; readonly from: string; readonly accepted: readonly string[]; readonly rejected: readonly string[] }
  | { readonly ok: false; readonly class: FailureClass | "not-allowed"; readonly message: string; readonly serverText?: string; readonly serverReply?: string };

const defaultSendTimeoutMs = 30_000;
const controlCharacter = /[\u0000-\u001f\u007f]/;

function refuse(message: string): SendOutcome {
  return { ok: false, class: "not-allowed", message };
}

/** `Alerts <alerts@example.com>` → `alerts@example.com`. */
function bareAddress(text: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(text);
  return (angle ? angle[1]! : text).trim().toLowerCase();
}

export async function sendMail(request: SendRequest, options: SendOptions): Promise<SendOutcome> {
  if (!options.applied) return refuse("nothing is applied yet: send goes only through applied connections (run fabricate apply first)");
  const fabric = options.applied.fabrics.find((f) => f.name === request.fabric);
  if (!fabric) return refuse(`fabric ${request.fabric} is not applied (applied fabrics: ${options.applied.fabrics.map((f) => f.name).join(", ") || "none"})`);
  const connection = fabric.connections.find((c) => c.name === request.connection);
  if (!connection) return refuse(`fabric ${fabric.name} has no applied connection ${request.connection} (connections: ${fabric.connections.map((c) => c.name).join(", ") || "none"})`);
  if (!connection.capabilities.emailStep) return refuse(`connection ${connection.name} cannot be used by the Email step`);
  if (!fabric.team.members.some((m) => m.toLowerCase() === request.as.trim().toLowerCase())) {
    return refuse(`${request.as} is not a member of team ${fabric.teamName}, which owns fabric ${fabric.name}`);
  }
  const sender = connection.properties.smtpUsername;
  if (request.from !== undefined && bareAddress(request.from) !== sender.toLowerCase()) {
    return refuse(`mail through ${fabric.name}/${connection.name} is always from its user ${sender}; --from ${request.from} is refused`);
  }
  const recipients = [...request.to, ...(request.cc ?? [])];
  if (request.to.length === 0) return refuse("a message needs at least one --to recipient");
  if (request.text === undefined && request.html === undefined) return refuse("a message needs a body: --text or --html");
  const bad = [request.subject, ...recipients].find((s) => controlCharacter.test(s));
  if (bad !== undefined) return refuse("the subject and addresses must not hold control characters (CR, LF, …)");

  const attachments = [];
  for (const path of request.attachments ?? []) {
    try {
      attachments.push({ filename: basename(path), content: await readFile(path) });
    } catch (e) {
      return refuse(`attachment ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }

  const timeoutMs = options.timeoutMs ?? defaultSendTimeoutMs;
  // The secret's read and the CA files' are bounded by the same timeout as the session.
  const prepared = await prepareSession(fabric, connection, { ...options, timeoutMs, secrets: { ...options.secrets, timeoutMs } });
  if ("failure" in prepared) return { ok: false, class: prepared.failure.class, message: prepared.failure.message };

  const mail = new MailComposer({
    from: sender,
    to: [...request.to],
    ...(request.cc && request.cc.length > 0 && { cc: [...request.cc] }),
    subject: request.subject,
    ...(request.text !== undefined && { text: request.text }),
    ...(request.html !== undefined && { html: request.html }),
    attachments,
  }).compile();
  const messageId = mail.messageId();
  const raw = await mail.build();

  const report = await runSmtpSession(
    prepared.endpoint,
    prepared.credentials,
    { timeoutMs, redact: prepared.redact },
    (session) =>
      new Promise<{ accepted: string[]; rejected: string[] }>((resolve, reject) =>
        session.send({ from: sender, to: recipients }, raw, (e, info) => (e ? reject(e) : resolve({ accepted: info.accepted, rejected: info.rejected }))),
      ),
  );
  if (!report.outcome.ok) {
    const f = report.outcome.failure;
    const ref = formatSecretRef(secretRefOf(connection.properties.smtpPassword));
    return {
      ok: false,
      class: f.class,
      message: `${fabric.name}/${connection.name} (${ref}): ${f.message}`,
      ...(f.serverText !== undefined && { serverText: f.serverText }),
      ...(f.serverReply !== undefined && { serverReply: f.serverReply }),
    };
  }
  const delivered = report.outcome.value ?? { accepted: [], rejected: [] };
  return { ok: true, messageId, from: sender, accepted: delivered.accepted, rejected: delivered.rejected };
}
