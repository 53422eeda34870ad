/**
 * contextlib: scenarios ported in spirit from CPython's test_contextlib_async.py and
 * test_contextlib.py, plus the JavaScript protocols (Symbol.asyncDispose / Symbol.dispose).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { runSync, run } from './runners.ts';
import { createTask, sleep } from './tasks.ts';
import { getRunningLoop } from './events.ts';
import { CancelledError, RuntimeError } from './exceptions.ts';
import { fromPromise, toPromise } from './host.ts';
import {
  AsyncExitStack,
  asyncContextManager,
  asyncWith,
  contextManager,
  withContext,
} from './contextlib.ts';
import type { AsyncContextManager, Coroutine } from './types.ts';

/** A hand-written async context manager that logs, and suppresses when told to. */
function recorder(log: string[], name: string, suppress = false): AsyncContextManager<string> {
  return {
    *aenter() {
      yield* sleep(0);
      log.push(`enter ${name}`);
      return name;
    },
    *aexit(error?: unknown) {
      yield* sleep(1);
      log.push(`exit ${name} ${error === undefined ? 'ok' : (error as Error).message}`);
      return suppress;
    },
  };
}

describe('asyncWith', () => {
  test('async_with: binds the aenter value, returns the body result, exits once', () => {
    const log: string[] = [];
    const result = runSync(function* () {
      return yield* asyncWith(recorder(log, 'a'), function* (v) {
        log.push(`body ${v}`);
        yield* sleep(5);
        return 42;
      });
    });
    assert.equal(result, 42);
    assert.deepEqual(log, ['enter a', 'body a', 'exit a ok']);
  });

  test('async_with_exception: aexit sees the error and a truthy result suppresses it (undefined)', () => {
    const log: string[] = [];
    const result = runSync(function* () {
      return yield* asyncWith(recorder(log, 'a', true), function* (): Coroutine<number> {
        throw new Error('boom');
      });
    });
    assert.equal(result, undefined);
    assert.deepEqual(log, ['enter a', 'exit a boom']);
  });

  test('async_with_exception: a falsy aexit re-raises the very same error', () => {
    const boom = new Error('boom');
    assert.throws(
      () =>
        runSync(function* () {
          yield* asyncWith(recorder([], 'a'), function* () {
            throw boom;
          });
        }),
      (e) => e === boom,
    );
  });

  test('error in aenter: the body and aexit never run', () => {
    const log: string[] = [];
    const cm: AsyncContextManager<void> = {
      *aenter() {
        throw new Error('enter failed');
      },
      *aexit() {
        log.push('exit');
      },
    };
    assert.throws(() => runSync(function* () {
      yield* asyncWith(cm, function* () {
        log.push('body');
      });
    }), /enter failed/);
    assert.deepEqual(log, []);
  });

  test('error in aexit replaces the body result', () => {
    const cm: AsyncContextManager<void> = {
      *aenter() {},
      *aexit() {
        throw new Error('exit failed');
      },
    };
    assert.throws(() => runSync(function* () {
      return yield* asyncWith(cm, function* () {
        return 1;
      });
    }), /exit failed/);
  });

  test('bad input: a non-context-manager names what it got and the protocol it needs', () => {
    assert.throws(
      () => asyncWith(42 as never, function* () {}),
      {
        name: 'TypeError',
        message:
          "'number' object does not support the asynchronous context manager protocol. asyncWith() got `42` (number). " +
          'Pass an object with aenter() and aexit(error) (each returning an awaitable), or one with [Symbol.asyncDispose]() or [Symbol.dispose]().',
      },
    );
  });

  test('bad input: a synchronous context manager points to withContext', () => {
    assert.throws(() => asyncWith({ enter() {}, exit() {} } as never, function* () {}), {
      message:
        "'Object' object does not support the asynchronous context manager protocol. asyncWith() got `[object Object]` (object). " +
        'It is a synchronous context manager (enter/exit): use withContext(cm, body).',
    });
  });

  test('bad input: an uncalled factory says to call it', () => {
    const factory = asyncContextManager(function* () {
      yield 1;
    });
    assert.throws(() => asyncWith(factory as never, function* () {}), {
      message: /Call the function to get the context manager: asyncWith\(\w*\(\), \.\.\.\) instead/,
    });
  });

  test('bad input: an async (Promise-returning) aenter is explained', () => {
    const cm = { async aenter() {}, async aexit() {} };
    assert.throws(() => runSync(function* () {
      yield* asyncWith(cm as never, function* () {});
    }), {
      name: 'TypeError',
      message:
        'aenter() of `[object Object]` (object) returned `[object Promise]` (object), not an awaitable. ' +
        'aenter() must return a coroutine: write `*aenter() { ... }` with yield* instead of an async method, or wrap the Promise with fromPromise().',
    });
  });

  test('bad input: a body that is not a generator function', () => {
    const log: string[] = [];
    assert.throws(() => runSync(function* () {
      yield* asyncWith(recorder(log, 'a'), (() => 5) as never);
    }), {
      name: 'TypeError',
      message: 'asyncWith(): the body must return a coroutine, got `5` (number). Write the body as a generator function: asyncWith(cm, function* (value) { ... }).',
    });
    assert.deepEqual(log, ['enter a', 'exit a asyncWith(): the body must return a coroutine, got `5` (number). Write the body as a generator function: asyncWith(cm, function* (value) { ... }).']);
  });

  test('Symbol.asyncDispose objects: bound as themselves, disposed through the loop, never suppress', async () => {
    const log: string[] = [];
    const resource = {
      async [Symbol.asyncDispose]() {
        await Promise.resolve();
        log.push('disposed');
      },
    };
    await assert.rejects(
      run(function* () {
        yield* asyncWith(resource, function* (r) {
          assert.equal(r, resource);
          throw new Error('body');
        });
      }, { clock: 'virtual' }),
      /body/,
    );
    assert.deepEqual(log, ['disposed']);
  });

  test('Symbol.dispose-only objects are accepted (as `await using` accepts them)', () => {
    const log: string[] = [];
    const r = runSync(function* () {
      return yield* asyncWith({ [Symbol.dispose]: () => log.push('disposed') }, function* () {
        return 'x';
      });
    });
    assert.equal(r, 'x');
    assert.deepEqual(log, ['disposed']);
  });
});

