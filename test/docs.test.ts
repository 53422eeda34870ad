/**
 * The API reference as `npm run docs` builds it (typedoc.json, scripts/typedoc-plugin.mjs): no
 * warnings (treatWarningsAsErrors), modules named as users import them, no internals, one title,
 * the README's links resolved.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let out = '';
let log = '';

before(() => {
  out = mkdtempSync(join(tmpdir(), 'yieldio-docs-test-'));
  const result = spawnSync(join(root, 'node_modules/.bin/typedoc'), ['--out', out], { cwd: root, encoding: 'utf8' });
  log = `${result.stdout}\n${result.stderr}`;
  assert.equal(result.status, 0, `typedoc failed:\n${log}`);
});

after(() => {
  if (out !== '') rmSync(out, { recursive: true, force: true });
});

const page = (path: string): string => readFileSync(join(out, path), 'utf8');
const pages = (): string[] => readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.html'));

test('typedoc reports no warning', () => {
  assert.doesNotMatch(log, /\[warning\]/);
});

test('modules are named yieldio, yieldio/node, yieldio/testing', () => {
  for (const [file, name] of [['yieldio', 'yieldio'], ['yieldio_node', 'yieldio/node'], ['yieldio_testing', 'yieldio/testing']]) {
    assert.ok(existsSync(join(out, 'modules', `${file}.html`)), `no modules/${file}.html`);
    assert.match(page(`modules/${file}.html`), new RegExp(`<h1>Module ${name}</h1>`));
  }
  assert.ok(!existsSync(join(out, 'modules', 'index.html')));
});

test('the front page has one title (the README\'s own "# yieldio" is not repeated)', () => {
  assert.equal(page('index.html').match(/<h1[^>]*>/g)?.length, 1);
});

test('a Task page lists its asyncio methods, no _-prefixed field, and no implementation notes', () => {
  const task = page('classes/yieldio.Task.html');
  assert.doesNotMatch(task, /id="_/);
  for (const method of ['cancel', 'done', 'result', 'getCoro']) assert.match(task, new RegExp(`id="${method.toLowerCase()}"`));
  const leaks = pages().filter((p) => /<code>_[A-Za-z]|`_[A-Za-z]/.test(page(p)));
  assert.deepEqual(leaks, [], 'pages that still show an internal name in a code span');
});

test("the README's links resolve: files are copied, no bare file name became a web link", () => {
  const index = page('index.html');
  assert.match(index, /href="media\/BENCHMARKS\.md"/);
  assert.doesNotMatch(index, /href="http:\/\/[^"]*\.md"/);
  for (const [, anchor] of index.matchAll(/href="#([^"]+)"/g)) assert.match(index, new RegExp(`id="${anchor}"`), `#${anchor} has no target`);
});
