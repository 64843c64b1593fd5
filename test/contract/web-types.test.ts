/**
 * The web app's API types come from the contract: a server change the web app does not follow fails `npm run typecheck`.
 * That holds only while src/web declares no response shapes of its own, which this static check keeps true:
 *  - every type argument of `api.get/post/put/patch<T>(…)` and `useLoad<T>(…)` names a type imported from
 *    src/web/lib/types.ts or src/web/results/types.ts (both derived from src/contract with z.output) or from src/contract;
 *  - those two files derive every type (no object type written out by hand);
 *  - any other interface or object type in src/web is component props or a documented piece of client state.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import ts from "typescript";

const ROOT = join(import.meta.dirname, "../..");
const WEB = join(ROOT, "src/web");

const DERIVED_FILES = ["src/web/lib/types.ts", "src/web/results/types.ts"];
/** Modules whose types are the contract's: the two derived files, and src/contract itself. */
function isContractModule(from: string, specifier: string): boolean {
  if (!specifier.startsWith(".")) return false;
  const target = rel(resolve(dirname(from), specifier));
  return DERIVED_FILES.includes(target) || /^src\/contract\/[a-z-]+\.ts$/.test(target);
}

/** API calls whose answer the contract does not describe, with why. */
const CALL_EXCEPTIONS: Record<string, string> = {
  "src/web/organise/session.ts Session | null": "better-auth's own GET /api/auth/get-session, outside the contract (see openapi.test.ts)",
};

/** Declarations that are not API responses: client state, props bundles, transport frames. Anything else must come from the contract. */
const STATE_EXCEPTIONS: Record<string, string> = {
  "src/web/organise/charter-draft.ts NumberSpec": "metadata of a charter form field",
  "src/web/organise/charter-draft.ts RubricDraft": "the rubric editor's form state (strings as typed)",
  "src/web/organise/charter-draft.ts CharterDraft": "the charter form's state, turned into a request by toRequest",
  "src/web/organise/session.ts Session": "better-auth's session, outside the contract",
  "src/web/shell/routes.ts Route": "a client-side route",
  "src/web/lib/load.tsx Loaded": "the loading state of useLoad",
  "src/web/lib/api.ts Problem": "an RFC 9457 problem+json error body, read defensively",
  "src/web/lib/form.tsx Check": "a form field check",
  "src/web/lib/choices.tsx Option": "a select or checkbox option",
  "src/web/lib/stream.ts StreamEvent": "one server-sent event frame; its data is typed by LiveBattleEvents",
  "src/web/lib/participation.ts ContextData": "two contract types loaded together (EvaluationDetail and Me)",
  "src/web/organise/manage-page.tsx Managed": "four contract types loaded together (EvaluationDetail, Subject, Item, AnsweredList)",
  "src/web/lib/locales/types.ts Shape": "the shape of a translation catalog",
  "src/web/judge/ranking-board.tsx Row": "a row of the ranking board while it is dragged",
  "src/web/judge/live-battle.tsx Stage": "the live battle's screen state",
  "src/web/govern/proposals.tsx Amendment": "the charter amendment form's state (strings as typed)",
  "src/web/join/join-page.tsx Door": "what admits the visitor: an invitation (checked first) or an open evaluation",
};

function webFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return webFiles(path);
    return /\.tsx?$/.test(entry.name) && entry.name !== "vite.config.ts" ? [path] : [];
  });
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true, path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** Names this file imports from a contract module (types.ts files or src/contract). */
function contractImports(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !isContractModule(file.fileName, statement.moduleSpecifier.text)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
    if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
  }
  return names;
}

