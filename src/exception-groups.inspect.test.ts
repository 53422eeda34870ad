import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ExceptionGroup } from './exception-groups.ts';
import { runSync } from './runners.ts';
import { taskGroup } from './taskgroups.ts';
import type { Coroutine } from './types.ts';

function* bad(n: number): Coroutine<never> {
  throw new TypeError(`bad ${n}`);
}

function taskGroupFailure(debug: boolean): ExceptionGroup {
  try {
    runSync(
      () =>
        taskGroup(function* (tg) {
          tg.createTask(bad(1), { name: 'one' });
          tg.createTask(bad(2), { name: 'two' });
        }),
      { debug },
    );
  } catch (error) {
    assert.ok(error instanceof ExceptionGroup);
    return error;
  }
  assert.fail('the TaskGroup did not fail');
}

describe('ExceptionGroup inspect (console.log, util.inspect)', () => {
  test("prints Python's tree: the count, a branch per member named by its child task, each member once", () => {
    const text = inspect(taskGroupFailure(false));
    const lines = text.split('\n');
    assert.equal(lines[0], 'ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)');
    const branches = lines.filter((l) => /^ {2}\+-\+-|^ {4}\+-/.test(l));
    assert.deepEqual(branches, [
      "  +-+---------------- 1 (Task 'one') ----------------",
      "    +---------------- 2 (Task 'two') ----------------",
      '    +------------------------------------',
    ]);
    assert.ok(lines.includes('    | TypeError: bad 1'), text);
    assert.ok(lines.includes('    | TypeError: bad 2'), text);
    // AggregateError's default shows members twice (`exceptions` and `[errors]`): once here.
    assert.equal(text.split('bad 1').length - 1, 1, text);
    assert.doesNotMatch(text, /\[errors\]|exceptions: \[/);
    // The user's frame stays; yieldio's (Task._step, EventLoop._runSome, ...) fold into one marker.
    assert.ok(lines.some((l) => /^ {4}\| {5}at bad \(.*exception-groups\.inspect\.test\.ts:\d+:\d+\)$/.test(l)), text);
    assert.doesNotMatch(text, /Task\._step|_runSome|Runner\.runSync/);
    assert.match(text, /\| {5}at <yieldio loop> \(\d+ frames hidden; debug mode shows them\)/);
    // Above the branches, the task the group came out of (the TaskGroup's parent: run's main task).
    const chain = lines.findIndex((l) => /^ {4}in Task 'Task-\d+'$/.test(l));
    assert.ok(chain > 0 && chain < lines.findIndex((l) => l.startsWith('  +-+')), text);
  });

  test('nested groups nest their branches; a cause is shown once', () => {
    const group = new ExceptionGroup('outer', [new ExceptionGroup('inner', [new Error('x')]), new RangeError('y')], { cause: new Error('why') });
    const lines = inspect(group).split('\n');
    assert.equal(lines[0], 'ExceptionGroup: outer (2 sub-exceptions)');
    assert.ok(lines.includes('    | ExceptionGroup: inner (1 sub-exception)'));
    assert.ok(lines.includes('    |   +-+---------------- 1 ----------------'));
    assert.ok(lines.includes('    |     | Error: x'));
    assert.ok(lines.includes('    |     +------------------------------------'));
    assert.ok(lines.includes('    +---------------- 2 ----------------'));
    assert.ok(lines.includes('    | RangeError: y'));
    assert.equal(lines.filter((l) => l.includes('[cause]: Error: why')).length, 1);
  });

  // Last: a debug loop turns frame tracking on for the rest of the process.
  test('in debug mode every frame is shown', () => {
    const text = inspect(taskGroupFailure(true));
    assert.match(text, /Task\._step/);
    assert.doesNotMatch(text, /frames hidden/);
  });
});
