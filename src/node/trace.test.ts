import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import './index.ts'; // registers the trace file writer
import { runSync } from '../runners.ts';
import { createTask, sleep } from '../tasks.ts';

const nodeIndex = fileURLToPath(new URL('./index.ts', import.meta.url));

describe('trace files (yieldio/node)', () => {
  test("runSync(main, { trace: 'out.json' }) writes a Chrome trace; '.txt' writes the timeline", () => {
    const dir = mkdtempSync(join(tmpdir(), 'yieldio-seeing-trace-'));
    try {
      const main = function* () {
        yield* createTask(sleep(20), { name: 'napper' });
      };
      runSync(main, { trace: join(dir, 'out.json') });
      const trace = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { traceEvents: { name: string; ph: string; args?: { name?: string } }[] };
      const tracks = trace.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args?.name);
      assert.ok(tracks.includes("Task 'napper'"), String(tracks));
      assert.equal(trace.traceEvents.filter((e) => e.ph === 'X' && e.name === "Task 'napper'").length, 2);
      runSync(main, { trace: join(dir, 'out.txt') });
      const text = readFileSync(join(dir, 'out.txt'), 'utf8');
      assert.match(text, /^napper +█─+✓ 2 steps$/m);
      runSync(main, { trace: join(dir, 'out.html') });
      assert.match(readFileSync(join(dir, 'out.html'), 'utf8'), /^<!doctype html>[^]*napper/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('YIELDIO_TRACE=out.json traces a program that uses runMain, with no change to it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yieldio-seeing-env-'));
    try {
      const out = join(dir, 'env.json');
      const program = `
        import { runMain } from ${JSON.stringify(nodeIndex)};
        import { createTask, sleep } from ${JSON.stringify(fileURLToPath(new URL('../index.ts', import.meta.url)))};
        await runMain(function* () { yield* createTask(sleep(5), { name: 'child-task' }); });
        console.log('done');
      `;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
        env: { ...process.env, YIELDIO_TRACE: out },
        encoding: 'utf8',
      });
      assert.equal(child.status, 0, child.stderr);
      assert.equal(child.stdout.trim(), 'done');
      const trace = JSON.parse(readFileSync(out, 'utf8')) as { traceEvents: { name: string; args?: { name?: string } }[] };
      assert.ok(trace.traceEvents.some((e) => e.name === 'thread_name' && e.args?.name === "Task 'child-task'"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
