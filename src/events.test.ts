import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Handle, TimerHandle, getRunningLoop, getRunningLoopOrNull } from './events.ts';
import { runSync } from './runners.ts';
import { virtualLoop, runAll, recordErrors } from '../test/support/loop.ts';

describe('Handle and TimerHandle', () => {
  test('handle_repr: shows the callback and its arguments, or that it is cancelled', () => {
    const loop = virtualLoop();
    function greet(_name: string, _n: number): void {}
    const h = loop.callSoon(greet, 'bob', 2);
    assert.ok(h instanceof Handle);
    assert.equal(String(h), "<Handle greet('bob', 2)>");
    h.cancel();
    assert.equal(String(h), '<Handle cancelled>');
    const one = loop.callSoon(greet as (x: string) => void, 'x');
    assert.equal(String(one), "<Handle greet('x')>");
    const anonymous = loop.callSoon(() => {});
    assert.match(String(anonymous), /^<Handle .*\(\)>$/);
  });

  test('timer_repr: TimerHandle adds when=', () => {
    const loop = virtualLoop();
    function tick(): void {}
    const t = loop.callLater(5, tick);
    assert.ok(t instanceof TimerHandle);
    assert.equal(String(t), '<TimerHandle tick() when=5>');
    t.cancel();
    assert.equal(String(t), '<TimerHandle cancelled when=5>');
  });

  test('handle_cancel: cancel() drops the callback and arguments so they can be collected', () => {
    const loop = virtualLoop();
    const big = { payload: 'x' };
    const h = loop.callSoon((_x: object) => {}, big);
    h.cancel();
    assert.equal(h._callback, null);
    assert.equal(h._arg0, undefined);
    assert.equal(h._args, null);
    assert.equal(h.cancelled(), true);
  });

  test('a timer that already fired is not counted as a cancelled heap entry when cancelled later', () => {
    const loop = virtualLoop();
    const t = loop.callLater(1, () => {});
    runAll(loop);
    t.cancel();
    assert.equal(loop._timerCancelledCount, 0);
  });

  test('an error in a callback goes to the exception handler, never up the stack', () => {
    const loop = virtualLoop();
    const errors = recordErrors(loop);
    const error = new Error('cb');
    loop.callSoon(() => {
      throw error;
    });
    assert.doesNotThrow(() => runAll(loop));
    assert.equal(errors[0]?.exception, error);
  });
});

describe('running loop', () => {
  test('get_running_loop outside a loop: RuntimeError "no running event loop"', () => {
    assert.equal(getRunningLoopOrNull(), null);
    assert.throws(() => getRunningLoop(), { name: 'RuntimeError', message: 'no running event loop' });
  });

  test('get_running_loop inside a coroutine is the loop that runs it', () => {
    const loop = runSync(function* () {
      return getRunningLoop();
    });
    assert.equal(loop.isClosed(), true);
    assert.equal(getRunningLoopOrNull(), null);
  });
});
