/**
 * A `run()` that can never finish fails loudly instead of exiting 0 (issue #10 §2): real child
 * programs (test/programs/stuck-run.ts). When the loop is idle with no timer and Node has nothing
 * left that could call back ('beforeExit'), run() / runMain() cancel the stuck tasks (their
 * finally blocks run) and reject with a RuntimeError that names each task and what it awaits;
 * the uncaught rejection makes Node exit with status 1.
 * CPython 3.13 (`asyncio.run(main())` with main awaiting an Event nobody sets) blocks forever
 * instead: the one deliberate difference, documented in the README.
 * Before this, the same programs printed nothing and exited 0 (13 under top-level await).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const program = fileURLToPath(new URL('../programs/stuck-run.ts', import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runProgram(mode: string): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', program, mode], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

/** The error's message, as Node prints it for an uncaught rejection (without the stack frames). */
function errorText(stderr: string): string {
  const start = stderr.indexOf('RuntimeError: ');
  assert.ok(start >= 0, `no RuntimeError on stderr:\n${stderr}`);
  return stderr
    .slice(start)
    .split('\n')
    .filter((line) => !/^ {4}at /.test(line))
    .join('\n')
    .replace(/\n+Node\.js v[\d.]+\n*$/, '');
}

/** `actual` equals `expected`, except that a pending Future's repr may carry more (`cb=[...]`). */
function assertText(actual: string, expected: string): void {
  const pattern = expected
    .split('<Future pending>')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('<Future pending[^\n]*>');
  assert.match(actual, new RegExp(`^${pattern}$`));
}

const FIX = 'Fix: make sure something sets the Event, resolves the Future or settles the Promise each task waits on, or bound the wait with timeout().';
const HEAD =
  "RuntimeError: Event loop is stuck: Task 'Task-1' can never finish: no callback is ready, no timer is scheduled, and the host has " +
  'nothing left that could call back (it is about to exit); asyncio would block forever here. ';
const WORKER_GRAPH = [
  'These tasks wait forever (the runner cancels them, so their finally blocks run):',
  "  * Task(name='Task-1', state=pending)",
  '    + Awaiting:',
  "    |   Task(name='worker', state=pending)",
  '    |   Event.wait() on <Event [unset, waiters:1]>',
  "  * Task(name='worker', state=pending)",
  '    + Awaiting:',
  '    |   Event.wait() on <Event [unset, waiters:1]>',
].join('\n');
const MAIN_GRAPH = [
  'This task waits forever (the runner cancels it, so its finally blocks run):',
  "  * Task(name='Task-1', state=pending)",
  '    + Awaiting:',
  '    |   <Future pending>',
].join('\n');

for (const mode of ['event', 'runMain']) {
  test(`${mode === 'event' ? 'run()' : 'runMain()'}: main awaits a task stuck on an Event nobody sets: finally blocks run, exit 1, the call graph on stderr`, async () => {
    const { code, stdout, stderr } = await runProgram(mode);
    assert.equal(code, 1, stderr);
    assert.equal(stdout, 'worker finally\nmain finally\n');
    assertText(errorText(stderr), `${HEAD}${WORKER_GRAPH}\n${FIX}`);
  });
}

for (const mode of ['future', 'promise']) {
  test(`run(): main awaits ${mode === 'future' ? 'a Future nobody resolves' : 'fromPromise() of a Promise that never settles'}: exit 1, named`, async () => {
    const { code, stdout, stderr } = await runProgram(mode);
    assert.equal(code, 1, stderr);
    assert.equal(stdout, 'main finally\n');
    assertText(errorText(stderr), `${HEAD}${MAIN_GRAPH}\n${FIX}`);
  });
}

for (const mode of ['sleep', 'virtual']) {
  test(`run(): main sleeps Infinity on the ${mode === 'sleep' ? 'real' : 'virtual'} clock: a timer that never fires cannot wake it either`, async () => {
    const { code, stdout, stderr } = await runProgram(mode);
    assert.equal(code, 1, stderr);
    assert.equal(stdout, 'main finally\n');
    assertText(errorText(stderr), `${HEAD}${MAIN_GRAPH.replace('<Future pending>', 'sleep(Infinity)')}\n${FIX}`);
  });
}

test('loop.runUntilComplete() without a Runner: rejects naming the pending tasks by repr, and leaves them pending', async () => {
  const { code, stdout, stderr } = await runProgram('loop');
  assert.equal(code, 1, stderr);
  assert.equal(stdout, 'task done: false\n');
  assertText(
    errorText(stderr).replace(/coro=<[^>]*>/g, 'coro=<...>'),
    "RuntimeError: Event loop is stuck: Task 'worker' can never finish: no callback is ready, no timer is scheduled, and the host has " +
      'nothing left that could call back (it is about to exit); asyncio would block forever here. Pending tasks:\n' +
      // runUntilComplete's done callback shows as cb=[stopLoop()] (asyncio: cb=[_run_until_complete_cb() at ...]).
      `  <Task pending name='worker' coro=<...> wait_for=<Future pending> cb=[stopLoop()]>\n${FIX}`,
  );
});

test('runForever() with nothing scheduled and nothing that could call stop(): rejects, exit 1', async () => {
  const { code, stdout, stderr } = await runProgram('runForever');
  assert.equal(code, 1, stderr);
  assert.equal(stdout, '');
  assert.equal(
    errorText(stderr),
    'RuntimeError: Event loop is stuck: runForever() cannot go on: nothing could ever call stop(): no callback is ready, no timer is ' +
      'scheduled, and the host has nothing left that could call back (it is about to exit); asyncio would block forever here. ' +
      `No task is pending.\n${FIX}`,
  );
});

test('a finally block that swallows every cancellation: the stuck shutdown is reported, the tasks reported destroyed, exit 1', async () => {
  const { code, stdout, stderr } = await runProgram('stubborn');
  assert.equal(code, 1, stderr);
  assert.equal(stdout, 'main finally\ncancellation 1 swallowed\n');
  assert.match(stderr, /^run\(\) shutdown cannot finish\nRuntimeError: Event loop is stuck: Task 'Task-2' can never finish/);
  // Task-1 was cancelled and swallowed it: asyncio's repr says `cancelling`.
  assert.match(stderr, /Task was destroyed but it is pending!\ntask: <Task cancelling name='Task-1'/);
  assertText(
    errorText(stderr.slice(stderr.lastIndexOf('RuntimeError: Event loop is stuck'))),
    `${HEAD}${MAIN_GRAPH.replace('<Future pending>', 'Event.wait() on <Event [unset, waiters:1]>')}\n${FIX}`,
  );
});

test('not stuck: a plain host timer (no yieldio handle) that sets the Event later still wakes run()', async () => {
  const { code, stdout, stderr } = await runProgram('host');
  assert.equal(code, 0, stderr);
  assert.equal(stdout, 'worker finally\nmain returns\nmain finally\nafter run\n');
  assert.equal(stderr, '');
});
