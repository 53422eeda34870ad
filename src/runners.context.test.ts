// Runner keeps one contextvars context across its runs; run(main, { context }); loopFactory
// (issue #16 §3). CPython 3.13 twin: test/differential/runner_context.py (test_runners.py:
// test_run_keeps_context, test_custom_factory, test_asyncio_run_loop_factory).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventLoop } from './base-events.ts';
import { Context, ContextVar, copyContext } from './contextvars.ts';
import { getRunningLoop } from './events.ts';
import { Runner, run, runSync } from './runners.ts';
import { sleep } from './tasks.ts';
import { TestLoop } from './testing/index.ts';
import type { Coroutine } from './types.ts';

const cvar = new ContextVar<number>('cvar', { default: -1 });

function* f(val: number): Coroutine<number> {
  const old = cvar.get();
  yield* sleep(0);
  cvar.set(val);
  return old;
}

function* getContext(): Coroutine<Context> {
  return copyContext();
}

describe('Runner keeps one context', () => {
  test('test_run_keeps_context: a ContextVar set in one run is seen by the next (CPython: -1, 1, then 2)', async () => {
    await using runner = new Runner({ clock: 'virtual' });
    assert.equal(await runner.run(f(1)), -1);
    assert.equal(await runner.run(f(2)), 1);
    assert.equal((await runner.run(getContext())).get(cvar), 2);
    assert.equal(cvar.get(), -1, 'the caller context is untouched');
  });

  test('the same with runSync', () => {
    const runner = new Runner({ clock: 'virtual' });
    assert.equal(runner.runSync(f(1)), -1);
    assert.equal(runner.runSync(f(2)), 1);
    runner.closeSync();
  });

  test('run(main, { context }) runs in that Context and leaves the runner context alone', async () => {
    await using runner = new Runner({ clock: 'virtual' });
    await runner.run(f(5));
    const ctx = new Context();
    assert.equal(await runner.run(f(10), { context: ctx }), -1);
    assert.equal(ctx.get(cvar), 10);
    assert.equal(runner.runSync(f(11), { context: ctx }), 10);
    assert.equal(await runner.run(f(6)), 5);
  });

  test('the runner context is a copy of the one current when the loop is made (asyncio _lazy_init)', async () => {
    const outer = new Context();
    const runner = outer.run(() => {
      cvar.set(7);
      const r = new Runner({ clock: 'virtual' });
      r.getLoop();
      cvar.set(8); // after the copy: not seen
      return r;
    });
    assert.equal(await runner.run(f(1)), 7);
    assert.equal(outer.get(cvar), 8);
    await runner.close();
  });
});

describe('loopFactory', () => {
  test('run() and runSync() run main on the loop the factory makes, called once; the loop is closed after', async () => {
    const made: EventLoop[] = [];
    const factory = (): EventLoop => {
      const loop = new EventLoop({ clock: 'virtual' });
      made.push(loop);
      return loop;
    };
    assert.equal(await run(function* () { return getRunningLoop() === made[0]; }, { loopFactory: factory }), true);
    assert.equal(made.length, 1);
    assert.equal(made[0]!.isClosed(), true);
    assert.equal(runSync(function* () { return getRunningLoop() === made[1]; }, { loopFactory: factory }), true);
    assert.equal(made.length, 2);
  });

  test('test_custom_factory: Runner.getLoop() is the factory loop; debug is applied to it', () => {
    const loop = new TestLoop();
    const runner = new Runner({ loopFactory: () => loop, debug: true });
    assert.equal(runner.getLoop(), loop);
    assert.equal(loop.getDebug(), true);
    runner.closeSync();
    assert.equal(loop.isClosed(), true);
  });

  test('runSync with a TestLoop factory: the program runs on the manual clock loop', () => {
    const result = runSync(function* (): Coroutine<string> {
      yield* sleep(1_000);
      return `${getRunningLoop() instanceof TestLoop} at ${getRunningLoop().time()}`;
    }, { loopFactory: () => new TestLoop() });
    assert.equal(result, 'true at 1000');
  });

  test('a loopFactory that is not a function, one combined with clock, or one that returns no EventLoop is refused', async () => {
    assert.throws(() => new Runner({ loopFactory: 42 as never }), {
      name: 'TypeError',
      message: 'Expected `loopFactory` to be a function returning an EventLoop, got 42',
    });
    assert.throws(() => new Runner({ loopFactory: () => new EventLoop(), clock: 'virtual' }), {
      name: 'RangeError',
      message: 'Expected either `clock` or `loopFactory`, not both: the loop the factory makes has its own clock',
    });
    const runner = new Runner({ loopFactory: () => ({}) as never });
    assert.throws(() => runner.getLoop(), { name: 'TypeError', message: 'Expected `loopFactory` to return an EventLoop, got [object Object]' });
    await assert.rejects(run(function* () {}, { loopFactory: () => 'nope' as never }), {
      name: 'TypeError',
      message: 'Expected `loopFactory` to return an EventLoop, got nope',
    });
  });
});
