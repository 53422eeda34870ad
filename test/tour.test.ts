import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { chapters } from '../tour/chapters.ts';
import { makeStyle, renderChapter, root, runChapter } from '../tour/tour.ts';
import { matchSnapshot } from './snapshot.ts';

describe('tour chapters: each file runs and prints what the reviewed snapshot says', () => {
  for (const chapter of chapters) {
    test(`§${chapter.section} ${chapter.title} (${chapter.file})`, async () => {
      const run = await runChapter(chapter);
      assert.equal(run.failed, false, `the chapter threw: ${String(run.error)}`);
      matchSnapshot(run.output, `tour/${basename(chapter.file, '.ts')}.txt`);
    });
  }
});

describe('tour structure', () => {
  test('chapters follow the article: section numbers never go backwards', () => {
    const numbers = chapters.map((c) => Number(c.section));
    assert.deepEqual([...numbers].sort((a, b) => a - b), numbers);
    assert.equal(numbers[0], 1);
  });

  test('every file under examples/tour is a chapter, and every chapter has an asyncio line', () => {
    const files = readdirSync(`${root}examples/tour`).filter((f) => f.endsWith('.ts')).map((f) => `examples/tour/${f}`).sort();
    assert.deepEqual(chapters.map((c) => c.file).sort(), files);
    for (const chapter of chapters) assert.notEqual(chapter.asyncio.trim(), '');
  });

  test('a rendered chapter shows the real source, the real output and the asyncio line, without color codes when plain', async () => {
    const chapter = chapters[1]!;
    const text = renderChapter(chapter, 1, await runChapter(chapter), makeStyle(false));
    assert.ok(text.startsWith(`§2  yield: the function that suspends (PEP 255)   [2/${chapters.length}]`));
    assert.ok(text.includes(' │ function* count(): Generator<number> {'));
    assert.ok(text.includes('── output (running it now) ─'));
    assert.ok(text.includes('demo: 10 11'));
    assert.ok(text.trimEnd().endsWith(chapter.asyncio));
    assert.equal(text.includes('\x1b['), false);
  });

  test('a chapter whose main() throws is reported as failed, with the error', async () => {
    const run = await runChapter({ section: '0', title: 'broken', file: 'test/fixtures/broken-chapter.ts', notes: [], asyncio: '-' });
    assert.equal(run.failed, true);
    assert.equal((run.error as Error).message, 'this chapter is broken on purpose');
    assert.equal(run.output, 'before the failure');
  });

  test('npm start -- --all without a TTY prints every chapter in order and exits 0', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'tour/main.ts', '--all'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(result.status, 0, result.stderr);
    let at = -1;
    for (const chapter of chapters) {
      const next = result.stdout.indexOf(`§${chapter.section}  ${chapter.title}`, at + 1);
      assert.ok(next > at, `chapter "${chapter.title}" missing or out of order`);
      at = next;
    }
    assert.equal(result.stdout.includes('\x1b['), false);
    assert.equal(result.stdout.includes('✖'), false);
  });
});
