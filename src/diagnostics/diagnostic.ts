// One diagnostics type for every stage (after Terraform's tfdiags): rich where the source is known
// (file, line, col, a path into the document), pragmatic where it is not (a construct path, or nothing).
// User mistakes travel as diagnostics returned beside a value; exceptions are for bugs.
import { compareCodePoints } from "../json/canonical.js";

export type Severity = "error" | "warning";

/** A path into a document: keys and array indices, as in ["fabrics", 0, "connections", 1, "url"]. */
export type DocPath = readonly (string | number)[];

export interface Diagnostic {
  readonly severity: Severity;
  /** A stable identifier for the kind of problem, for machines (json output, tests). */
  readonly code: string;
  readonly summary: string;
  readonly detail?: string;
  /** A file path, or a construct path for CDK declarations. */
  readonly file?: string;
  /** 1-based. */
  readonly line?: number;
  /** 1-based, in characters. */
  readonly col?: number;
  readonly path?: DocPath;
  /**
   * The source at this place may hold a secret (a plaintext password), so renderers must not quote
   * the offending line.
   */
  readonly sensitive?: boolean;
}

/** Where a declaration came from; every stage that points at config uses it. */
export interface Location {
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly path?: DocPath;
}

/** The fields of a location, read one by one: a Location may compute its line and column lazily. */
function placed(where: Location): Location {
  const { file, line, col, path } = where;
  return { ...(file !== undefined && { file }), ...(line !== undefined && { line }), ...(col !== undefined && { col }), ...(path !== undefined && { path }) };
}

export function errorAt(where: Location, code: string, summary: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: "error", code, summary, ...placed(where), ...extra };
}

export function warningAt(where: Location, code: string, summary: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: "warning", code, summary, ...placed(where), ...extra };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Orders diagnostics by file, then position, so output does not depend on the order checks ran in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => compareCodePoints(a.file ?? "", b.file ?? "") || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0) || compareCodePoints(a.summary, b.summary),
  );
}

/** `path[1].name` style, for messages and json output. */
export function formatDocPath(path: DocPath): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