/** The type references a type argument is made of, `| null` allowed around them (no object types written out). */
function referencedNames(node: ts.TypeNode): string[] | null {
  if (ts.isUnionTypeNode(node)) {
    const parts = node.types.filter((t) => !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    const names = parts.map(referencedNames);
    return names.every((n) => n !== null) ? names.flat() : null;
  }
  if (ts.isTypeReferenceNode(node) && !node.typeArguments) return [ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.left.getText()];
  if (ts.isIndexedAccessTypeNode(node)) return referencedNames(node.objectType);
  return null;
}

const rel = (path: string) => relative(ROOT, path).split("\\").join("/");

test("every typed API call in src/web names a type derived from the contract", () => {
  const problems: string[] = [];
  const seenCalls = new Set<string>();
  let calls = 0;
  for (const path of webFiles(WEB)) {
    const file = parse(path);
    const allowed = contractImports(file);
    walk(file, (node) => {
      if (!ts.isCallExpression(node)) return;
      const callee = node.expression.getText(file);
      if (!/^api\.(get|post|put|patch)$|^useLoad$/.test(callee)) return;
      const [typeArgument] = node.typeArguments ?? [];
      if (callee === "api.get" && !typeArgument) problems.push(`${rel(path)}: ${node.getText(file).slice(0, 80)} reads an answer without naming its type`);
      if (!typeArgument) return;
      calls += 1;
      const written = typeArgument.getText(file);
      seenCalls.add(`${rel(path)} ${written}`);
      if (CALL_EXCEPTIONS[`${rel(path)} ${written}`]) return;
      const names = referencedNames(typeArgument);
      if (!names || names.some((name) => !allowed.has(name))) problems.push(`${rel(path)}: ${callee}<${written}> — import the type from src/web/lib/types.ts (derived from src/contract)`);
    });
  }
  assert.ok(calls >= 25, `expected the web app's typed API calls to be found (found ${calls})`);
  assert.deepEqual(problems, []);
  assert.deepEqual(stale(CALL_EXCEPTIONS, seenCalls), [], "exceptions that no longer match a call");
});

test("the web app's type files derive every type from the contract", () => {
  for (const path of DERIVED_FILES) {
    const file = parse(join(ROOT, path));
    const written: string[] = [];
    walk(file, (node) => {
      if (ts.isInterfaceDeclaration(node)) written.push(`interface ${node.name.text}`);
      if (ts.isTypeLiteralNode(node) && node.members.some(ts.isPropertySignature)) written.push(node.getText(file).slice(0, 80));
    });
    assert.deepEqual(written, [], `${path} writes object types by hand`);
  }
});

test("src/web declares no response shapes of its own: only component props and documented client state", () => {
  const found: string[] = [];
  const seen = new Set<string>();
  for (const path of webFiles(WEB)) {
    if (DERIVED_FILES.includes(rel(path))) continue;
    const file = parse(path);
    walk(file, (node) => {
      const named = ts.isInterfaceDeclaration(node) || (ts.isTypeAliasDeclaration(node) && (ts.isTypeLiteralNode(node.type) || ts.isUnionTypeNode(node.type) || ts.isMappedTypeNode(node.type)) && hasObjectType(node.type));
      if (!named) return;
      const name = node.name.text;
      if (/Props$/.test(name)) return;
      seen.add(`${rel(path)} ${name}`);
      if (!STATE_EXCEPTIONS[`${rel(path)} ${name}`]) found.push(`${rel(path)} ${name}`);
    });
  }
  assert.deepEqual(found, [], "an API answer's type comes from src/web/lib/types.ts; client state goes in STATE_EXCEPTIONS with its reason");
  assert.deepEqual(stale(STATE_EXCEPTIONS, seen), [], "exceptions that no longer match a declaration");
});

const stale = (exceptions: Record<string, string>, seen: ReadonlySet<string>) => Object.keys(exceptions).filter((key) => !seen.has(key));

function hasObjectType(node: ts.Node): boolean {
  let object = false;
  walk(node, (child) => {
    if (ts.isTypeLiteralNode(child) || ts.isMappedTypeNode(child)) object = true;
  });
  return object;
}
