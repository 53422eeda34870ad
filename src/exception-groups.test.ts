import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ExceptionGroup, catchGroup, groupOfThrown } from './exception-groups.ts';
import { CancelledError, TimeoutError } from './exceptions.ts';

class AppError extends Error {
  override name = 'AppError';
}

/** Python's repr-like shape of a group, to compare structures: ['msg', [leaf names or nested]]. */
function shape(e: unknown): unknown {
  if (e instanceof ExceptionGroup) return [e.message, e.exceptions.map(shape)];
  return e instanceof Error ? `${e.name}(${e.message})` : String(e);
}

function nested(): ExceptionGroup {
  // ExceptionGroup("x", [ValueError(1), ExceptionGroup("y", [TypeError(2), ValueError(5)])])
  return new ExceptionGroup('x', [new RangeError('1'), new ExceptionGroup('y', [new TypeError('2'), new RangeError('5')])]);
}

describe('ExceptionGroup', () => {
  test('is an AggregateError with exceptions and errors', () => {
    const a = new TypeError('a');
    const g = new ExceptionGroup('msg', [a]);
    assert.ok(g instanceof AggregateError);
    assert.ok(g instanceof Error);
    assert.equal(g.name, 'ExceptionGroup');
    assert.equal(g.message, 'msg');
    assert.deepEqual(g.exceptions, [a]);
    assert.deepEqual(g.errors, [a]);
    assert.ok(Object.isFrozen(g.exceptions));
    assert.equal(String(g), 'ExceptionGroup: msg (1 sub-exception)');
    assert.equal(String(new ExceptionGroup('m', [a, a])), 'ExceptionGroup: m (2 sub-exceptions)');
  });

  test('bad construction: empty list, non-string message, non-iterable', () => {
    assert.throws(() => new ExceptionGroup('m', []), { name: 'RangeError', message: 'second argument (exceptions) must be a non-empty sequence' });
    assert.throws(() => new ExceptionGroup(42 as never, [new Error()]), {
      name: 'TypeError',
      message: "argument 1 must be str, not number: pass the group's message first, then the array of errors",
    });
    assert.throws(() => new ExceptionGroup('m', 5 as never), {
      name: 'TypeError',
      message: 'second argument (exceptions) must be a sequence: pass an array of errors',
    });
  });

  test('split by class keeps the nesting, as CPython', () => {
    const [match, rest] = nested().split(RangeError);
    assert.deepEqual(shape(match), ['x', ['RangeError(1)', ['y', ['RangeError(5)']]]]);
    assert.deepEqual(shape(rest), ['x', [['y', ['TypeError(2)']]]]);
  });

  test('split by a predicate tests the group itself first', () => {
    const g = nested();
    const [match, rest] = g.split((e) => e instanceof ExceptionGroup);
    assert.equal(match, g);
    assert.equal(rest, null);
  });

  test('split by an array of classes, and a class matching nothing', () => {
    const g = nested();
    const [match, rest] = g.split([TypeError, AppError]);
    assert.deepEqual(shape(match), ['x', [['y', ['TypeError(2)']]]]);
    assert.deepEqual(shape(rest), ['x', ['RangeError(1)', ['y', ['RangeError(5)']]]]);
    assert.deepEqual(g.split(AppError), [null, g]);
  });

  test('subgroup returns null when nothing matches, and keeps cause and stack', () => {
    const cause = new Error('root');
    const g = new ExceptionGroup('x', [new TypeError('t'), new RangeError('r')], { cause });
    assert.equal(g.subgroup(AppError), null);
    const sub = g.subgroup(TypeError);
    assert.ok(sub !== null);
    assert.equal(sub.cause, cause);
    assert.equal(sub.stack, g.stack);
    assert.deepEqual(shape(sub), ['x', ['TypeError(t)']]);
  });

  test('derive is used for the parts, so a subclass keeps its class', () => {
    class MyGroup<E> extends ExceptionGroup<E> {
      override derive<F>(excs: Iterable<F>): ExceptionGroup<F> {
        return new MyGroup(`${this.message}!`, excs);
      }
    }
    const g = new MyGroup('m', [new TypeError('a'), new RangeError('b')]);
    const [match, rest] = g.split(TypeError);
    assert.ok(match instanceof MyGroup);
    assert.ok(rest instanceof MyGroup);
    assert.equal(match.message, 'm!');
  });

  test('a matcher that is neither a class nor a function is a TypeError', () => {
    assert.throws(() => nested().split(42 as never), {
      name: 'TypeError',
      message:
        'expected an exception type, a tuple of exception types, or a callable (other than a class), got number. Pass an error class such as TypeError, an array of classes, or (e) => boolean.',
    });
    function isBad(): boolean {
      return true;
    }
    assert.throws(() => nested().split([TypeError, isBad as never]), {
      name: 'TypeError',
      message: 'expected an exception type, a tuple of exception types, or a callable (other than a class), got `matcher[1]` = `function isBad` (function)',
    });
  });

  test('a class that does not extend Error is still a class matcher', () => {
    class Plain {}
    const p = new Plain();
    // Such a group comes from yieldio itself (a TaskGroup child that threw a Plain); a user's
    // `new ExceptionGroup` refuses non-Errors, as Python's does.
    const g = groupOfThrown('m', [p, new Error('e')]);
    assert.deepEqual(g.split(Plain)[0]?.exceptions, [p]);
  });
});

