// The lint rules under ESLint's RuleTester, type-aware: the code is linted as
// test/fixtures/eslint/file.ts, whose tsconfig maps `yieldio` to src/.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Linter, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import plugin from './index.ts';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const fixtures = new URL('../../test/fixtures/eslint/', import.meta.url).pathname;
const filename = `${fixtures}file.ts`;
const tester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    // Never typescript-eslint's single-run mode (its default under CI=true): that builds the program
    // from the file on disk, not from each case's code.
    parserOptions: { project: './tsconfig.json', tsconfigRootDir: fixtures, disallowAutomaticSingleRunInference: true },
  },
});

const rule = (name: string) => {
  const r = plugin.rules[name];
  if (r === undefined) throw new Error(`no rule ${name}`);
  return r;
};

const header = "import { asyncGenerator, createTask, getRunningLoop, run, sleep, type Coroutine } from 'yieldio';\n";
const floating = (text: string) => ({
  messageId: 'floating',
  data: { text },
});

tester.run('no-floating-coroutine', rule('no-floating-coroutine'), {
  valid: [
    { filename, code: `${header}export function* main(): Coroutine<void> { yield* sleep(10); }` },
    { filename, code: `${header}void sleep(10);` },
    { filename, code: `${header}createTask(sleep(10));` },
    { filename, code: `${header}export const pending = sleep(1);` },
    { filename, code: `${header}function* numbers() { yield 1; }\nnumbers();` },
    { filename, code: `${header}[1, 2].map(function* (x): Coroutine<void> { yield* sleep(x); }).length;` },
    { filename, code: `${header}getRunningLoop().callSoon(() => {});` },
    { filename, code: `${header}export async function f() { await run(function* () { yield* sleep(1); }); }` },
  ],
  invalid: [
    { filename, code: `${header}sleep(10);`, errors: [{ ...floating('sleep(10)'), line: 2, column: 1, suggestions: [] }] },
    {
      filename,
      code: `${header}export function* main(): Coroutine<void> {\n  sleep(10);\n}`,
      errors: [
        {
          ...floating('sleep(10)'),
          line: 3,
          suggestions: [{ messageId: 'addYieldStar', data: { text: 'sleep(10)' }, output: `${header}export function* main(): Coroutine<void> {\n  yield* sleep(10);\n}` }],
        },
      ],
    },
    {
      filename,
      code: `${header}function* save(): Coroutine<void> { yield* sleep(1); }\nexport function later(ok: boolean) { ok ? save() : undefined; }`,
      errors: [{ ...floating('save()'), line: 3, suggestions: [] }],
    },
    {
      filename,
      code: `${header}[1, 2].forEach(function* (x) { yield* sleep(x); });`,
      errors: [{ messageId: 'callback', data: { callee: '[1, 2].forEach' }, line: 2, column: 16 }],
    },
    {
      filename,
      code: `${header}function* save(): Coroutine<void> { yield* sleep(1); }\n[1, 2].forEach(save);`,
      errors: [{ messageId: 'callback', data: { callee: '[1, 2].forEach' }, line: 3 }],
    },
    {
      filename,
      code: `${header}const ticks = asyncGenerator(function* ticks() { yield 1; });\nticks();`,
      errors: [{ messageId: 'asyncGen', data: { text: 'ticks()' }, line: 3 }],
    },
  ],
});

tester.run('no-yield-without-star', rule('no-yield-without-star'), {
  valid: [
    { filename, code: `${header}export function* main(): Coroutine<void> { yield* sleep(1); }` },
    { filename, code: `${header}export const values = asyncGenerator(function* values() { yield* sleep(1); yield 1; });` },
    { filename, code: `${header}export function* numbers() { yield 1; yield 'two'; }` },
  ],
  invalid: [
    {
      filename,
      code: `${header}export function* untyped() { yield getRunningLoop().createFuture<number>(); }`,
      errors: [
        {
          messageId: 'noStar',
          data: { type: 'Future<number>', text: 'getRunningLoop().createFuture<number>()' },
          suggestions: [
            {
              messageId: 'addStar',
              data: { text: 'getRunningLoop().createFuture<number>()' },
              output: `${header}export function* untyped() { yield* getRunningLoop().createFuture<number>(); }`,
            },
          ],
        },
      ],
    },
    {
      filename,
      code: `${header}export const values = asyncGenerator(function* values() { const t = createTask(sleep(1)); yield t; });`,
      errors: [
        {
          messageId: 'noStar',
          data: { type: 'Task<void>', text: 't' },
          suggestions: [
            {
              messageId: 'addStar',
              data: { text: 't' },
              output: `${header}export const values = asyncGenerator(function* values() { const t = createTask(sleep(1)); yield* t; });`,
            },
          ],
        },
      ],
    },
    {
      filename,
      code: `${header}export function* plain() { yield sleep(5); }`,
      errors: [{ messageId: 'noStar', data: { type: 'Coroutine<void>', text: 'sleep(5)' }, suggestions: 1 }],
    },
  ],
});

tester.run('require-export-jsdoc', rule('require-export-jsdoc'), {
  valid: [
    { filename, code: '/** Does f. */\nexport function f(): void {}' },
    { filename, code: '/** Overloads: the first one carries it. */\nexport function f(a: string): void;\nexport function f(a: number): void;\nexport function f(_a: unknown): void {}' },
    { filename, code: '/** A class. */\n// a line comment between is fine\nexport class A {}' },
    { filename, code: 'export type X = 1;\nexport interface Y { y: 1 }' },
  ],
  invalid: [
    { filename, code: 'export const x = 1;', errors: [{ messageId: 'missing', data: { name: 'x' } }] },
    { filename, code: '// only a line comment\nexport class A {}', errors: [{ messageId: 'missing', data: { name: 'A' } }] },
    { filename, code: '/* not JSDoc */\nexport function* g() {}', errors: [{ messageId: 'missing', data: { name: 'g' } }] },
  ],
});

describe('the plugin', () => {
  it('configs.recommended registers itself as `yieldio` and turns on the two user rules for TypeScript files', () => {
    assert.equal(plugin.configs.recommended.plugins?.yieldio, plugin);
    assert.deepEqual(plugin.configs.recommended.files, ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts']);
    assert.deepEqual(plugin.configs.recommended.rules, { 'yieldio/no-floating-coroutine': 'error', 'yieldio/no-yield-without-star': 'error' });
  });

  it('a rule without type information says how to turn it on', () => {
    const linter = new Linter();
    assert.throws(
      () => linter.verify('sleep(1);', [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { yieldio: plugin }, rules: { 'yieldio/no-floating-coroutine': 'error' } }], 'x.ts'),
      /yieldio\/no-floating-coroutine needs type information and got none for x\.ts: parse with typescript-eslint and set languageOptions\.parserOptions\.projectService: true/,
    );
  });
});
