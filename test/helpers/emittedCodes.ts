// Finds every diagnostic code the product code can emit, by reading src/ with the TypeScript compiler
// (its type checker resolves which function a call reaches, and which strings a typed value can hold).
//
// A code starts life in an object literal's `code` property (a Diagnostic, or a value one is built
// from). From there the value is followed back to its strings: a literal; both arms of a conditional;
// a const's initializer; a function parameter through the argument of every call of that function
// (so `errorAt(where, "config.url", …)` counts as emitting config.url); every value of an object
// literal indexed by a key (`readCodes[problem]`); a template literal as the product of its parts; and
// a value whose type is a union of string literals as those strings. Where none of these applies, the
// expression is reported as unresolved, so that a new way of building codes cannot slip past the
// registry test unseen. `families` names the sources of truth for templates that the types cannot
// narrow (keyed by the template's text as written).
import { dirname, join, relative } from "node:path";
import ts from "typescript";

export interface EmittedCodes {
  /** code → where it is emitted (file:line of the literal, or of the call that passes it). */
  readonly codes: ReadonlyMap<string, readonly string[]>;
  /** Expressions that carry a code but could not be followed back to strings. */
  readonly unresolved: readonly string[];
  /** Templates that `families` resolved, so a test can see each is still in use. */
  readonly familiesUsed: ReadonlySet<string>;
}

export function emittedCodes(root: string, families: Readonly<Record<string, readonly string[]>>, exclude: readonly string[]): EmittedCodes {
  const configPath = join(root, "tsconfig.json");
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath));
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } });
  const checker = program.getTypeChecker();
  const sources = program
    .getSourceFiles()
    .filter((f) => !f.isDeclarationFile && f.fileName.startsWith(join(root, "src")) && !exclude.some((e) => f.fileName.startsWith(join(root, e))));

  const codes = new Map<string, string[]>();
  const unresolved: string[] = [];
  const familiesUsed = new Set<string>();
  const where = (node: ts.Node) => {
    const file = node.getSourceFile();
    return `${relative(root, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  };

  // Every call in src/, grouped by the declaration it reaches, to follow a parameter to its arguments.
  const callsOf = new Map<ts.Node, ts.CallExpression[]>();
  const visitCalls = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const target = checker.getResolvedSignature(node)?.declaration;
      if (target) callsOf.set(target, [...(callsOf.get(target) ?? []), node]);
    }
    ts.forEachChild(node, visitCalls);
  };
  for (const file of sources) visitCalls(file);

  /** The strings an expression can hold, or undefined (and a note in `unresolved`). */
  function resolve(expr: ts.Expression, symbol?: ts.Symbol): { value: string; at: string }[] | undefined {
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [{ value: expr.text, at: where(expr) }];
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr)) return resolve(expr.expression);
    if (ts.isConditionalExpression(expr)) return both(resolve(expr.whenTrue), resolve(expr.whenFalse));
    if (ts.isTemplateExpression(expr)) {
      const family = families[expr.getText()];
      if (family) {
        familiesUsed.add(expr.getText());
        return family.map((value) => ({ value, at: where(expr) }));
      }
      let parts: { value: string; at: string }[] | undefined = [{ value: expr.head.text, at: where(expr) }];
      for (const span of expr.templateSpans) {
        const inner = resolve(span.expression);
        if (!inner || !parts) return undefined;
        parts = parts.flatMap((p) => inner.map((i) => ({ value: p.value + i.value + span.literal.text, at: p.at })));
      }
      return parts;
    }
    if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && expr.expression.name.text === "toLowerCase" && expr.arguments.length === 0) {
      return resolve(expr.expression.expression)?.map((s) => ({ ...s, value: s.value.toLowerCase() }));
    }
    const literals = literalUnion(expr);
    if (literals) return literals.map((value) => ({ value, at: where(expr) }));
    if (ts.isElementAccessExpression(expr) && ts.isIdentifier(expr.expression)) {
      const init = constInitializer(checker.getSymbolAtLocation(expr.expression));
      if (init && ts.isObjectLiteralExpression(init)) {
        return all(init.properties.map((p) => (ts.isPropertyAssignment(p) ? resolve(p.initializer) : undefined)));
      }
    }
    if (ts.isIdentifier(expr)) {
      const declaration = (symbol ?? checker.getSymbolAtLocation(expr))?.valueDeclaration;
      if (declaration && ts.isParameter(declaration)) return resolveParameter(declaration);
      const init = constInitializer(symbol ?? checker.getSymbolAtLocation(expr));
      if (init) return resolve(init);
    }
    // `t.code`: a code read back from an object whose `code` property is itself a starting point.
    if (ts.isPropertyAccessExpression(expr) && expr.name.text === "code") return [];
    unresolved.push(`${where(expr)}: ${expr.getText()}`);
    return undefined;
  }

  function resolveParameter(parameter: ts.ParameterDeclaration): { value: string; at: string }[] | undefined {
    const fn = parameter.parent;
    const index = fn.parameters.indexOf(parameter);
    const calls = callsOf.get(fn) ?? [];
    // A function that is only passed around (a callback) has no call to follow: say so rather than miss it.
    if (calls.length === 0) {
      unresolved.push(`${where(parameter)}: parameter ${parameter.name.getText()} of a function never called directly`);
      return undefined;
    }
    return all(
      calls.map((call) => {
        const argument = call.arguments[index];
        if (argument) return resolve(argument);
        return parameter.initializer ? resolve(parameter.initializer) : [];
      }),
    );
  }

  function constInitializer(symbol: ts.Symbol | undefined): ts.Expression | undefined {
    const declaration = symbol?.valueDeclaration;
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    return ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const ? declaration.initializer : undefined;
  }

  /** The strings of a union of string literal types (narrowed where the checker narrows). */
  function literalUnion(expr: ts.Expression): string[] | undefined {
    const type = checker.getTypeAtLocation(expr);
    const members = type.isUnion() ? type.types : [type];
    return members.every((t) => t.isStringLiteral()) ? members.map((t) => (t as ts.StringLiteralType).value) : undefined;
  }

  const visitCodes = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && ts.isObjectLiteralExpression(node.parent) && propertyName(node.name) === "code") record(resolve(node.initializer));
    if (ts.isShorthandPropertyAssignment(node) && node.name.text === "code") record(resolve(node.name, checker.getShorthandAssignmentValueSymbol(node)));
    ts.forEachChild(node, visitCodes);
  };
  const record = (found: { value: string; at: string }[] | undefined) => {
    for (const { value, at } of found ?? []) codes.set(value, [...new Set([...(codes.get(value) ?? []), at])]);
  };
  for (const file of sources) visitCodes(file);

  return { codes, unresolved, familiesUsed };
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function both<T>(a: T[] | undefined, b: T[] | undefined): T[] | undefined {
  return a && b ? [...a, ...b] : undefined;
}

function all<T>(lists: (T[] | undefined)[]): T[] | undefined {
  return lists.every((l) => l !== undefined) ? lists.flat() : undefined;
}
