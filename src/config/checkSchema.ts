// The JSON Schema check, with ajv's errors turned into diagnostics a person can act on: the field
// named, the place pointed at, a suggestion where one is close. The validator is ajv's standalone code,
// generated at build time from schemas/fabricate.schema.json, so start-up compiles nothing. A pattern
// or an enum says what it expects in its `errorMessage` (ajv-errors), the words an editor shows for the
// same mistake: ajv reports those as one `errorMessage` error wrapping the original, which keeps its
// code and place here.
import type { ErrorObject } from "ajv";
import { errorAt, type Diagnostic, type DocPath } from "../diagnostics/diagnostic.js";
import validateFabricate from "../generated/validateFabricate.js";
import type { ConfigSource } from "./configSource.js";
import { didYouMean } from "./didYouMean.js";

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** A password and the fields of its reference are never quoted: a mistaken secret could stand there. */
function isSecretPath(path: DocPath): boolean {
  return path.includes("password") && path[path.length - 1] !== "provider";
}

function quote(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function fieldName(path: DocPath): string {
  const last = [...path].reverse().find((p) => typeof p === "string");
  return last === undefined ? "the document" : String(last);
}

interface Translated {
  summary: string;
  code: string;
  atKey?: boolean;
  path?: DocPath;
}

/** `expected`: the schema's errorMessage for the failing keyword, such as "a slug: lowercase letters, …". */
function translate(e: ErrorObject, path: DocPath, expected: string | undefined): Translated {
  const field = fieldName(path);
  const secret = isSecretPath(path);
  const shown = secret ? "" : ` ${quote(e.data)}`;
  const schema = (e.parentSchema ?? {}) as { description?: string; enum?: unknown[]; properties?: Record<string, unknown>; minimum?: number; maximum?: number };
  switch (e.keyword) {
    case "additionalProperties": {
      const name = String(e.params.additionalProperty);
      const known = Object.keys(schema.properties ?? {});
      return {
        code: "schema.unknown-field",
        summary: `unknown field "${name}"${didYouMean(name, known)}; known fields: ${known.join(", ")}`,
        atKey: true,
        path: [...path, name],
      };
    }
    case "required":
      return { code: "schema.missing-field", summary: `missing required field "${e.params.missingProperty}"` };
    case "type":
      if (field === "password" && path[path.length - 1] === "password") {
        return {
          code: "config.plaintext-password",
          summary: "password must be a secret reference such as { secret: SMTP_PASSWORD }, never the password itself (its value is not shown here)",
        };
      }
      return { code: "schema.type", summary: `${field} must be ${e.params.type === "integer" ? "an integer" : `of type ${e.params.type}`}` };
    case "const":
      if (field === "auth") {
        return {
          code: "config.auth-unsupported",
          summary: `authentication${shown} is not supported: only basic authentication (AUTH PLAIN or LOGIN with a username and password) is supported`,
        };
      }
      if (field === "type") return { code: "config.type-unsupported", summary: `connection type${shown} is not supported; supported types: ${quote(e.params.allowedValue)}` };
      return { code: "schema.const", summary: `${field} must be ${quote(e.params.allowedValue)}${secret ? "" : `, not${shown}`}` };
    case "enum": {
      const allowed = (schema.enum ?? []).map(String);
      const kind = field === "provider" && (path.includes("secrets") || path.includes("password")) ? "secret provider" : field;
      const hint = typeof e.data === "string" && !secret ? didYouMean(e.data, allowed) : "";
      return { code: "schema.enum", summary: `unknown ${kind}${shown}${hint}; ${expected ? `it must be ${expected}` : `supported: ${allowed.join(", ")}`}` };
    }
    case "pattern":
      return { code: "schema.pattern", summary: `${field}${shown} is not valid: ${expected ? `it must be ${expected}` : (schema.description ?? `it must match ${e.params.pattern}`)}` };
    case "minimum":
    case "maximum":
      return { code: "schema.range", summary: `${field}${shown} is out of range: it must be from ${schema.minimum} to ${schema.maximum}` };
    case "uniqueItems":
      return { code: "schema.duplicate-item", summary: `${field} lists the same value twice (items ${e.params.j} and ${e.params.i})` };
    case "minLength":
      return { code: "schema.length", summary: `${field} must not be empty` };
    case "maxLength":
      return { code: "schema.length", summary: `${field} is too long (at most ${e.params.limit} characters)` };
    case "minItems":
      return { code: "schema.length", summary: `${field} needs at least ${e.params.limit} item(s)` };
    default:
      return { code: `schema.${e.keyword}`, summary: `${field} ${e.message ?? "is not valid"}` };
  }
}

/** ajv-errors' wrapper → the error it replaced (the first: a schema's message covers all of its keywords) and the message. */
function unwrapErrorMessage(e: ErrorObject): { error: ErrorObject; expected?: string } {
  const [original] = e.keyword === "errorMessage" ? ((e.params as { errors?: ErrorObject[] }).errors ?? []) : [];
  return original ? { error: original, expected: e.message } : { error: e };
}

export function checkSchema(source: ConfigSource): Diagnostic[] {
  if (validateFabricate(source.data)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const reported of validateFabricate.errors ?? []) {
    const { error: e, expected } = unwrapErrorMessage(reported);
    const path = pathOf(e.instancePath);
    const t = translate(e, path, expected);
    const where = source.locate(t.path ?? path, t.atKey);
    const key = `${where.line}:${where.col}:${t.summary}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(errorAt(where, t.code, t.summary, { path: t.path ?? path, sensitive: isSecretPath(path) || undefined }));
  }
  return out;
}
