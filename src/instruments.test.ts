import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventLoop } from './base-events.ts';
import { getRunningLoop } from './events.ts';
import { createTask, currentTask, sleep, type Task } from './tasks.ts';
import { runSync } from './runners.ts';
import type { ExceptionContext } from './base-events.ts';
import type { Coroutine } from './types.ts';

function* child(): Coroutine<string> {
  yield* sleep(10);
  return 'ok';
}

describe('instruments', () => {
  test('hooks see spawn, each step, exit and idling in order, with currentTask() set inside step hooks', () => {
    const events: string[] = [];
    runSync(function* () {
      const loop = getRunningLoop();
      loop.addInstrument({
        taskSpawned: (t) => events.push(`spawned ${t.getName()}`),
        beforeTaskStep: (t) => {
          assert.equal(currentTask(), t);
          events.push(`before ${t.getName()}`);
        },
        afterTaskStep: (t) => events.push(`after ${t.getName()}`),
        taskExited: (t) => events.push(`exited ${t.getName()} ${t.done()}`),
        beforeIdle: (timeout) => events.push(`idle ${timeout}`),
        afterIdle: () => events.push('awake'),
      });
      const t = createTask(child(), { name: 'c' });
      yield* t;
    });
    // The instrument is installed during main's first step, so main's own hooks start after it.
    const main = /^(before|after|exited) (Task-\d+)/.exec(events[8] ?? '')?.[2] ?? '?';
    assert.deepEqual(events, [
      'spawned c',
      'before c',
      'after c',
      'idle 10',
      'awake',
      'before c',
      'after c',
      'exited c true',
      `before ${main}`,
      `after ${main}`,
      `exited ${main} true`,
    ]);
  });

  test('a hook that throws is removed and reported, and the task is not disturbed', () => {
    const reports: ExceptionContext[] = [];
    const result = runSync(function* () {
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop, context) => reports.push(context));
      let calls = 0;
      loop.addInstrument({
        beforeTaskStep: () => {
          calls++;
          throw new Error('broken hook');
        },
      });
      yield* sleep(0);
      yield* sleep(0);
      return calls;
    });
    assert.equal(result, 1);
    assert.equal(reports.length, 1);
    assert.equal(reports[0]?.message, 'Instrument has been disabled: its beforeTaskStep hook raised');
    assert.equal((reports[0]?.exception as Error).message, 'broken hook');
  });

  test('removeInstrument stops the hooks; removing one not installed is a RangeError', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const steps: string[] = [];
    const instrument = { beforeTaskStep: (t: Task<unknown>) => steps.push(t.getName()) };
    loop.addInstrument(instrument);
    loop.runUntilCompleteSync(loop.createTask(child(), { name: 'one' }));
    loop.removeInstrument(instrument);
    assert.equal(loop._instruments, null);
    loop.runUntilCompleteSync(loop.createTask(child(), { name: 'two' }));
    assert.deepEqual(steps, ['one', 'one']);
    assert.throws(() => loop.removeInstrument(instrument), {
      name: 'RangeError',
      message: 'removeInstrument(): that instrument is not installed on this loop',
    });
    loop.close();
  });

  test('an object without hooks is a TypeError naming the hooks', () => {
    const loop = new EventLoop();
    assert.throws(() => loop.addInstrument({} as never), {
      name: 'TypeError',
      message:
        'Expected `instrument` to be an object with at least one hook (taskSpawned, beforeTaskStep, afterTaskStep, taskExited, beforeIdle, afterIdle, taskScheduled, timerArmed, timerDue), got [object Object]',
    });
    loop.close();
  });
});
