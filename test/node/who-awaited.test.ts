/**
 * What a user sees when a task fails: the tasks the error left, and no yieldio frames outside
 * debug mode (issue #14). Real child programs (test/programs/who-awaited.ts); the text on stderr
 * is what Node's unhandled-rejection report, `console.error(err.stack)` after runSync, and the
 * default exception handler print. (CPython has no such line: a Python traceback names frames,
 * not tasks; the report's first lines still follow asyncio's, see unretrieved-report.test.ts.)
 * CPython 3.13's twins (the same three coroutines; `asyncio.run(main(), debug=True)`):
 * - awaited through gather, the traceback runs from `<module>` through asyncio's own frames
 *   (runners.py run, base_events.py run_until_complete: asyncio hides none) to main, service_api,
 *   handle: `ValueError: upstream refused`.
 * - fire-and-forget, debug mode: "Task exception was never retrieved", `future: <Task finished
 *   name='service-api' coro=<service_api() done, defined at twin.py:5> exception=ValueError(...)
 *   created at .../asyncio/tasks.py:410>`, then `source_traceback: Object created at (most recent
 *   call last):` with the full creation stack, then the traceback. yieldio names the first user
 *   frame of that stack in the chain line instead (`created at who-awaited.ts:27`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const program = fileURLToPath(new URL('../programs/who-awaited.ts', import.meta.url));

function runProgram(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', program, ...args], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

/** stderr from the error's first line on, with the program's path written as `PROGRAM`. */
function report(stderr: string, first: string): string[] {
  const lines = stderr.split(program).join('PROGRAM').trimEnd().split('\n');
  const start = lines.indexOf(first);
  assert.ok(start >= 0, `no ${JSON.stringify(first)} in:\n${stderr}`);
  // Node's own footer after an uncaught rejection.
  return lines.slice(start).filter((line) => line !== '' && !line.startsWith('Node.js v'));
}

const userFrames = ['    at handle (PROGRAM:17:9)', '    at serviceApi (PROGRAM:21:17)'];

for (const mode of ['run', 'runSync']) {
  test(`${mode}(): the rejection's stack names the task it left and its awaiter, without yieldio's frames`, async () => {
    const { code, stderr } = await runProgram(mode);
    assert.equal(code, 1, stderr);
    const lines = report(stderr, 'RangeError: upstream refused');
    assert.deepEqual(lines.slice(0, 5), [
      'RangeError: upstream refused',
      userFrames[0],
      '    at <yieldio loop> (1 frame hidden; debug mode shows them)',
      userFrames[1],
      lines[4]?.startsWith('    at <yieldio loop> (') ? lines[4] : '    at <yieldio loop> (N frames hidden; debug mode shows them)',
    ]);
    assert.equal(lines.at(-1), "    in Task 'service-api', awaited by Task 'main'");
    assert.doesNotMatch(stderr, /Task\._step|Task\._run|EventLoop\._runSome|\/src\//);
  });

  test(`${mode}() in debug mode: every frame kept, and the chain says how each task awaited and where it was created`, async () => {
    const { code, stderr } = await runProgram(mode, 'debug');
    assert.equal(code, 1, stderr);
    const lines = report(stderr, 'RangeError: upstream refused');
    assert.deepEqual(lines.slice(0, 5), ['RangeError: upstream refused', userFrames[0], '    at handle.next (<anonymous>)', userFrames[1], '    at serviceApi.next (<anonymous>)']);
    assert.match(stderr, /at Task\._run \(.*\/src\/tasks\.ts:\d+:\d+\)/);
    assert.match(stderr, /at EventLoop\._runSome \(.*\/src\/base-events\.ts:\d+:\d+\)/);
    assert.doesNotMatch(stderr, /yieldio loop/);
    assert.equal(lines.at(-1), `    in Task 'service-api' (created at who-awaited.ts:31), awaited by gather in Task 'main' (created at who-awaited.ts:${mode === 'run' ? 42 : 36})`);
  });
}

test('"Task exception was never retrieved": the report names the task the error left', async () => {
  const { code, stderr } = await runProgram('forgotten');
  assert.equal(code, 0, stderr);
  const lines = report(stderr, 'Task exception was never retrieved');
  assert.equal(lines[1], "future: <Task finished name='service-api' coro=<coroutine> exception=RangeError('upstream refused')>");
  assert.deepEqual(lines.slice(2, 6), ['RangeError: upstream refused', userFrames[0], '    at <yieldio loop> (1 frame hidden; debug mode shows them)', userFrames[1]]);
  assert.equal(lines.at(-1), "    in Task 'service-api'");
  assert.doesNotMatch(stderr, /Task\._run|Task\._step|\/src\//);
});

test('"Task exception was never retrieved" in debug mode: the creation site, and every frame', async () => {
  const { code, stderr } = await runProgram('forgotten', 'debug');
  assert.equal(code, 0, stderr);
  const lines = report(stderr, 'Task exception was never retrieved');
  assert.equal(lines.at(-1), "    in Task 'service-api' (created at who-awaited.ts:27)");
  assert.match(stderr, /at Task\._run \(/);
});
