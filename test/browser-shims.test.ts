// The browser run (scripts/test-browser.ts) is only as strict as its stand-ins for node:assert and
// node:test: here each assert case runs under Node's own assert and under the shim, and both must
// agree on pass or fail; the test shim's runner reports pass, fail, skip and timeouts.
import { describe, test } from 'node:test';
import nodeAssert from 'node:assert/strict';
import shim from '../scripts/browser/node-assert.ts';
import { describe as shimDescribe, test as shimTest, runRegistered, type TestResult } from '../scripts/browser/node-test.ts';

class Custom extends Error {
  code = 7;
}
const sym = Symbol('s');
const cyclic = (): object => {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
};

// [description, call(assert)]: each call passes or throws the same way under both.
type Assert = typeof nodeAssert;
const cases: [string, (a: Assert) => unknown][] = [
  ['equal same', (a) => a.equal(1, 1)],
  ['equal differs', (a) => a.equal(1, '1')],
  ['equal NaN', (a) => a.equal(NaN, NaN)],
  ['equal -0/+0', (a) => a.equal(-0, 0)],
  ['notEqual', (a) => a.notEqual(1, 2)],
  ['notEqual same', (a) => a.notEqual(1, 1)],
  ['ok truthy', (a) => a.ok('x')],
  ['ok falsy', (a) => a.ok(0)],
  ['match', (a) => a.match('abc', /b/)],
  ['match fails', (a) => a.match('abc', /d/)],
  ['doesNotMatch', (a) => a.doesNotMatch('abc', /d/)],
  ['doesNotMatch fails', (a) => a.doesNotMatch('abc', /b/)],
  ['fail', (a) => a.fail('boom')],
  ['deepEqual arrays', (a) => a.deepEqual([1, [2, { x: 3 }]], [1, [2, { x: 3 }]])],
  ['deepEqual array lengths', (a) => a.deepEqual([1, 2], [1, 2, 3])],
  ['deepEqual sparse vs undefined', (a) => a.deepEqual([1, undefined], [1, undefined])],
  ['deepEqual strict types', (a) => a.deepEqual({ a: 1 }, { a: '1' })],
  ['deepEqual missing key', (a) => a.deepEqual({ a: 1 }, { a: 1, b: undefined })],
  ['deepEqual prototypes', (a) => a.deepEqual(Object.create(null) as object, {})],
  ['deepEqual class instances', (a) => a.deepEqual(new Custom('m'), new Custom('m'))],
  ['deepEqual errors differ by message', (a) => a.deepEqual(new Error('a'), new Error('b'))],
  ['deepEqual errors differ by class', (a) => a.deepEqual(new TypeError('a'), new RangeError('a'))],
  ['deepEqual Map', (a) => a.deepEqual(new Map([[1, { a: 1 }]]), new Map([[1, { a: 1 }]]))],
  ['deepEqual Map differs', (a) => a.deepEqual(new Map([[1, 'a']]), new Map([[1, 'b']]))],
  ['deepEqual Set', (a) => a.deepEqual(new Set([1, 2]), new Set([2, 1]))],
  ['deepEqual Set of objects', (a) => a.deepEqual(new Set([{ a: 1 }]), new Set([{ a: 1 }]))],
  ['deepEqual Set differs', (a) => a.deepEqual(new Set([1]), new Set([2]))],
  ['deepEqual Date', (a) => a.deepEqual(new Date(5), new Date(5))],
  ['deepEqual Date differs', (a) => a.deepEqual(new Date(5), new Date(6))],
  ['deepEqual RegExp flags', (a) => a.deepEqual(/a/g, /a/i)],
  ['deepEqual symbol keys', (a) => a.deepEqual({ [sym]: 1 }, { [sym]: 2 })],
  ['deepEqual cycles', (a) => a.deepEqual(cyclic(), cyclic())],
  ['deepEqual boxed', (a) => a.deepEqual(Object(1) as object, Object(2) as object)],
  ['deepEqual array vs object', (a) => a.deepEqual([], {})],
  ['throws', (a) => a.throws(() => { throw new TypeError('x'); })],
  ['throws nothing', (a) => a.throws(() => {})],
  ['throws class', (a) => a.throws(() => { throw new TypeError('x'); }, TypeError)],
  ['throws wrong class', (a) => a.throws(() => { throw new TypeError('x'); }, RangeError)],
  ['throws regexp', (a) => a.throws(() => { throw new Error('needle'); }, /needle/)],
  ['throws regexp misses', (a) => a.throws(() => { throw new Error('hay'); }, /needle/)],
  ['throws object', (a) => a.throws(() => { throw new TypeError('x'); }, { name: 'TypeError', message: 'x' })],
  ['throws object message differs', (a) => a.throws(() => { throw new TypeError('x'); }, { name: 'TypeError', message: 'y' })],
  ['throws object regexp value', (a) => a.throws(() => { throw new TypeError('abc'); }, { message: /b/ })],
  ['throws object extra key', (a) => a.throws(() => { throw new Custom('m'); }, { code: 7 })],
  ['throws object extra key differs', (a) => a.throws(() => { throw new Custom('m'); }, { code: 8 })],
  ['throws validator true', (a) => a.throws(() => { throw new Error('x'); }, (e: unknown) => e instanceof Error)],
  ['throws validator false', (a) => a.throws(() => { throw new Error('x'); }, (e: unknown) => e instanceof TypeError)],
  ['doesNotThrow', (a) => a.doesNotThrow(() => {})],
  ['doesNotThrow throws', (a) => a.doesNotThrow(() => { throw new Error('x'); })],
  ['rejects', (a) => a.rejects(Promise.reject(new TypeError('x')), TypeError)],
  ['rejects resolves', (a) => a.rejects(Promise.resolve(1))],
  ['rejects fn', (a) => a.rejects(async () => { throw new Error('m'); }, { message: 'm' })],
  ['rejects wrong message', (a) => a.rejects(async () => { throw new Error('m'); }, { message: 'n' })],
];

