/**
 * What a user sees for a task exception nobody retrieved, with the default exception handler:
 * real child programs (test/programs/unretrieved-report.ts) under `run()` and `runSync()`.
 * CPython 3.13's twin (`asyncio.create_task(boom(), name='forgotten')`, main returns) prints on
 * stderr, exit status 0:
 *   Task exception was never retrieved
 *   future: <Task finished name='forgotten' coro=<boom() done, defined at rep.py:2> exception=ValueError('boom')>
 *   Traceback (most recent call last):
 *     File "rep.py", line 3, in boom
 *       raise ValueError('boom')
 *   ValueError: boom
 * yieldio prints the same three parts (message, `future: <repr>`, the error's stack) when the
 * loop closes, before run() returns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const program = fileURLToPath(new URL('../programs/unretrieved-report.ts', import.meta.url));

function runProgram(mode: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', program, mode], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

for (const mode of ['run', 'runSync']) {
  test(`${mode}(): a fire-and-forget task's exception is printed on stderr when the loop closes`, async () => {
    const { code, stdout, stderr } = await runProgram(mode);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'main returns\nafter run\n');
    const lines = stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'Task exception was never retrieved');
    // The coro part of the repr is the Task repr's business (coro=<coroutine> or the name).
    assert.match(lines[1] ?? '', /^future: <Task finished name='forgotten' coro=<[^>]*> exception=RangeError\('boom'\)>$/);
    assert.equal(lines[2], 'RangeError: boom');
    assert.match(lines[3] ?? '', /^ {4}at boom \(.*unretrieved-report\.ts:\d+:\d+\)$/);
    assert.equal(stderr.match(/never retrieved/g)?.length, 1, 'reported once');
  });
}
