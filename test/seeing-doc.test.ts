// docs/seeing-the-loop.md's example runs as written and prints the timeline the page shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const doc = readFileSync(`${root}docs/seeing-the-loop.md`, 'utf8');

function block(after: string, lang: string): string {
  const start = doc.indexOf(after);
  assert.ok(start >= 0, `the page has no "${after}"`);
  const open = doc.indexOf('```' + lang + '\n', start);
  const close = doc.indexOf('\n```', open + 4);
  return doc.slice(open + lang.length + 4, close + 1);
}

test('the "Recording a program" example prints the timeline shown', () => {
  const source = block('## Recording a program', 'ts').replace("from 'yieldio'", "from '../src/index.ts'");
  const file = `${root}test/.seeing-doc-run.ts`;
  writeFileSync(file, source);
  try {
    const result = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, block('\nprints', 'text'));
  } finally {
    rmSync(file, { force: true });
  }
});
