import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Context, ContextVar, Token, copyContext } from './contextvars.ts';
import { createTask, sleep, currentTask } from './tasks.ts';
import type { Task } from './tasks.ts';
import type { Coroutine } from './types.ts';
import { flavours } from '../test/support/flavours.ts';

describe('ContextVar', () => {
  test('get: the value, else the default given to get(), else the variable default, else RangeError', () => {
    const withDefault = new ContextVar<string>('withDefault', { default: 'd' });
    const bare = new ContextVar<number>('bare');
    assert.equal(withDefault.name, 'withDefault');
    assert.equal(withDefault.get(), 'd');
    assert.equal(bare.get(5), 5);
    assert.throws(() => bare.get(), {
      name: 'RangeError',
      message: "ContextVar 'bare' has no value in this context and no default; pass a default to get() or to the constructor",
    });
    assert.equal(String(bare), "<ContextVar name='bare'>");
  });

  test('set/reset: reset restores the previous value, or no value at all (Token.MISSING)', () => {
    const v = new ContextVar<number>('v');
    new Context().run(() => {
      const t1 = v.set(1);
      assert.equal(t1.oldValue, Token.MISSING);
      assert.equal(t1.variable, v);
      const t2 = v.set(2);
      assert.equal(t2.oldValue, 1);
      assert.equal(v.get(), 2);
      v.reset(t2);
      assert.equal(v.get(), 1);
      v.reset(t1);
      assert.equal(v.get(0), 0);
      assert.throws(() => v.get(), RangeError);
    });
  });

  test('reset misuse: a used token is a RuntimeError; another variable or another context is a RangeError', () => {
    const a = new ContextVar<number>('a');
    const b = new ContextVar<number>('b');
    const ctx = new Context();
    ctx.run(() => {
      const t = a.set(1);
      a.reset(t);
      assert.throws(() => a.reset(t), { name: 'RuntimeError', message: `${t} has already been used once` });
      const t2 = a.set(2);
      assert.throws(() => b.reset(t2 as unknown as Token<number>), { name: 'RangeError', message: `${t2} was created by a different ContextVar` });
      new Context().run(() => {
        assert.throws(() => a.reset(t2), { name: 'RangeError', message: `${t2} was created in a different Context` });
      });
    });
  });

  test('the name must be a string', () => {
    assert.throws(() => new ContextVar(3 as never), { name: 'TypeError', message: 'context variable name must be a string, got `3` (number)' });
  });
});

describe('Context', () => {
  test('context_run: run() makes the context current and restores the previous one', () => {
    const v = new ContextVar<string>('v', { default: 'outer' });
    const ctx = new Context();
    const seen = ctx.run((x: number) => {
      v.set('inside');
      return `${v.get()}:${x}`;
    }, 1);
    assert.equal(seen, 'inside:1');
    assert.equal(v.get(), 'outer');
    assert.equal(ctx.get(v), 'inside');
    assert.equal(ctx.has(v), true);
    assert.deepEqual([...ctx.keys()], [v]);
    assert.equal(new Context().get(v, 'fallback'), 'fallback');
  });

  test('context_run twice: entering a context that is already entered is a RuntimeError', () => {
    const ctx = new Context();
    ctx.run(() => {
      assert.throws(() => ctx.run(() => 0), { name: 'RuntimeError', message: `cannot enter context: ${ctx} is already entered` });
    });
    assert.equal(ctx.run(() => 'reusable after exit'), 'reusable after exit');
  });

  test('context_copy: a copy has the same values and is independent afterwards (both ways)', () => {
    const v = new ContextVar<number>('v');
    const ctx = new Context();
    ctx.run(() => v.set(1));
    const copy = ctx.copy();
    assert.equal(copy.get(v), 1);
    copy.run(() => v.set(2));
    assert.equal(ctx.get(v), 1);
    ctx.run(() => v.set(3));
    assert.equal(copy.get(v), 2);
    const fromCurrent = ctx.run(() => copyContext());
    assert.equal(fromCurrent.get(v), 3);
  });
});

describe('contextvars and tasks', () => {
  flavours('context copy semantics: a task sees the values at its creation; sets do not leak either way', function* () {
    const v = new ContextVar<string>('request', { default: '-' });
    v.set('main-1');
    const seen: string[] = [];
    function* child(): Coroutine<void> {
      seen.push(`child start ${v.get()}`);
      v.set('child');
      yield* sleep(1);
      seen.push(`child end ${v.get()}`);
    }
    const t = createTask(child());
    v.set('main-2');
    yield* t;
    seen.push(`main ${v.get()}`);
    assert.deepEqual(seen, ['child start main-1', 'child end child', 'main main-2']);
    assert.equal(t.getContext().get(v), 'child');
  });

  flavours('interleaved tasks each keep their own value across suspensions', function* () {
    const v = new ContextVar<number>('n');
    const seen: string[] = [];
    function* worker(n: number): Coroutine<void> {
      v.set(n);
      for (let i = 0; i < 3; i++) {
        yield* sleep(0);
        seen.push(`${n}=${v.get()}`);
      }
    }
    const tasks = [1, 2, 3].map((n) => createTask(worker(n)));
    for (const t of tasks) yield* t;
    assert.ok(seen.every((s) => s.split('=')[0] === s.split('=')[1]), seen.join(' '));
    assert.equal(seen.length, 9);
    assert.equal(v.get(0), 0); // main never set it
  });

  flavours('create_task with an explicit context runs the task in that context', function* () {
    const v = new ContextVar<string>('v', { default: 'default' });
    const ctx = new Context();
    ctx.run(() => v.set('given'));
    function* read(): Coroutine<string> {
      const value = v.get();
      v.set('changed by task');
      return value;
    }
    const t = createTask(read(), { context: ctx });
    assert.equal(t.getContext(), ctx);
    assert.equal(yield* t, 'given');
    assert.equal(ctx.get(v), 'changed by task');
    assert.equal(v.get(), 'default');
  });

  flavours('a task set() lands in its own getContext() and persists across suspensions', function* () {
    const v = new ContextVar<string>('v', { default: 'none' });
    v.set('main');
    const me = currentTask() as Task<unknown>;
    assert.equal(me.getContext().get(v), 'main');
    yield* sleep(0);
    assert.equal(v.get(), 'main');
  });
});
