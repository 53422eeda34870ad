import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { run, runSync, Runner } from './runners.ts';
import { createTask, sleep, currentTask } from './tasks.ts';
import { getRunningLoop, getRunningLoopOrNull } from './events.ts';
import { CancelledError, RuntimeError } from './exceptions.ts';
import type { EventLoop, ExceptionContext } from './base-events.ts';
import { fromPromise } from './host.ts';
import { Context, ContextVar } from './contextvars.ts';
import type { Coroutine } from './types.ts';

function* answer(): Coroutine<number> {
  yield* sleep(10);
  return 42;
}

describe('run', () => {
  test('asyncio_run_return: run resolves with the result of a coroutine or of a function returning one', async () => {
    assert.equal(await run(answer()), 42);
    assert.equal(await run(answer, { clock: 'virtual' }), 42);
  });

  test('asyncio_run_raises: run rejects with the exception of main', async () => {
    const error = new TypeError('main failed');
    await assert.rejects(
      run(function* () {
        yield* sleep(0);
        throw error;
      }),
      (e) => e === error,
    );
  });

  test('asyncio_run_debug: the debug option turns on debug mode', async () => {
    assert.equal(await run(function* () {
      return getRunningLoop().getDebug();
    }, { debug: true }), true);
    assert.equal(await run(function* () {
      return getRunningLoop().getDebug();
    }), false);
  });

  test('asyncio_run_cancels_hanging_tasks: remaining tasks are cancelled and awaited; their finally blocks run', async () => {
    const seen: string[] = [];
    let loop: EventLoop | null = null;
    let leftover: ReturnType<typeof createTask<void>> | null = null;
    await run(
      function* () {
        loop = getRunningLoop();
        function* background(): Coroutine<void> {
          try {
            yield* sleep(1e9);
          } finally {
            seen.push('finally start');
            yield* sleep(5); // awaiting inside the cleanup works during shutdown
            seen.push('finally end');
          }
        }
        leftover = createTask(background());
        yield* sleep(0);
        seen.push('main done');
      },
      { clock: 'virtual' },
    );
    assert.deepEqual(seen, ['main done', 'finally start', 'finally end']);
    assert.equal((leftover as unknown as { cancelled(): boolean }).cancelled(), true);
    assert.equal((loop as unknown as EventLoop).isClosed(), true);
  });

  test('asyncio_run_reports_hanging_tasks_errors: an error raised while a task is cancelled at shutdown is reported', async () => {
    const reported: ExceptionContext[] = [];
    const error = new Error('in cleanup');
    await run(
      function* () {
        getRunningLoop().setExceptionHandler((_l, ctx) => reported.push(ctx));
        function* background(): Coroutine<void> {
          try {
            yield* sleep(1e9);
          } finally {
            throw error;
          }
        }
        createTask(background(), { name: 'bg' });
        yield* sleep(0);
      },
      { clock: 'virtual' },
    );
    assert.equal(reported.length, 1);
    assert.equal(reported[0]?.message, 'unhandled exception during run() shutdown');
    assert.equal(reported[0]?.exception, error);
    assert.match(String(reported[0]?.task), /name='bg'/);
  });

  test('asyncio_run_from_running_loop: run() and runSync() inside a loop are RuntimeErrors', () => {
    const messages = runSync(function* () {
      const out: string[] = [];
      for (const f of [() => run(answer), () => runSync(answer), () => new Runner().run(answer), () => new Runner().runSync(answer)]) {
        try {
          void f();
          out.push('no error');
        } catch (e) {
          assert.ok(e instanceof RuntimeError);
          out.push(e.message);
        }
      }
      return out;
    });
    assert.deepEqual(messages, [
      'run() cannot be called from a running event loop',
      'runSync() cannot be called from a running event loop',
      'Runner.run() cannot be called from a running event loop',
      'Runner.runSync() cannot be called from a running event loop',
    ]);
  });

  test('asyncio_run_only_coro: run and runSync refuse what is not a coroutine, with the hint', async () => {
    async function nativeMain(): Promise<void> {}
    assert.throws(() => run(nativeMain as never), {
      name: 'TypeError',
      message:
        'a coroutine was expected, got <function nativeMain>. nativeMain is a native async function; yieldio coroutines are `function*` generators: write `function* nativeMain() { ... }` and `yield*` instead of `await`, or wrap a Promise with fromPromise().',
    });
    assert.throws(() => runSync(Promise.resolve() as never), {
      name: 'TypeError',
      message: 'a coroutine was expected, got [object Promise]. A Promise is not a coroutine: await it inside a coroutine with `yield* fromPromise(promise)`.',
    });
    assert.throws(() => runSync((() => 5) as never), {
      name: 'TypeError',
      message: 'a coroutine was expected, got 5. Pass the generator object of a `function*`, e.g. runSync(main()).',
    });
    assert.throws(() => run(7 as never), {
      name: 'TypeError',
      message: 'a coroutine was expected, got 7. Pass the generator object of a `function*`, e.g. run(main()).',
    });
  });

  test('run lets host callbacks in: a Promise reaction can complete a future (virtual clock)', async () => {
    const result = await run(
      function* () {
        const loop = getRunningLoop();
        const fut = loop.createFuture<string>();
        void Promise.resolve('from host').then((v) => loop.callSoonThreadsafe(() => fut.setResult(v)));
        return yield* fut;
      },
      { clock: 'virtual' },
    );
    assert.equal(result, 'from host');
  });

  test('run leaves no running loop behind', async () => {
    await run(answer, { clock: 'virtual' });
    assert.equal(getRunningLoopOrNull(), null);
  });
});