describe('catchGroup (except*)', () => {
  test('each clause handles its part; nothing left means no throw', () => {
    const seen: unknown[] = [];
    catchGroup(nested(), [
      [RangeError, (g) => seen.push(['range', shape(g)])],
      [TypeError, (g) => seen.push(['type', shape(g)])],
    ]);
    assert.deepEqual(seen, [
      ['range', ['x', ['RangeError(1)', ['y', ['RangeError(5)']]]]],
      ['type', ['x', [['y', ['TypeError(2)']]]]],
    ]);
  });

  test('the unmatched rest is re-raised with its nesting', () => {
    let handled: unknown = null;
    assert.throws(
      () => catchGroup(nested(), [[TypeError, (g) => (handled = shape(g))]]),
      (e: unknown) => {
        assert.deepEqual(shape(e), ['x', ['RangeError(1)', ['y', ['RangeError(5)']]]]);
        return true;
      },
    );
    assert.deepEqual(handled, ['x', [['y', ['TypeError(2)']]]]);
  });

  test('a single error is handled as a one-member group with an empty message', () => {
    const err = new TimeoutError('late');
    let got: ExceptionGroup<TimeoutError> | null = null;
    catchGroup(err, [[TimeoutError, (g) => (got = g)]]);
    assert.ok(got !== null);
    assert.equal((got as ExceptionGroup<TimeoutError>).message, '');
    assert.deepEqual((got as ExceptionGroup<TimeoutError>).exceptions, [err]);
  });

  test('nothing matched: the original error itself is re-raised, even a single error', () => {
    const err = new CancelledError('stop');
    assert.throws(() => catchGroup(err, [[TypeError, () => {}]]), (e: unknown) => e === err);
    const g = nested();
    assert.throws(() => catchGroup(g, [[AppError, () => {}]]), (e: unknown) => e === g);
  });

  test('handlers that throw: new errors and the rest come out in one group', () => {
    // except* RangeError: raise KeyError(3) -> ExceptionGroup('', [KeyError(3), ExceptionGroup('x', [TypeError(2)])])
    const g = new ExceptionGroup('x', [new RangeError('1'), new TypeError('2')]);
    assert.throws(
      () =>
        catchGroup(g, [
          [
            RangeError,
            () => {
              throw new AppError('3');
            },
          ],
        ]),
      (e: unknown) => {
        assert.deepEqual(shape(e), ['', ['AppError(3)', ['x', ['TypeError(2)']]]]);
        return true;
      },
    );
  });

  test('two handlers that throw, nothing left', () => {
    const g = new ExceptionGroup('x', [new RangeError('1'), new TypeError('2')]);
    assert.throws(
      () =>
        catchGroup(g, [
          [
            RangeError,
            () => {
              throw new AppError('3');
            },
          ],
          [
            TypeError,
            () => {
              throw new AppError('4');
            },
          ],
        ]),
      (e: unknown) => {
        assert.deepEqual(shape(e), ['', ['AppError(3)', 'AppError(4)']]);
        return true;
      },
    );
  });

  test('a handler that rethrows its group re-raises those errors with the original nesting', () => {
    const g = nested();
    assert.throws(
      () =>
        catchGroup(g, [
          [
            RangeError,
            (group) => {
              throw group;
            },
          ],
          [TypeError, () => {}],
        ]),
      (e: unknown) => {
        assert.deepEqual(shape(e), ['x', ['RangeError(1)', ['y', ['RangeError(5)']]]]);
        return true;
      },
    );
  });

  test('a single error rethrown by its handler comes out as the one-member group', () => {
    const err = new RangeError('1');
    assert.throws(
      () =>
        catchGroup(err, [
          [
            RangeError,
            (group) => {
              throw group;
            },
          ],
        ]),
      (e: unknown) => {
        assert.deepEqual(shape(e), ['', ['RangeError(1)']]);
        return true;
      },
    );
  });

  test('a predicate clause and an array clause', () => {
    const seen: string[] = [];
    catchGroup(nested(), [
      [(e) => e instanceof Error && e.message === '5', (g) => seen.push(`pred ${g.exceptions.length}`)],
      [[RangeError, TypeError], (g) => seen.push(`array ${JSON.stringify(shape(g))}`)],
    ]);
    assert.deepEqual(seen, ['pred 1', 'array ["x",["RangeError(1)",["y",["TypeError(2)"]]]]']);
  });

  test('bad clauses are reported with their index', () => {
    assert.throws(() => catchGroup(new Error(), 5 as never), {
      name: 'TypeError',
      message: 'Expected `clauses` to be an array of [matcher, handler] pairs, e.g. catchGroup(e, [[TypeError, (group) => ...]])',
    });
    assert.throws(() => catchGroup(new Error(), [[TypeError, () => {}], [TypeError] as never]), {
      name: 'TypeError',
      message: 'Expected `clauses[1]` to be a [matcher, handler] pair, e.g. [TypeError, (group) => ...]',
    });
  });

  test('handler parameter types follow each matcher', () => {
    catchGroup(new ExceptionGroup('m', [new TimeoutError('t')]), [
      [
        TimeoutError,
        (g) => {
          const t: TimeoutError = g.exceptions[0] as TimeoutError;
          const first: TimeoutError | undefined = g.exceptions[0];
          assert.equal(first, t);
        },
      ],
      [
        [TypeError, RangeError],
        (g) => {
          const x: TypeError | RangeError | undefined = g.exceptions[0];
          void x;
        },
      ],
    ]);
  });
});