async function outcome(call: () => unknown): Promise<string> {
  try {
    await call();
    return 'pass';
  } catch (e) {
    return e instanceof Error && e.name === 'AssertionError' ? 'fail' : `threw ${String(e)}`;
  }
}

describe('node:assert/strict stand-in agrees with Node', () => {
  for (const [name, call] of cases) {
    test(name, async () => {
      const expected = await outcome(() => call(nodeAssert));
      const actual = await outcome(() => call(shim as unknown as Assert));
      nodeAssert.equal(actual, expected, `${name}: node says ${expected}, the shim says ${actual}`);
    });
  }
  test('every case list holds both outcomes (the comparison can fail)', async () => {
    const outcomes = new Set(await Promise.all(cases.map(([, call]) => outcome(() => call(nodeAssert)))));
    nodeAssert.deepEqual([...outcomes].sort(), ['fail', 'pass']);
  });
});

test('node:test stand-in: runs registered tests in order, with describe paths, skips, failures and timeouts', async () => {
  const ran: string[] = [];
  shimDescribe('outer', () => {
    shimTest('passes', () => {
      ran.push('passes');
    });
    shimTest('fails', () => {
      throw new Error('broken');
    });
    shimDescribe('inner', { skip: true }, () => {
      shimTest('skipped by its suite', () => {
        ran.push('must not run');
      });
    });
  });
  shimTest('skips itself', (t) => {
    t.skip('not here');
  });
  shimTest('async rejects', async () => {
    await Promise.reject(new RangeError('later'));
  });
  shimTest('hangs', { timeout: 20 }, () => new Promise(() => {}));
  const results: TestResult[] = [];
  await runRegistered((r) => results.push(r), 1000);
  nodeAssert.deepEqual(ran, ['passes']);
  nodeAssert.deepEqual(
    results.map((r) => [r.name, r.status]),
    [
      ['outer > passes', 'pass'],
      ['outer > fails', 'fail'],
      ['outer > inner > skipped by its suite', 'skip'],
      ['skips itself', 'skip'],
      ['async rejects', 'fail'],
      ['hangs', 'fail'],
    ],
  );
  nodeAssert.match(results[1]?.error ?? '', /Error: broken/);
  nodeAssert.match(results[4]?.error ?? '', /RangeError: later/);
  nodeAssert.match(results[5]?.error ?? '', /test timed out after 20 ms/);
});