describe('asyncContextManager', () => {
  test('contextmanager_plain: enter, body, teardown, in order, with awaits on both sides', () => {
    const log: string[] = [];
    const cm = asyncContextManager(function* (name: string) {
      yield* sleep(10);
      log.push('setup');
      yield name;
      yield* sleep(10);
      log.push('teardown');
    });
    const result = runSync(function* () {
      const r = yield* asyncWith(cm('db'), function* (value) {
        log.push(`body ${value} at ${getRunningLoop().time()}`);
        return 7;
      });
      log.push(`after at ${getRunningLoop().time()}`);
      return r;
    });
    assert.equal(result, 7);
    assert.deepEqual(log, ['setup', 'body db at 10', 'teardown', 'after at 20']);
  });

  test('contextmanager_finally: the error is thrown in at the yield; finally tears down; the error propagates', () => {
    const log: string[] = [];
    const cm = asyncContextManager(function* () {
      try {
        yield 1;
      } finally {
        yield* sleep(1);
        log.push('finally');
      }
    });
    assert.throws(() => runSync(function* () {
      yield* asyncWith(cm(), function* () {
        throw new Error('body failed');
      });
    }), /body failed/);
    assert.deepEqual(log, ['finally']);
  });

  test('contextmanager_no_reraise / except: a body that catches the error suppresses it', () => {
    const seen: unknown[] = [];
    const cm = asyncContextManager(function* () {
      try {
        yield undefined;
      } catch (e) {
        seen.push((e as Error).message);
      }
    });
    const r = runSync(function* () {
      return yield* asyncWith(cm(), function* (): Coroutine<number> {
        throw new Error('caught');
      });
    });
    assert.equal(r, undefined);
    assert.deepEqual(seen, ['caught']);
  });

  test('contextmanager_wrap: a new error from the teardown replaces the body error', () => {
    const cm = asyncContextManager(function* () {
      try {
        yield 1;
      } catch (e) {
        throw new RangeError(`wrapped ${(e as Error).message}`);
      }
    });
    assert.throws(() => runSync(function* () {
      yield* asyncWith(cm(), function* () {
        throw new Error('inner');
      });
    }), { name: 'RangeError', message: 'wrapped inner' });
  });

  test("contextmanager_trap_no_yield: RuntimeError(\"generator didn't yield\")", () => {
    const cm = asyncContextManager(function* () {
      yield* sleep(0);
    });
    assert.throws(() => runSync(function* () {
      yield* asyncWith(cm(), function* () {});
    }), { name: 'RuntimeError', message: "generator didn't yield" });
  });

  test("contextmanager_trap_second_yield: RuntimeError(\"generator didn't stop\"), and the generator is closed", () => {
    const log: string[] = [];
    const cm = asyncContextManager(function* () {
      try {
        yield 1;
        yield 2;
      } finally {
        yield* sleep(1);
        log.push('closed');
      }
    });
    assert.throws(() => runSync(function* () {
      yield* asyncWith(cm(), function* () {});
    }), { name: 'RuntimeError', message: "generator didn't stop" });
    assert.deepEqual(log, ['closed']);
  });

  test("contextmanager_trap_yield_after_throw: RuntimeError(\"generator didn't stop after athrow()\")", () => {
    const cm = asyncContextManager(function* () {
      try {
        yield 1;
      } catch {
        yield 2;
      }
    });
    assert.throws(() => runSync(function* () {
      yield* asyncWith(cm(), function* () {
        throw new Error('x');
      });
    }), { name: 'RuntimeError', message: "generator didn't stop after athrow()" });
  });

  test('teardown runs on cancellation, with awaits, and the task ends cancelled', () => {
    const log: string[] = [];
    const cm = asyncContextManager(function* () {
      log.push('setup');
      try {
        yield 'r';
      } finally {
        yield* sleep(5);
        log.push(`teardown at ${getRunningLoop().time()}`);
      }
    });
    runSync(function* () {
      const task = createTask(
        asyncWith(cm(), function* () {
          yield* sleep(1000);
          log.push('not reached');
        }),
      );
      yield* sleep(10);
      task.cancel('stop');
      try {
        yield* task;
        assert.fail('task should be cancelled');
      } catch (e) {
        assert.ok(e instanceof CancelledError);
      }
      assert.ok(task.cancelled());
    });
    assert.deepEqual(log, ['setup', 'teardown at 15']);
  });

  test('cancellation during setup is thrown into the body generator', () => {
    const log: string[] = [];
    const cm = asyncContextManager(function* () {
      try {
        yield* sleep(100);
      } catch (e) {
        log.push(`setup saw ${(e as Error).name}`);
        throw e;
      }
      yield 1;
    });
    runSync(function* () {
      const task = createTask(asyncWith(cm(), function* () {
        log.push('body');
      }));
      yield* sleep(1);
      task.cancel();
      yield* sleep(0);
      yield* sleep(0);
      assert.ok(task.cancelled());
    });
    assert.deepEqual(log, ['setup saw CancelledError']);
  });

  test('a yielded Future value (not awaited) is the managed value, not an await', () => {
    const r = runSync(function* () {
      const fut = getRunningLoop().createFuture<number>();
      const cm = asyncContextManager(function* () {
        // eslint-disable-next-line yieldio/no-yield-without-star -- the managed value on purpose
        yield fut;
      });
      return yield* asyncWith(cm(), function* (value) {
        return value === fut;
      });
    });
    assert.equal(r, true);
  });

  test('awaiting a Promise inside the body generator works (fromPromise)', async () => {
    const cm = asyncContextManager(function* () {
      const v = yield* fromPromise(Promise.resolve(3));
      yield v * 2;
    });
    const r = await run(function* () {
      return yield* asyncWith(cm(), function* (v) {
        return v + 1;
      });
    }, { clock: 'virtual' });
    assert.equal(r, 7);
  });

  test('a manager is single use', () => {
    const cm = asyncContextManager(function* () {
      yield 1;
    })();
    assert.throws(() => runSync(function* () {
      yield* asyncWith(cm, function* () {});
      yield* asyncWith(cm, function* () {});
    }), { name: 'RuntimeError', message: '<AsyncGeneratorContextManager exited> cannot be entered twice: asyncContextManager objects are single use; call the factory again' });
  });

  test('bad input: fn that is not a generator function', () => {
    const factory = asyncContextManager((() => 1) as never);
    assert.throws(() => factory(), {
      name: 'TypeError',
      message: 'asyncContextManager(): fn() must return a generator, got `1` (number). Write it as a `function*`.',
    });
    assert.throws(() => asyncContextManager(3 as never), { name: 'TypeError', message: 'Expected `fn` to be a function, got `3` (number)' });
  });
});

