/**
 * Memory per suspended task (issue #12): a child process under --expose-gc makes 100,000 tasks
 * that each sleep, and counts the heap bytes they keep live (the Task, its generator, the sleep
 * trap and its timer entry). Fails above the budget. Bytes, not time: immune to machine load.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

// Measured at 100,000 tasks on Node 20 (64-bit, no pointer compression): 549 B before the object diet,
// 473 B after its first round (the sleep trap as its own timer entry, result and exception in one
// slot), 353 B after the second (Future's booleans in one `_flags`, one done-callback field, one
// `_extra` slot; the Task's step value, modes and cancel count folded into those, `_futWaiter` +
// `_sleep` in one field; the sleep trap down to six fields), 336 B after the third (the sleep trap
// down to four: the heap keeps the tie-breaker, the return value shares the task's slot), 348 B
// once the coroutine claim became a private field stamped on the generator when the task is made
// (it fits V8's in-object slack: ~8 B; stamped at the first step it took a 40 B property array).
// The WeakSet it replaced cost ~40 B per live entry, but this test never saw it: its first round
// grew the table before the baseline. The budget is the measure plus ~10% for GC noise and V8
// versions. The target is 250 B (what is left: Task 120 B, sleep trap 56 B, the generator
// and its register file ~160 B).
const BUDGET_BYTES = 385;

function measure(tasks: number): number {
  const child = new URL('./task-bytes.child.ts', import.meta.url).pathname;
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', child, String(tasks)], { encoding: 'utf8' });
  const line = out.trim().split('\n').pop() as string;
  return (JSON.parse(line) as { bytesPerTask: number }).bytesPerTask;
}

test(`a suspended task with one pending sleep keeps at most ${BUDGET_BYTES} bytes live`, () => {
  const bytes = measure(100_000);
  console.log(`bytes per suspended task: ${bytes.toFixed(1)} (budget ${BUDGET_BYTES})`);
  assert.ok(bytes > 0, `the measurement must see the tasks (got ${bytes} B): is the child still keeping them alive?`);
  assert.ok(bytes <= BUDGET_BYTES, `${bytes.toFixed(1)} B per suspended task, over the budget of ${BUDGET_BYTES} B: a field or an allocation per task/sleep crept in`);
});