describe('runSync', () => {
  test('runSync returns the result; virtual time jumps, so a minute passes at once', () => {
    const out = runSync(function* () {
      const loop = getRunningLoop();
      yield* sleep(60_000);
      return loop.time();
    });
    assert.equal(out, 60_000);
  });

  test('runSync throws the exception of main', () => {
    const error = new Error('sync failure');
    assert.throws(
      () =>
        runSync(function* () {
          yield* sleep(1);
          throw error;
        }),
      (e) => e === error,
    );
  });

  test('runSync on a program waiting on the host: the error names run(); main is cancelled and cleaned up', () => {
    const seen: string[] = [];
    assert.throws(
      () =>
        runSync(function* () {
          const fut = getRunningLoop().createFuture<void>(); // only the host could complete it
          try {
            yield* fut;
          } finally {
            seen.push('main finally');
          }
        }),
      (e: unknown) => {
        assert.ok(e instanceof RuntimeError);
        assert.match(
          e.message,
          /^runSync\(\) cannot finish: <Task pending name='Task-\d+' coro=<coroutine> wait_for=<Future pending cb=\[Task\.task_wakeup\(\)\]> cb=\[stopLoop\(\)\]> waits on something only the host can deliver \(a Promise, I\/O, a host callback\) and no callback or timer is left to run\. Use `await run\(main\)` instead, which lets host callbacks in\.$/,
        );
        return true;
      },
    );
    assert.deepEqual(seen, ['main finally']);
    assert.equal(getRunningLoopOrNull(), null);
  });

  test('runSync on a program awaiting a Promise (fromPromise): the error names run(); run() completes it', async () => {
    function* main(): Coroutine<string> {
      return yield* fromPromise(Promise.resolve('from the host'));
    }
    assert.throws(() => runSync(main), (e: unknown) => {
      assert.ok(e instanceof RuntimeError);
      assert.match(e.message, /^runSync\(\) cannot finish: .* Use `await run\(main\)` instead, which lets host callbacks in\.$/);
      return true;
    });
    assert.equal(await run(main, { clock: 'virtual' }), 'from the host');
  });

  test('runSync cancels the tasks left at the end, like run', () => {
    const seen: string[] = [];
    runSync(function* () {
      function* bg(): Coroutine<void> {
        try {
          yield* sleep(Infinity);
        } catch (e) {
          seen.push(e instanceof CancelledError ? 'cancelled' : 'other');
          throw e;
        }
      }
      createTask(bg());
      yield* sleep(0);
    });
    assert.deepEqual(seen, ['cancelled']);
  });
});

describe('Runner', () => {
  test('runner_run: runs several coroutines on the same loop; getLoop is stable', async () => {
    const runner = new Runner({ clock: 'virtual' });
    const loop = runner.getLoop();
    const first = await runner.run(function* () {
      yield* sleep(100);
      return getRunningLoop();
    });
    const t = await runner.run(function* () {
      yield* sleep(100);
      return getRunningLoop().time();
    });
    assert.equal(first, loop);
    assert.equal(t, 200); // same loop, same clock
    assert.equal(runner.getLoop(), loop);
    await runner.close();
    assert.equal(loop.isClosed(), true);
  });

  test('runner_close: close() cancels tasks left by earlier runs; close is idempotent; a closed runner refuses', async () => {
    const runner = new Runner({ clock: 'virtual' });
    const seen: string[] = [];
    await runner.run(function* () {
      function* bg(): Coroutine<void> {
        try {
          yield* sleep(1e9);
        } finally {
          seen.push('bg finally');
        }
      }
      createTask(bg());
      yield* sleep(0);
    });
    assert.deepEqual(seen, []);
    await runner.close();
    await runner.close();
    assert.deepEqual(seen, ['bg finally']);
    assert.throws(() => runner.getLoop(), { name: 'RuntimeError', message: 'Runner is closed' });
    assert.throws(() => runner.run(answer), { name: 'RuntimeError', message: 'Runner is closed' });
  });

  test('runner: await using closes it (Symbol.asyncDispose)', async () => {
    let loop: EventLoop | null = null;
    {
      await using runner = new Runner({ clock: 'virtual' });
      loop = runner.getLoop();
      assert.equal(await runner.run(answer), 42);
    }
    assert.equal((loop as EventLoop).isClosed(), true);
  });

  test('runner: runSync and closeSync drive the same loop synchronously', () => {
    const runner = new Runner({ clock: 'virtual' });
    assert.equal(runner.runSync(answer), 42);
    assert.equal(runner.runSync(function* () {
      return currentTask() !== null;
    }), true);
    runner.closeSync();
    assert.throws(() => runner.getLoop(), { name: 'RuntimeError', message: 'Runner is closed' });
  });

  test('runner_run_with_context: main runs in the given Context', () => {
    const v = new ContextVar<string>('v', { default: 'default' });
    const ctx = new Context();
    ctx.run(() => v.set('given'));
    const runner = new Runner({ clock: 'virtual' });
    const seen = runner.runSync(
      function* () {
        const before = v.get();
        v.set('changed by main');
        return before;
      },
      { context: ctx },
    );
    runner.closeSync();
    assert.equal(seen, 'given');
    assert.equal(ctx.get(v), 'changed by main');
    assert.equal(v.get(), 'default');
  });

  test('runner: a closed runner that never made a loop closes cleanly', async () => {
    const runner = new Runner();
    await runner.close();
    assert.throws(() => runner.getLoop(), { name: 'RuntimeError', message: 'Runner is closed' });
  });
});