describe('contextManager / withContext', () => {
  test('contextmanager_plain (sync): enter, body, exit', () => {
    const log: string[] = [];
    const tag = contextManager(function* (name: string) {
      log.push(`<${name}>`);
      try {
        yield name;
      } finally {
        log.push(`</${name}>`);
      }
    });
    const r = withContext(tag('p'), (n) => {
      log.push(`text in ${n}`);
      return 1;
    });
    assert.equal(r, 1);
    assert.deepEqual(log, ['<p>', 'text in p', '</p>']);
  });

  test('contextmanager_except (sync): catching in the generator suppresses; returns undefined', () => {
    const cm = contextManager(function* () {
      try {
        yield 0;
      } catch {
        // suppressed
      }
    });
    assert.equal(withContext(cm(), (): number => {
      throw new Error('x');
    }), undefined);
  });

  test("sync traps: didn't yield / didn't stop / didn't stop after throw()", () => {
    const noYield = contextManager(function* () {});
    assert.throws(() => withContext(noYield(), () => 0), { name: 'RuntimeError', message: "generator didn't yield" });
    const twice = contextManager(function* () {
      yield 1;
      yield 2;
    });
    assert.throws(() => withContext(twice(), () => 0), { name: 'RuntimeError', message: "generator didn't stop" });
    const afterThrow = contextManager(function* () {
      try {
        yield 1;
      } catch {
        yield 2;
      }
    });
    assert.throws(() => withContext(afterThrow(), () => {
      throw new Error('x');
    }), { name: 'RuntimeError', message: "generator didn't stop after throw()" });
  });

  test('withContext accepts Symbol.dispose objects and rejects others by name', () => {
    const log: string[] = [];
    assert.equal(withContext({ [Symbol.dispose]: () => log.push('d') }, () => 2), 2);
    assert.deepEqual(log, ['d']);
    assert.throws(() => withContext('x' as never, () => 0), {
      name: 'TypeError',
      message:
        "'string' object does not support the context manager protocol. withContext() got `\"x\"` (string). Pass an object with enter() and exit(error), or one with [Symbol.dispose]().",
    });
  });

  test('using: GeneratorContextManager has Symbol.dispose (TypeScript downlevels `using`)', () => {
    const log: string[] = [];
    const cm = contextManager(function* () {
      try {
        yield 1;
      } finally {
        log.push('closed');
      }
    });
    {
      using m = cm();
      assert.equal(m.enter(), 1);
      log.push('block');
    }
    assert.deepEqual(log, ['block', 'closed']);
  });
});

