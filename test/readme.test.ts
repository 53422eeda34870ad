// The README's example is examples/readme.ts, verbatim, and it prints what the README says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');

function block(after: string, lang: string): string {
  const start = readme.indexOf(after);
  assert.ok(start >= 0, `README has no "${after}" section`);
  const open = readme.indexOf('```' + lang + '\n', start);
  const close = readme.indexOf('\n```', open + 4);
  return readme.slice(open + lang.length + 4, close + 1);
}

test('the README example is examples/readme.ts', () => {
  assert.equal(block('## Example', 'ts'), readFileSync(`${root}examples/readme.ts`, 'utf8'));
});

test('the README example runs as written and prints the output the README shows', () => {
  // Users import 'yieldio'; here that is the source tree (dist/ is not built in the test run).
  const source = readFileSync(`${root}examples/readme.ts`, 'utf8').replace("from 'yieldio'", "from '../src/index.ts'");
  const file = `${root}examples/.readme-run.ts`;
  writeFileSync(file, source);
  try {
    const result = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, block('## Example', 'text'));
  } finally {
    rmSync(file, { force: true });
  }
});

test('the README lists the two set-up commands, and package.json has both scripts', () => {
  assert.match(readme, /npm install && npm start/);
  assert.match(readme, /npm install && npm test/);
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> };
  assert.ok(pkg.scripts['start'] && pkg.scripts['test']);
});

test("the README's asyncio table names every public runtime export of the three entry points", async () => {
  const entries = [await import('../src/index.ts'), await import('../src/testing/index.ts'), await import('../src/node/index.ts')];
  const missing = entries.flatMap((m) => Object.keys(m)).filter((name) => !new RegExp(`\\b${name}\\b`).test(readme));
  assert.deepEqual(missing, []);
});
