// contextvars, complete (issue #16 §5): reprs like Python's, the run-time checks a JavaScript caller
// needs, and Context as a read-only mapping. CPython 3.13 prints (addresses dropped):
//   <ContextVar name='x' default=1>   <ContextVar name='y'>
//   <Token var=<ContextVar name='x' default=1>>   <Token used var=...> after reset
//   RuntimeError <Token used var=...> has already been used once
//   ValueError <Token var=...> was created by a different ContextVar / in a different Context
//   TypeError context variable name must be a str;  AttributeError readonly attribute (v.name = 'z')
//   TypeError a ContextVar key was expected, got 1   (ctx.get(1), 1 in ctx, ctx[1])
//   len(ctx) 1, ctx[v] 3, list(ctx.items()) == [(v, 3)], list(ctx) == [v], list(ctx.values()) [3]
// The twin is test/differential/contextvars_mapping.py.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Context, ContextVar, Token } from './contextvars.ts';

describe('ContextVar and Token reprs', () => {
  test("<ContextVar name='x' default=1>, <ContextVar name='y'>, a string default quoted", () => {
    assert.equal(String(new ContextVar('x', { default: 1 })), "<ContextVar name='x' default=1>");
    assert.equal(String(new ContextVar('y')), "<ContextVar name='y'>");
    assert.equal(String(new ContextVar('z', { default: 'a' })), "<ContextVar name='z' default='a'>");
  });

  test('a Token prints its variable, and "used" once reset; reset errors name the token (never [object Object])', () => {
    const v = new ContextVar<number>('x', { default: 1 });
    const w = new ContextVar<number>('y');
    new Context().run(() => {
      const t = v.set(2);
      assert.equal(String(t), "<Token var=<ContextVar name='x' default=1>>");
      assert.equal(t.var, v);
      v.reset(t);
      assert.equal(String(t), "<Token used var=<ContextVar name='x' default=1>>");
      assert.throws(() => v.reset(t), {
        name: 'RuntimeError',
        message: "<Token used var=<ContextVar name='x' default=1>> has already been used once",
      });
      const t2 = v.set(3);
      assert.throws(() => w.reset(t2 as unknown as Token<number>), {
        name: 'RangeError',
        message: "<Token var=<ContextVar name='x' default=1>> was created by a different ContextVar",
      });
      new Context().run(() => {
        assert.throws(() => v.reset(t2), {
          name: 'RangeError',
          message: "<Token var=<ContextVar name='x' default=1>> was created in a different Context",
        });
      });
    });
  });
});

describe('run-time checks', () => {
  test('a non-string name is a TypeError', () => {
    assert.throws(() => new ContextVar(1 as never), { name: 'TypeError', message: 'context variable name must be a string, got `1` (number)' });
  });

  test('name is read-only: assigning it throws a TypeError and leaves it unchanged', () => {
    const v = new ContextVar('x');
    assert.throws(() => {
      (v as { name: string }).name = 'z';
    }, TypeError);
    assert.equal(v.name, 'x');
  });

  test('Context.get(1) and has(1) are TypeErrors: "a ContextVar key was expected, got 1"', () => {
    const ctx = new Context();
    assert.throws(() => ctx.get(1 as never), { name: 'TypeError', message: 'a ContextVar key was expected, got 1' });
    assert.throws(() => ctx.has('v' as never), { name: 'TypeError', message: "a ContextVar key was expected, got 'v'" });
  });
});

describe('Context, the read-only mapping', () => {
  test('size, get, has, keys(), values(), entries(), and iteration over the variables', () => {
    const v = new ContextVar<number>('x', { default: 1 });
    const w = new ContextVar<string>('y');
    const ctx = new Context();
    assert.equal(ctx.size, 0);
    ctx.run(() => {
      v.set(3);
      w.set('b');
    });
    assert.equal(ctx.size, 2);
    assert.equal(ctx.get(v), 3);
    assert.equal(ctx.has(w), true);
    assert.deepEqual([...ctx.keys()], [v, w]);
    assert.deepEqual([...ctx.values()], [3, 'b']);
    assert.deepEqual([...ctx.entries()], [[v, 3], [w, 'b']]);
    assert.deepEqual([...ctx], [v, w]);
    assert.deepEqual(new Map(ctx.entries()).get(w), 'b');
    // A copy iterates the same; the original does not change when the copy does.
    const copy = ctx.copy();
    copy.run(() => v.set(4));
    assert.deepEqual([...ctx.values()], [3, 'b']);
    assert.deepEqual([...copy.values()], [4, 'b']);
  });

  test('a variable without a value in the context is absent (get returns the default argument)', () => {
    const v = new ContextVar<number>('x', { default: 1 });
    const ctx = new Context();
    assert.equal(ctx.has(v), false);
    assert.equal(ctx.get(v), undefined);
    assert.equal(ctx.get(v, 9), 9);
  });
});
