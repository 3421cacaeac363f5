// Each diagnostics format against the exact text it must produce.
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { renderDiagnosticsGithub } from "../../src/diagnostics/renderGithub.js";
import { renderDiagnosticsJson } from "../../src/diagnostics/renderJson.js";
import { renderDiagnosticsText } from "../../src/diagnostics/renderText.js";

const unknownField: Diagnostic = {
  severity: "error",
  code: "schema.unknown-field",
  summary: 'unknown field "prot" (did you mean "port"?)',
  file: "fabrics/ops.yaml",
  line: 3,
  col: 5,
  path: ["fabrics", 0, "prot"],
};
const plaintext: Diagnostic = {
  severity: "error",
  code: "config.plaintext-password",
  summary: "password must be a secret reference",
  file: "fabrics/ops.yaml",
  line: 4,
  col: 15,
  sensitive: true,
};
const noFile: Diagnostic = { severity: "warning", code: "x", summary: "something, with: commas\nand a newline" };
const source = ["version: 1", "fabrics:", "    prot: 587", "    password: hunter2-canary"];

describe("text", () => {
  it("prints path:line:col: severity: message", () => {
    expect(renderDiagnosticsText([unknownField, noFile])).toBe(
      'fabrics/ops.yaml:3:5: error: unknown field "prot" (did you mean "port"?)\nfabricate: warning: something, with: commas\nand a newline\n',
    );
  });

  it("quotes the source line with a caret when lines are given", () => {
    expect(renderDiagnosticsText([unknownField], { sourceLines: () => source })).toBe(
      'fabrics/ops.yaml:3:5: error: unknown field "prot" (did you mean "port"?)\n      prot: 587\n      ^\n',
    );
  });

  it("never quotes the source of a sensitive diagnostic", () => {
    const out = renderDiagnosticsText([plaintext], { sourceLines: () => source });
    expect(out).toBe("fabrics/ops.yaml:4:15: error: password must be a secret reference\n");
    expect(out).not.toContain("hunter2-canary");
  });
});

describe("json", () => {
  it("is a stable document with counts", () => {
    expect(JSON.parse(renderDiagnosticsJson([unknownField, plaintext, noFile]))).toEqual({
      diagnostics: [
        { ...unknownField },
        { severity: "error", code: "config.plaintext-password", summary: "password must be a secret reference", file: "fabrics/ops.yaml", line: 4, col: 15 },
        { ...noFile },
      ],
      errors: 2,
      warnings: 1,
    });
  });
});

describe("github", () => {
  it("prints workflow commands with escaped properties and messages", () => {
    expect(renderDiagnosticsGithub([unknownField, noFile])).toBe(
      '::error file=fabrics/ops.yaml,line=3,col=5,title=schema.unknown-field::unknown field "prot" (did you mean "port"?)\n' +
        "::warning title=x::something, with: commas%0Aand a newline\n",
    );
  });
});
