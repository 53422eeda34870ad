// Handles carry the contextvars context current when they were scheduled (a copy), or the one given
// as `{ context }` (issue #16 §2). CPython 3.13 twin: test/differential/callback_context.py; the
// CPython outputs of the cases below are quoted in each test.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventLoop } from './base-events.ts';
import { Context, ContextVar, copyContext } from './contextvars.ts';
import { createTask, sleep } from './tasks.ts';
import { runSync } from './runners.ts';
import type { Coroutine } from './types.ts';
import { captureConsoleError } from '../test/support/loop.ts';

describe('callbacks run in the context current when scheduled', () => {
  test('test_context_2: a done callback that sets a ContextVar pollutes neither the task nor the code after runSync', () => {
    const cvar = new ContextVar<string>('cvar', { default: 'nope' });
    runSync(function* (): Coroutine<void> {
      const loop = createTask(sleep(0)).getLoop();
      const onDone = (): void => {
        cvar.set('something else'); // must not pollute main's context
      };
      assert.equal(cvar.get(), 'nope');
      for (let j = 0; j < 2; j++) {
        const fut = loop.createFuture<void>();
        fut.addDoneCallback(onDone);
        cvar.set(`yes${j}`);
        loop.callSoon(() => fut.setResult());
        yield* fut;
        assert.equal(cvar.get(), `yes${j}`);
        for (let i = 0; i < 3; i++) {
          cvar.set(`yes${i}-${j}`);
          yield* sleep(1);
          assert.equal(cvar.get(), `yes${i}-${j}`);
        }
      }
    });
    // CPython: cvar.get() == 'nope' after run_until_complete (yieldio before the fix: 'something else').
    assert.equal(cvar.get(), 'nope');
  });

  test('a plain callSoon callback outside any task: its set() stays in the handle, the global context is untouched', () => {
    const cvar = new ContextVar<string>('cvar', { default: 'global' });
    const loop = new EventLoop({ clock: 'virtual' });
    const seen: string[] = [];
    loop.callSoon(() => {
      cvar.set('in callback');
      seen.push(cvar.get());
    });
    loop.callLater(5, () => seen.push(cvar.get()));
    loop.runUntilCompleteSync(sleep(10));
    assert.deepEqual(seen, ['in callback', 'global']);
    assert.equal(cvar.get(), 'global');
  });

  test('a task created in a callback inherits the callback context (CPython: "task made in a callback: in spawner")', () => {
    const cvar = new ContextVar<string>('cvar', { default: 'default' });
    const loop = new EventLoop({ clock: 'virtual' });
    let seen = '';
    loop.callSoon(() => {
      cvar.set('in spawner');
      loop.createTask((function* (): Coroutine<void> {
        seen = cvar.get();
      })());
    });
    loop.runUntilCompleteSync(sleep(1));
    assert.equal(seen, 'in spawner');
  });

  test('Handle.getContext(): the given Context itself; by default a Context holding the values current at scheduling', () => {
    const cvar = new ContextVar<string>('cvar', { default: 'default' });
    const loop = new EventLoop({ clock: 'virtual' });
    const ctx = new Context();
    assert.equal(loop.callSoon({ context: ctx }, () => {}).getContext(), ctx);
    const handle = ctx.run(() => {
      cvar.set('inside');
      return loop.callLater(1, () => {});
    });
    cvar.set('changed later');
    assert.equal(handle.getContext().get(cvar), 'inside');
    assert.notEqual(handle.getContext(), ctx, 'a copy, as copy_context()');
    loop.close();
  });

  test('{ context } on callSoon, callLater, callAt, callSoonThreadsafe and addDoneCallback: writes land in that Context', () => {
    const cvar = new ContextVar<string>('cvar');
    const loop = new EventLoop({ clock: 'virtual' });
    const ctxs = [new Context(), new Context(), new Context(), new Context(), new Context()];
    const write = (value: string): void => {
      cvar.set(value);
    };
    loop.callSoon({ context: ctxs[0] }, write, 'soon');
    loop.callLater(5, { context: ctxs[1] }, write, 'later');
    loop.callAt(7, { context: ctxs[2] }, write, 'at');
    loop.callSoonThreadsafe({ context: ctxs[3] }, write, 'threadsafe');
    const fut = loop.createFuture<string>();
    fut.addDoneCallback((f) => write(f.result()), { context: ctxs[4] });
    loop.callSoon(() => fut.setResult('done cb'));
    loop.runUntilCompleteSync(sleep(10));
    assert.deepEqual(ctxs.map((c) => c.get(cvar)), ['soon', 'later', 'at', 'threadsafe', 'done cb']);
    assert.equal(cvar.get('unset'), 'unset');
  });

  test('{} and { context: null } mean a copy of the current context (asyncio context=None)', () => {
    const cvar = new ContextVar<string>('cvar', { default: 'default' });
    const loop = new EventLoop({ clock: 'virtual' });
    const seen: string[] = [];
    const ctx = new Context();
    ctx.run(() => {
      cvar.set('in ctx');
      loop.callSoon({}, () => seen.push(cvar.get()));
      loop.callLater(1, { context: null }, () => {
        seen.push(cvar.get());
        cvar.set('changed in callback');
      });
    });
    loop.runUntilCompleteSync(sleep(2));
    assert.deepEqual(seen, ['in ctx', 'in ctx']);
    assert.equal(ctx.get(cvar), 'in ctx');
  });

  test('a done callback captures the context at addDoneCallback, not at setResult (CPython: "done cb sees at add")', () => {
    const cvar = new ContextVar<string>('cvar', { default: 'default' });
    const seen: string[] = [];
    runSync(function* (): Coroutine<void> {
      const fut = createTask(sleep(0)).getLoop().createFuture<void>();
      cvar.set('at add');
      fut.addDoneCallback(() => seen.push(cvar.get()));
      cvar.set('at set_result');
      fut.setResult();
      yield* sleep(0);
      // Added when already done: scheduled at once, in the context current now.
      fut.addDoneCallback(() => seen.push(cvar.get()));
      yield* sleep(0);
    });
    assert.deepEqual(seen, ['at add', 'at set_result']);
  });

  test('removeDoneCallback still finds callbacks registered with a context', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const fut = loop.createFuture<void>();
    const cb = (): void => assert.fail('removed');
    fut.addDoneCallback(cb);
    fut.addDoneCallback(cb, { context: new Context() });
    assert.equal(fut.removeDoneCallback(cb), 2);
    fut.setResult();
    loop.runUntilCompleteSync(fut);
  });

  test('a custom exception handler runs in the failing callback context (asyncio 3.13 call_exception_handler)', () => {
    const cvar = new ContextVar<string>('cvar', { default: 'default' });
    const loop = new EventLoop({ clock: 'virtual' });
    const seen: string[] = [];
    loop.setExceptionHandler(() => seen.push(cvar.get()));
    const ctx = new Context();
    ctx.run(() => cvar.set('in ctx'));
    loop.callSoon({ context: ctx }, () => {
      throw new Error('boom');
    });
    loop.runUntilCompleteSync(sleep(1));
    assert.deepEqual(seen, ['in ctx']);
  });
});

