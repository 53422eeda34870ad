import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventLoop } from './base-events.ts';
import { TimerHandle, getRunningLoop } from './events.ts';
import { Task, createTask, currentTask, sleep } from './tasks.ts';
import { run, runSync } from './runners.ts';
import type { ExceptionContext } from './base-events.ts';
import type { ArmedTimer } from './instruments.ts';
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

  test('taskScheduled gets tasks only: a Future\'s done callbacks, scheduled when it finishes, are not tasks', () => {
    const seen: unknown[] = [];
    const calls: string[] = [];
    runSync(function* () {
      const loop = getRunningLoop();
      const fut = loop.createFuture<number>();
      fut.addDoneCallback(() => void calls.push('done callback'));
      const waiter = createTask(
        (function* () {
          return yield* fut;
        })(),
        { name: 'waiter' },
      );
      loop.addInstrument({ taskScheduled: (task) => void seen.push(task) });
      loop.callSoon(() => fut.setResult(7));
      assert.equal(yield* waiter, 7);
    });
    assert.deepEqual(calls, ['done callback']);
    assert.ok(seen.length > 0, 'the waiter was scheduled when the future finished');
    for (const entry of seen) assert.ok(entry instanceof Task, `taskScheduled got ${String(entry)}`);
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

describe('the idle hooks run inside the loop (regression: under runSync getRunningLoop() threw in them)', () => {
  function idleProbe(loop: () => EventLoop | null, seen: string[]): { beforeIdle(timeout: number): void; afterIdle(): void } {
    const check = (hook: string): void => {
      let running: EventLoop | null;
      try {
        running = getRunningLoop();
      } catch (error) {
        seen.push(`${hook}: ${(error as Error).message}`);
        return;
      }
      seen.push(`${hook}: ${running === loop() ? 'the loop' : 'another loop'}`);
    };
    return { beforeIdle: () => check('beforeIdle'), afterIdle: () => check('afterIdle') };
  }

  for (const clock of ['virtual', 'real'] as const) {
    test(`runSync (${clock} clock): getRunningLoop() in beforeIdle/afterIdle is the loop; after the run none is running`, () => {
      const seen: string[] = [];
      let loop: EventLoop | null = null;
      runSync(
        function* () {
          loop = getRunningLoop();
          loop.addInstrument(idleProbe(() => loop, seen));
          // A real clock's timer may already be due when the loop looks (a loaded machine): sleep until it idled.
          for (let i = 0; i < 100 && seen.length === 0; i++) yield* sleep(20);
        },
        { clock },
      );
      assert.deepEqual(seen.slice(0, 2), ['beforeIdle: the loop', 'afterIdle: the loop']);
      assert.ok(seen.every((entry) => entry.endsWith(': the loop')), seen.join('\n'));
      assert.throws(() => getRunningLoop(), { name: 'RuntimeError', message: 'no running event loop' });
    });

    test(`run (${clock} clock): the same for the asynchronous driver`, async () => {
      const seen: string[] = [];
      let loop: EventLoop | null = null;
      await run(
        function* () {
          loop = getRunningLoop();
          loop.addInstrument(idleProbe(() => loop, seen));
          // A real clock's timer may already be due when the loop looks (a loaded machine): sleep until it idled.
          for (let i = 0; i < 100 && seen.length === 0; i++) yield* sleep(20);
        },
        { clock },
      );
      assert.deepEqual(seen.slice(0, 2), ['beforeIdle: the loop', 'afterIdle: the loop']);
      assert.ok(seen.every((entry) => entry.endsWith(': the loop')), seen.join('\n'));
    });
  }
});

describe('what the timer hooks see (ArmedTimer)', () => {
  test("a sleep's timer: its own entry, not a TimerHandle, with the deadline, the task it wakes, and cancelled()", () => {
    const armed: ArmedTimer[] = [];
    const due: ArmedTimer[] = [];
    const described: string[] = [];
    runSync(function* () {
      const loop = getRunningLoop();
      loop.addInstrument({ timerArmed: (t) => armed.push(t) && described.push(t.describeCallback()), timerDue: (t) => due.push(t) });
      const sleeper = createTask(child(), { name: 'sleeper' });
      yield* sleep(0); // the sleeper arms its 10 ms timer at t=0
      const waiting = createTask(
        (function* (): Coroutine<void> {
          yield* sleep(50);
        })(),
        { name: 'cancelled-sleeper' },
      );
      yield* sleep(0);
      waiting.cancel();
      yield* sleeper;
    });
    assert.equal(armed.length, 2);
    const [timer, cancelledTimer] = armed as [ArmedTimer, ArmedTimer];
    assert.equal(timer instanceof TimerHandle, false);
    assert.equal(timer.when(), 10);
    assert.equal(timer.cancelled(), false);
    assert.match(described[0] ?? '', /^wake <Task pending name='sleeper' .*> after <sleep 10 ms>$/);
    assert.equal(timer.describeCallback(), 'wake nobody after <sleep 10 ms>'); // it fired: it wakes nobody now
    assert.equal(cancelledTimer.when(), 50);
    assert.equal(cancelledTimer.cancelled(), true);
    assert.deepEqual(due, [timer]); // the cancelled sleep's timer never comes due
  });

  test('callLater / callAt: the TimerHandle itself', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const seen: [string, ArmedTimer][] = [];
    loop.addInstrument({ timerArmed: (t) => seen.push(['armed', t]), timerDue: (t) => seen.push(['due', t]) });
    const handle = loop.callLater(5, () => {});
    const view: ArmedTimer = handle; // a TimerHandle is an ArmedTimer (compile-time check)
    assert.equal(view.when(), 5);
    loop.runUntilCompleteSync(loop.createTask(child()));
    assert.deepEqual(seen.filter(([, t]) => t === handle).map(([what, t]) => `${what} ${t.when()} ${t.cancelled()}`), ['armed 5 false', 'due 5 false']);
    assert.ok(seen.every(([, t]) => t === handle || !(t instanceof TimerHandle)));
    loop.close();
  });
});