describe('AsyncExitStack', () => {
  test('async_callback / callback: run in reverse order with their arguments', () => {
    const log: string[] = [];
    runSync(function* () {
      yield* asyncWith(new AsyncExitStack(), function* (stack) {
        stack.callback((a: string) => log.push(`sync ${a}`), 'one');
        stack.pushAsyncCallback(function* (a: string, b: number) {
          yield* sleep(1);
          log.push(`async ${a} ${b}`);
        }, 'two', 2);
        stack.callback(() => log.push('three'));
      });
    });
    assert.deepEqual(log, ['three', 'async two 2', 'sync one']);
  });

  test('enter_async_context: values are returned, exits run last-in first-out', () => {
    const log: string[] = [];
    runSync(function* () {
      yield* asyncWith(new AsyncExitStack(), function* (stack) {
        const a = yield* stack.enterAsyncContext(recorder(log, 'a'));
        const b = yield* stack.enterAsyncContext(recorder(log, 'b'));
        log.push(`got ${a}${b}`);
      });
    });
    assert.deepEqual(log, ['enter a', 'enter b', 'got ab', 'exit b ok', 'exit a ok']);
  });

  test('enter_async_context_errors: a non-context-manager is refused before anything runs', () => {
    const stack = new AsyncExitStack();
    assert.throws(() => stack.enterAsyncContext(5 as never), {
      name: 'TypeError',
      message:
        "'number' object does not support the asynchronous context manager protocol. enterAsyncContext() got `5` (number). " +
        'Pass an object with aenter() and aexit(error) (each returning an awaitable), or one with [Symbol.asyncDispose]() or [Symbol.dispose]().',
    });
    assert.throws(() => stack.enterContext(recorder([], 'a') as never), {
      message:
        "'Object' object does not support the context manager protocol. enterContext() got `[object Object]` (object). " +
        'It is an asynchronous context manager (aenter/aexit): use yield* asyncWith(cm, body) or yield* stack.enterAsyncContext(cm).',
    });
    assert.equal(stack.toString(), '<AsyncExitStack callbacks=0>');
  });

  test('async_push / exit_suppress: an exit that returns true swallows the body error', () => {
    const seen: unknown[] = [];
    const r = runSync(function* () {
      return yield* asyncWith(new AsyncExitStack(), function* (stack): Coroutine<number> {
        stack.pushAsyncExit(function* (error?: unknown) {
          seen.push((error as Error).message);
          return true;
        });
        throw new Error('body');
      });
    });
    assert.equal(r, undefined);
    assert.deepEqual(seen, ['body']);
  });

  test('exit_exception_chaining: each new error gets the one it replaced as cause', () => {
    const body = new Error('body');
    let caught: unknown;
    runSync(function* () {
      try {
        yield* asyncWith(new AsyncExitStack(), function* (stack) {
          stack.callback(() => {
            throw new Error('first pushed, last run');
          });
          stack.pushAsyncExit(function* () {
            throw new Error('second');
          });
          throw body;
        });
      } catch (e) {
        caught = e;
      }
    });
    const last = caught as Error;
    assert.equal(last.message, 'first pushed, last run');
    assert.equal((last.cause as Error).message, 'second');
    assert.equal((last.cause as Error).cause, body);
  });

  test('exit_exception_with_existing_context: the earlier error goes at the end of an existing cause chain', () => {
    const root = new Error('root');
    const body = new Error('body');
    let caught: unknown;
    runSync(function* () {
      try {
        yield* asyncWith(new AsyncExitStack(), function* (stack) {
          stack.callback(() => {
            throw new Error('exit', { cause: root });
          });
          throw body;
        });
      } catch (e) {
        caught = e;
      }
    });
    assert.equal((caught as Error).cause, root);
    assert.equal(root.cause, body);
  });

  test('exit_exception_explicit_none_context: an error that already carries the earlier one is not changed', () => {
    const body = new Error('body');
    let caught: unknown;
    runSync(function* () {
      try {
        yield* asyncWith(new AsyncExitStack(), function* (stack) {
          stack.callback(() => {
            throw new Error('exit', { cause: body });
          });
          throw body;
        });
      } catch (e) {
        caught = e;
      }
    });
    assert.equal((caught as Error).cause, body);
    assert.equal(body.cause, undefined);
  });

  test('exit_exception_traceback / body_exception_suppress: a later exit swallows an error raised by an earlier one', () => {
    const r = runSync(function* () {
      return yield* asyncWith(new AsyncExitStack(), function* (stack) {
        stack.push(() => true);
        stack.callback(() => {
          throw new Error('exit raised');
        });
        return 'value';
      });
    });
    // No error was received, so the stack reports "not suppressed" and the body value stands.
    assert.equal(r, 'value');
  });

  test('exit_raise: an exit error with no body error propagates', () => {
    assert.throws(() => runSync(function* () {
      const stack = new AsyncExitStack();
      stack.callback(() => {
        throw new Error('on close');
      });
      yield* stack.aclose();
    }), /on close/);
  });

  test('pop_all: the popped stack owns the callbacks; the original exits with nothing to do', () => {
    const log: string[] = [];
    runSync(function* () {
      let kept!: AsyncExitStack;
      yield* asyncWith(new AsyncExitStack(), function* (stack) {
        stack.callback(() => log.push('cleanup'));
        kept = stack.popAll();
      });
      log.push('after with');
      yield* kept.aclose();
    });
    assert.deepEqual(log, ['after with', 'cleanup']);
  });

  test('nested stacks and asyncContextManager teardown on error, innermost first', () => {
    const log: string[] = [];
    const res = asyncContextManager(function* (name: string) {
      try {
        yield name;
      } finally {
        yield* sleep(1);
        log.push(`close ${name}`);
      }
    });
    assert.throws(() => runSync(function* () {
      yield* asyncWith(new AsyncExitStack(), function* (outer) {
        yield* outer.enterAsyncContext(res('a'));
        const inner = yield* outer.enterAsyncContext(new AsyncExitStack());
        yield* inner.enterAsyncContext(res('b'));
        inner.enterContext(contextManager(function* () {
          try {
            yield 0;
          } finally {
            log.push('close sync');
          }
        })());
        throw new Error('fail');
      });
    }), /fail/);
    assert.deepEqual(log, ['close sync', 'close b', 'close a']);
  });

  test('Symbol.asyncDispose: `await using` from native async code next to a running loop', async () => {
    const log: string[] = [];
    const res = asyncContextManager(function* () {
      try {
        yield 'r';
      } finally {
        yield* sleep(0);
        log.push('closed');
      }
    });
    await run(function* () {
      const loop = getRunningLoop();
      yield* fromPromise(
        (async () => {
          await using stack = new AsyncExitStack();
          log.push(await toPromise(stack.enterAsyncContext(res()), loop));
        })(),
      );
    }, { clock: 'virtual' });
    assert.deepEqual(log, ['r', 'closed']);
  });
});
