import type { Tree } from '@nx/devkit';
import * as ts from 'typescript';

/** An object or array literal assigned to a top-level `const`, as found in a source file. */
export interface ConstLiteral {
  readonly kind: 'object' | 'array';
  /** Source text of each property (object) or element (array), in order. */
  readonly entries: readonly string[];
  /** Where a new last entry goes: after the last entry (and its comma), or just inside the opening bracket. */
  readonly insertAt: number;
  /** Whether the last entry already has a trailing comma (or there is no entry). */
  readonly endsWithComma: boolean;
}

const unwrap = (expression: ts.Expression): ts.Expression =>
  ts.isAsExpression(expression) ||
  ts.isSatisfiesExpression(expression) ||
  ts.isParenthesizedExpression(expression) ||
  ts.isTypeAssertionExpression(expression)
    ? unwrap(expression.expression)
    : expression;

const readSource = (tree: Tree, filePath: string): string => {
  const text = tree.read(filePath, 'utf-8');
  if (text === null) throw new Error(`Cannot register the service: ${filePath} does not exist.`);
  return text;
};

/**
 * Finds `const <variable> = { ... }` or `= [ ... ]` (optionally `as const` or `satisfies T`) at the top level of a
 * TypeScript file.
 *
 * @throws Error saying which file no longer has the expected shape
 */
export const findConstLiteral = (tree: Tree, filePath: string, variable: string): ConstLiteral => {
  const text = readSource(tree, filePath);
  const source = ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== variable) continue;
      const initializer = declaration.initializer === undefined ? undefined : unwrap(declaration.initializer);
      const nodes =
        initializer !== undefined && ts.isObjectLiteralExpression(initializer)
          ? { kind: 'object' as const, list: initializer.properties, open: initializer.getStart(source) }
          : initializer !== undefined && ts.isArrayLiteralExpression(initializer)
            ? { kind: 'array' as const, list: initializer.elements, open: initializer.getStart(source) }
            : undefined;
      if (nodes === undefined) break;
      const last = nodes.list[nodes.list.length - 1];
      const endsWithComma = last === undefined || nodes.list.hasTrailingComma;
      return {
        kind: nodes.kind,
        entries: nodes.list.map((node) => node.getText(source)),
        insertAt: last === undefined ? nodes.open + 1 : last.getEnd() + (nodes.list.hasTrailingComma ? 1 : 0),
        endsWithComma,
      };
    }
  }
  throw new Error(
    `Cannot register the service: ${filePath} no longer declares \`const ${variable} = { ... }\` or \`[ ... ]\`. ` +
      'Update tools/generators (src/service/registration.ts) to the new shape.',
  );
};

/**
 * Appends `entry` as the last property or element of the literal assigned to `const <variable>`, unless an entry
 * already satisfies `isPresent` (so running twice changes nothing).
 *
 * @returns whether the file changed
 */
export const appendToConstLiteral = (
  tree: Tree,
  filePath: string,
  variable: string,
  entry: string,
  isPresent: (existing: string) => boolean,
): boolean => {
  const literal = findConstLiteral(tree, filePath, variable);
  if (literal.entries.some(isPresent)) return false;
  const text = readSource(tree, filePath);
  const insertion = `${literal.endsWithComma ? '' : ','}\n  ${entry},`;
  tree.write(filePath, `${text.slice(0, literal.insertAt)}${insertion}${text.slice(literal.insertAt)}`);
  return true;
};

/**
 * Adds an import (or export) statement after the file's last top-level import/export-from, unless the file already
 * has exactly that line.
 *
 * @returns whether the file changed
 */
export const addStatementAfterImports = (tree: Tree, filePath: string, statement: string): boolean => {
  const text = readSource(tree, filePath);
  if (text.split('\n').some((line) => line.trim() === statement)) return false;
  const source = ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const modules = source.statements.filter(
    (node) =>
      ts.isImportDeclaration(node) || (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined),
  );
  const last = modules[modules.length - 1];
  const at = last === undefined ? 0 : last.getEnd();
  const insertion = last === undefined ? `${statement}\n` : `\n${statement}`;
  tree.write(filePath, `${text.slice(0, at)}${insertion}${text.slice(at)}`);
  return true;
};
