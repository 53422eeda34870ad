// The repository's ESLint config (eslint.config.js) enforces the house rules scripts/lint.ts used
// to check by regex: each is shown failing on a snippet linted as a real file of the project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const root = new URL('..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

async function messages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).map((m) => `${m.line}: ${m.ruleId}: ${m.message}`);
}

test('only src/node/ may import node: modules, statically or dynamically', async () => {
  const code = "/** x */\nexport { readFileSync } from 'node:fs';\nimport { join } from 'node:path';\n/** y */\nexport const j = join;\n/** z */\nexport const os = import('node:os');\n";
  assert.deepEqual(await messages('src/futures.ts', code), [
    '2: no-restricted-imports: \'node:fs\' import is restricted from being used by a pattern. only src/node/ may import node: modules (the yieldio entry must run in browsers, Deno and Bun)',
    '3: no-restricted-imports: \'node:path\' import is restricted from being used by a pattern. only src/node/ may import node: modules (the yieldio entry must run in browsers, Deno and Bun)',
    '7: no-restricted-syntax: only src/node/ may import node: modules (the yieldio entry must run in browsers, Deno and Bun)',
  ]);
  assert.deepEqual(await messages('src/node/streams.ts', "import { join } from 'node:path';\n/** y */\nexport const j = join;\n"), []);
});

test('no focused test (.only)', async () => {
  const code = "import { test, describe } from 'node:test';\ntest.only('a', () => {});\ndescribe.only('b', () => {});\ntest('c', () => {});\n";
  assert.deepEqual(await messages('src/futures.test.ts', code), [
    '2: no-restricted-syntax: focused test (.only) hides the rest of the suite',
    '3: no-restricted-syntax: focused test (.only) hides the rest of the suite',
  ]);
});

test('every export in src/ (not tests, not internal/) has JSDoc', async () => {
  const code = '/** Documented. */\nexport function a(): void {}\nexport const b = 1;\n';
  assert.deepEqual(await messages('src/futures.ts', code), [
    '3: yieldio/require-export-jsdoc: export without JSDoc: `b` needs a /** ... */ block saying what it does and its asyncio counterpart.',
  ]);
  assert.deepEqual(await messages('src/internal/deque.ts', 'export const b = 1;\n'), []);
});

test('the yieldio rules run on the project code', async () => {
  const code = "import { sleep } from './tasks.ts';\nimport type { Coroutine } from './types.ts';\n/** Forgets the star. */\nexport function* f(): Coroutine<void> {\n  sleep(1);\n}\n";
  const found = await messages('src/futures.ts', code);
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0] ?? '', /^5: yieldio\/no-floating-coroutine: This coroutine is created and dropped/);
});
