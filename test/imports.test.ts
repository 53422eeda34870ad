/**
 * The core's module graph keeps CPython's shape (style.md §6.8): base-events imports tasks, tasks
 * knows the loop only as a type, and no module registers itself into another when imported — so
 * `"sideEffects": false` is true and a bundler may drop any module a program does not use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !/\.test(-d)?\.ts$/.test(f))
  .map((f) => normalize(join('src', f)));

/** Value imports (type-only imports and specifiers left out) and module-level statements of a file. */
function parse(file: string): { imports: string[]; calls: string[] } {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const imports: string[] = [];
  const calls: string[] = [];
  for (const statement of source.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier !== undefined) {
      const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      if (!specifier.startsWith('.')) continue;
      let typeOnly = ts.isImportDeclaration(statement) ? statement.importClause?.isTypeOnly === true : statement.isTypeOnly;
      const named = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : statement.exportClause;
      const hasDefault = ts.isImportDeclaration(statement) && statement.importClause?.name !== undefined;
      if (!typeOnly && !hasDefault && named !== undefined && (ts.isNamedImports(named) || ts.isNamedExports(named))) {
        typeOnly = named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      }
      if (!typeOnly) imports.push(normalize(join(dirname(file), specifier)));
    } else if (ts.isExpressionStatement(statement)) {
      calls.push(statement.getText(source).split('\n')[0] as string);
    }
  }
  // A default put on a class's own prototype (a shape choice) touches nothing outside the file.
  const local = new Set(source.statements.filter(ts.isClassDeclaration).map((c) => c.name?.text));
  return { imports, calls: calls.filter((call) => !(/^(\w+)\.prototype\.\w+ = /.test(call) && local.has(/^(\w+)/.exec(call)?.[1]))) };
}

const graph = new Map(sources.map((file) => [file, parse(file)]));

// Modules that do run a statement at import are declared in package.json's `sideEffects`, so a
// bundler keeps them: the `yieldio` command itself, and yieldio/node's trace-file writer.
const declared = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { sideEffects: string[] }).sideEffects;

test('no module under src/ runs a statement at import time unless package.json declares it in sideEffects', () => {
  const found = [...graph]
    .filter(([file]) => !declared.includes(`./${file.replaceAll('\\', '/')}`))
    .flatMap(([file, { calls }]) => calls.map((call) => `${file}: ${call}`));
  assert.deepEqual(found, []);
  assert.deepEqual(declared.filter((d) => d.startsWith('./src/')), ['./src/node/cli.ts', './src/node/trace.ts']);
  for (const file of ['node/cli', 'node/trace']) assert.ok(declared.includes(`./dist/${file}.js`), `sideEffects lists ./dist/${file}.js`);
});

test('tasks.ts imports base-events.ts only as a type; base-events.ts imports tasks.ts (as CPython\'s base_events imports tasks)', () => {
  assert.ok(!graph.get(normalize('src/tasks.ts'))?.imports.includes(normalize('src/base-events.ts')));
  assert.ok(graph.get(normalize('src/base-events.ts'))?.imports.includes(normalize('src/tasks.ts')));
});

// Each allowed cycle is ESM-safe: neither side reads the other's bindings while modules evaluate,
// only inside functions. events ↔ contextvars: a Handle runs its callback in a Context; the
// current context asks the running loop for its task (no registration into contextvars).
test('the only value-import cycles are asyncgen ↔ asyncgen-host and events ↔ contextvars, both used only inside functions (ESM-safe)', () => {
  const cycles = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const dep of graph.get(file)?.imports ?? []) {
      if (state.get(dep) === 'open') cycles.add([...stack.slice(stack.indexOf(dep)), dep].map((f) => relative('src', f)).join(' -> '));
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of sources) if (!state.has(file)) visit(file);
  assert.deepEqual([...cycles].sort(), ['asyncgen-host.ts -> asyncgen.ts -> asyncgen-host.ts', 'events.ts -> contextvars.ts -> events.ts']);
});