describe('callback context errors', () => {
  test('a Context already entered cannot be entered by a callback: reported, the callback does not run', () => {
    // CPython: "Exception in callback ...", RuntimeError('cannot enter context: <_contextvars.Context
    // object at 0x...> is already entered'); the callback never runs.
    const loop = new EventLoop({ clock: 'virtual' });
    const outer = copyContext();
    let ran = false;
    const printed = captureConsoleError(() => {
      outer.run(() => {
        loop.callSoon({ context: outer }, () => {
          ran = true;
        });
        loop.runUntilCompleteSync(sleep(0));
      });
    });
    assert.equal(ran, false);
    assert.equal(printed.length, 1);
    assert.match(printed[0]!, /^Exception in callback \(anonymous\)\(\)\n/);
    assert.ok(printed[0]!.includes(`RuntimeError: cannot enter context: ${outer} is already entered`), printed[0]);
    // A custom handler would run in that same context (asyncio 3.13), so it cannot be entered
    // either: the default handler reports both, as CPython's "Unhandled error in exception handler".
    const errors: unknown[] = [];
    loop.setExceptionHandler((_l, c) => errors.push(c));
    const printed2 = captureConsoleError(() => {
      outer.run(() => {
        loop.callSoon({ context: outer }, () => {});
        loop.runUntilCompleteSync(sleep(0));
      });
    });
    assert.deepEqual(errors, []);
    assert.match(printed2[0]!, /^Unhandled error in exception handler\n/);
    loop.close();
  });

  test('a context that is not a Context is a TypeError naming the option', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const message = 'Expected `context` to be a Context (from copyContext() or new Context()), got 42';
    assert.throws(() => loop.callSoon({ context: 42 as never }, () => {}), { name: 'TypeError', message });
    assert.throws(() => loop.callLater(1, { context: 42 as never }, () => {}), { name: 'TypeError', message });
    assert.throws(() => loop.callAt(1, { context: 42 as never }, () => {}), { name: 'TypeError', message });
    assert.throws(() => loop.createFuture().addDoneCallback(() => {}, { context: 42 as never }), { name: 'TypeError', message });
  });

  test('a Context passed in place of { context }, or an unknown option, is a TypeError (never silently ignored)', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const ctx = new Context();
    assert.throws(() => loop.callSoon(ctx as never, () => {}), {
      name: 'TypeError',
      message: 'Expected the options of callSoon() to be { context }, got a Context: write { context: ctx }',
    });
    assert.throws(() => loop.callLater(1, { contxt: ctx } as never, () => {}), {
      name: 'TypeError',
      message: 'Unknown option `contxt` of callLater(): the only option is `context`',
    });
    assert.throws(() => loop.createFuture().addDoneCallback(() => {}, ctx as never), {
      name: 'TypeError',
      message: 'Expected the options of addDoneCallback() to be { context }, got a Context: write { context: ctx }',
    });
    loop.close();
  });

  test('an options object without a callback after it is still "callback is not a function"', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    assert.throws(() => loop.callSoon({ context: new Context() } as never), { name: 'TypeError', message: /^Expected `callback` to be a function/ });
    assert.throws(() => loop.callLater(5, {} as never), { name: 'TypeError', message: /^Expected `callback` to be a function/ });
  });
});
