// The stuck-run report: what the RuntimeError says when nothing could ever wake the loop. The
// host-exit detection itself runs end to end in test/node/stuck-run.test.ts (real child programs).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventLoop } from './base-events.ts';
import { RuntimeError } from './exceptions.ts';
import { isStuckLoopError, stuckError } from './stuck-run.ts';
import type { Coroutine } from './types.ts';

const HEAD = 'no callback is ready, no timer is scheduled, and the host has nothing left that could call back (it is about to exit); asyncio would block forever here. ';
const FIX = '\nFix: make sure something sets the Event, resolves the Future or settles the Promise each task waits on, or bound the wait with timeout().';

function loopWithWaiter(): { loop: EventLoop; task: ReturnType<EventLoop['createTask']> } {
  const loop = new EventLoop({ clock: 'virtual' });
  const never = loop.createFuture();
  function* waiter(): Coroutine<void> {
    yield* never;
  }
  const task = loop.createTask(waiter(), { name: 'waiter' });
  loop.runOnce(); // the task now waits on `never`
  return { loop, task };
}

describe('stuckError', () => {
  test('names the task that can never finish and lists the pending tasks with what each awaits', () => {
    const { loop, task } = loopWithWaiter();
    const error = stuckError(loop, task);
    assert.ok(error instanceof RuntimeError);
    assert.equal(
      error.message,
      `Event loop is stuck: Task 'waiter' can never finish: ${HEAD}Pending tasks:\n` +
        "  <Task pending name='waiter' coro=<coroutine> wait_for=<Future pending cb=[Task.task_wakeup()]>>" +
        FIX,
    );
  });

  test('runForever (no future): says nothing could ever call stop()', () => {
    const { loop } = loopWithWaiter();
    assert.match(stuckError(loop, null).message, /^Event loop is stuck: runForever\(\) cannot go on: nothing could ever call stop\(\): no callback is ready/);
  });

  test('a plain Future with no task pending: its repr, and "No task is pending."', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    assert.equal(stuckError(loop, loop.createFuture()).message, `Event loop is stuck: <Future pending> can never finish: ${HEAD}No task is pending.${FIX}`);
  });

  test('the Runner\'s describer (the call graph) replaces the task list; the host-exit flag is reset', () => {
    const { loop, task } = loopWithWaiter();
    loop._describeStuck = (l) => `described ${l._tasks.size} task`;
    loop._hostExiting = true;
    assert.match(stuckError(loop, task).message, /asyncio would block forever here\. described 1 task\nFix: /);
    assert.equal(loop._hostExiting, false);
  });
});

test('isStuckLoopError tells the stuck-loop error from any other error, even an equal-looking one', () => {
  const { loop, task } = loopWithWaiter();
  const error = stuckError(loop, task);
  assert.equal(isStuckLoopError(error), true);
  assert.equal(isStuckLoopError(new RuntimeError(error.message)), false);
  assert.equal(isStuckLoopError(null), false);
  assert.equal(isStuckLoopError('Event loop is stuck'), false);
});
