/**
 * Builds dist/ as `npm pack` ships it:
 * - dist/bundle/: one ESM file per entry (esbuild), what runtimes load (the `default` export
 *   condition): one file to read instead of ~25. `yieldio`, `yieldio/node` and `yieldio/testing`
 *   are bundled together with code splitting, so the core's modules live once in a shared chunk
 *   and a Task made through `yieldio/testing` is `instanceof Task` of `yieldio`.
 * - dist/*.js: the per-file modules (tsc), what bundlers load (the `module` condition): a
 *   pre-bundled file defeats tree shaking, since unused modules can then no longer be dropped whole.
 * - dist/*.d.ts: declarations (tsc), with a transformer that drops `_`-prefixed and `@internal`
 *   class and interface members, so a `Task` completes to its asyncio methods, not to its fields.
 * - Maps: JS maps inline the sources; `src/` ships too, for the declaration maps.
 * Usage: `npm run build` (also `prepack`).
 */
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import ts from 'typescript';
import { withoutNotesInJSDoc } from './internal-notes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

/** The esbuild options of the shipped single-file bundles. */
export const bundleOptions: BuildOptions = {
  entryPoints: { index: `${root}src/index.ts`, 'node/index': `${root}src/node/index.ts`, 'testing/index': `${root}src/testing/index.ts` },
  outdir: `${dist}/bundle`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  // node: modules stay imports (only yieldio/node has them; a lint rule keeps them out of the core).
  external: ['node:*'],
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  sourcesContent: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/** Whether a declaration member is an internal: `_`-prefixed (not `private`) or tagged `@internal`. */
function isInternalMember(member: ts.Node): boolean {
  const name = (member as { name?: ts.PropertyName }).name;
  if (name === undefined) return false;
  const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) : undefined;
  // private members stay: they keep a class nominal and never show in completions.
  if (modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword) === true) return false;
  if ((ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text.startsWith('_')) return true;
  return ts.getJSDocTags(member).some((tag) => tag.tagName.text === 'internal');
}

/** `./x.ts` → `./x.js`: tsc rewrites the JS specifiers (rewriteRelativeImportExtensions), not the declarations'. */
function jsSpecifier(factory: ts.NodeFactory, specifier: ts.Expression | undefined): ts.Expression | undefined {
  if (specifier === undefined || !ts.isStringLiteral(specifier) || !/^\.\.?\//.test(specifier.text) || !specifier.text.endsWith('.ts')) return specifier;
  return factory.createStringLiteral(specifier.text.replace(/\.ts$/, '.js'));
}

/** Re-attaches a declaration's doc comment without its implementation notes (they stay in src/). */
function withoutNotes<T extends ts.Node>(node: T): T {
  const original = ts.getOriginalNode(node);
  const file = original.getSourceFile() as ts.SourceFile | undefined;
  if (file === undefined || original.pos < 0) return node;
  const range = ts.getLeadingCommentRanges(file.text, original.pos)?.filter((r) => file.text.startsWith('/**', r.pos)).at(-1);
  if (range === undefined) return node;
  const comment = file.text.slice(range.pos, range.end);
  const cleaned = withoutNotesInJSDoc(comment);
  if (cleaned === comment) return node;
  // getEmitFlags is not in the public typings; keep whatever flags the declaration emitter set.
  const flags = (ts as unknown as { getEmitFlags?: (n: ts.Node) => ts.EmitFlags }).getEmitFlags?.(node) ?? ts.EmitFlags.None;
  ts.setEmitFlags(node, flags | ts.EmitFlags.NoLeadingComments);
  return ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, cleaned.slice(2, -2), true);
}

/**
 * The declaration transformer: drops internal members of classes and interfaces and the doc
 * notes that name them; `.ts` specifiers become `.js`.
 */
