/**
 * The "never retrieved" path at scale, in a child `node --expose-gc` (test/programs/unretrieved-flood.ts):
 * fire-and-forget tasks that each throw an Error, in waves, inside one long-running `run()`.
 * - No leak: once the waves are collected the heap is back within a few MB of the baseline
 *   (before the fix every failed task stayed reachable through its Error's unformatted stack:
 *   ~1.6 GB per 1M tasks, and no report ever ran).
 * - Every failure is reported, through the GC path while the loop still runs, and none again
 *   when run() closes the loop.
 * Sized for 2 shared cores: 100,000 tasks in waves of 10,000 by default (the issue asks for 1M;
 * a full 1M run takes ~10x as long: set YIELDIO_FLOOD_TOTAL=1000000 to run it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const program = fileURLToPath(new URL('../programs/unretrieved-flood.ts', import.meta.url));
const total = Number(process.env['YIELDIO_FLOOD_TOTAL'] ?? 100_000);
const wave = Math.max(1, Math.min(20_000, Math.floor(total / 10)));

interface Outcome {
  total: number;
  growthMB: number;
  duringRun: number;
  afterClose: number;
  wrong: number;
}

test(`${total} failing fire-and-forget tasks: all reported once, and the heap returns to its baseline`, async () => {
  const out = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=512', '--import', 'tsx', program, String(total), String(wave)],
      { encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
  const outcome = JSON.parse(out.trim().split('\n').pop() as string) as Outcome;
  assert.equal(outcome.wrong, 0, 'only "Task exception was never retrieved" reports');
  assert.equal(outcome.duringRun, total, 'every failure reported by the GC path while the loop runs');
  assert.equal(outcome.afterClose, total, 'none reported twice when run() closes the loop');
  assert.ok(outcome.growthMB < 8, `heap grew by ${outcome.growthMB.toFixed(1)} MB over the baseline`);
});