export const stripInternals: ts.TransformerFactory<ts.SourceFile | ts.Bundle> = (context) => {
  const f = context.factory;
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isImportDeclaration(node)) {
      return f.updateImportDeclaration(node, node.modifiers, node.importClause, jsSpecifier(f, node.moduleSpecifier) as ts.Expression, node.attributes);
    }
    if (ts.isExportDeclaration(node)) {
      return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, jsSpecifier(f, node.moduleSpecifier), node.attributes);
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      const argument = f.updateLiteralTypeNode(node.argument, jsSpecifier(f, node.argument.literal) as ts.StringLiteral);
      return f.updateImportTypeNode(node, argument, node.attributes, node.qualifier, node.typeArguments?.map((t) => ts.visitNode(t, visit) as ts.TypeNode), node.isTypeOf);
    }
    if (ts.isClassDeclaration(node)) {
      const members = node.members.filter((m) => !isInternalMember(m)).map((m) => withoutNotes(ts.visitEachChild(m, visit, context)));
      return withoutNotes(context.factory.updateClassDeclaration(node, node.modifiers, node.name, node.typeParameters, node.heritageClauses, members));
    }
    if (ts.isInterfaceDeclaration(node)) {
      const members = node.members.filter((m) => !isInternalMember(m)).map(withoutNotes);
      return withoutNotes(context.factory.updateInterfaceDeclaration(node, node.modifiers, node.name, node.typeParameters, node.heritageClauses, members));
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (file) => {
    if (!ts.isSourceFile(file)) return file;
    const out = ts.visitNode(file, visit) as ts.SourceFile;
    if (!/\b(?:Async)?Disposable\b|Symbol\.(?:async)?[dD]ispose\b/.test(file.text)) return out;
    // A browser project's lib may lack esnext.disposable: point it at the structural declarations.
    const shim = relative(dirname(file.fileName), `${root}src/internal/disposable.d.ts`).replace(/^(?!\.)/, './');
    const reference = { fileName: shim, pos: -1, end: -1 };
    return f.updateSourceFile(out, out.statements, out.isDeclarationFile, [...out.referencedFiles, reference], out.typeReferenceDirectives, out.hasNoDefaultLib, out.libReferenceDirectives);
  };
};

/** Emits the per-file modules and declarations (with maps) into dist/; throws with tsc's diagnostics on an error. */
export function emitModules(outDir = dist): void {
  const configPath = `${root}tsconfig.build.json`;
  const options = { outDir, declaration: true, declarationMap: true, sourceMap: true, inlineSources: true, noEmit: false };
  const config = ts.getParsedCommandLineOfConfigFile(configPath, options, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (config === undefined) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram(config.fileNames, config.options);
  const result = program.emit(undefined, undefined, undefined, false, { afterDeclarations: [stripInternals] });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0) {
    const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    throw new Error(`declaration build failed:\n${ts.formatDiagnostics(diagnostics, host)}`);
  }
}

/**
 * The toThread worker is a plain file loaded by `new URL('./thread-worker.mjs', import.meta.url)`,
 * which neither esbuild nor tsc follows: copy it next to every built module that names it
 * (dist/node/threads.js, and whichever bundle file or chunk holds threads.ts).
 */
export function copyWorkerFiles(outDir = dist): string[] {
  const worker = 'thread-worker.mjs';
  const copies: string[] = [];
  for (const file of readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.js') || !/new URL\(["']\.\/thread-worker\.mjs["']/.test(readFileSync(join(outDir, file), 'utf8'))) continue;
    const target = join(outDir, dirname(file), worker);
    copyFileSync(`${root}src/node/${worker}`, target);
    copies.push(relative(outDir, target));
  }
  if (copies.length < 2) throw new Error(`${worker} is named by ${copies.length} built file(s), expected the per-file module and a bundle file`);
  return copies;
}

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  await build(bundleOptions);
  emitModules();
  copyFileSync(`${root}src/internal/disposable.d.ts`, `${dist}/internal/disposable.d.ts`);
  copyWorkerFiles();
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
