import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCallback, checkDelay, checkInteger } from './validate.ts';
import { describeValue } from './repr.ts';
import { internalError } from '../exceptions.ts';

test('checkDelay: numbers pass (negative and Infinity too); NaN is a RangeError, other types a TypeError', () => {
  assert.equal(checkDelay(-3, 'delay'), -3);
  assert.equal(checkDelay(Infinity, 'delay'), Infinity);
  assert.throws(() => checkDelay(NaN, 'timeout'), { name: 'RangeError', message: 'Expected `timeout` to be a number of milliseconds, got `NaN` (number)' });
  assert.throws(() => checkDelay(undefined, 'delay'), { name: 'TypeError', message: 'Expected `delay` to be a number of milliseconds, got `undefined` (undefined)' });
});

test('checkCallback names the parameter and the value', () => {
  assert.doesNotThrow(() => checkCallback(() => {}, 'cb'));
  assert.throws(() => checkCallback(Symbol('s'), 'cb'), { name: 'TypeError', message: 'Expected `cb` to be a function, got `Symbol(s)` (symbol)' });
});

test('checkInteger: a range with or without an upper bound', () => {
  assert.equal(checkInteger(0, 'maxsize', 0), 0);
  assert.throws(() => checkInteger(-1, 'maxsize', 0), { name: 'RangeError', message: 'Expected `maxsize` to be an integer >= 0, got `-1` (number)' });
  assert.throws(() => checkInteger(1.5, 'parties', 1, 10), { name: 'RangeError', message: 'Expected `parties` to be an integer in [1, 10], got `1.5` (number)' });
  assert.throws(() => checkInteger('3', 'n', 0), { name: 'TypeError', message: 'Expected `n` to be an integer >= 0, got `"3"` (string)' });
});

test('describeValue: strings quoted, functions by name, objects by class (generators by tag)', () => {
  assert.equal(describeValue('a'), '`"a"` (string)');
  assert.equal(describeValue(function named() {}), '`function named` (function)');
  assert.equal(describeValue(null), '`null` (null)');
  assert.equal(describeValue(new Map()), '`[object Map]` (object)');
  assert.equal(describeValue((function* () {})()), '`[object Generator]` (object)');
});

test('internalError: a plain Error worded as a yieldio bug, with the cause', () => {
  const cause = new Error('inner');
  const e = internalError('heap corrupted', cause);
  assert.equal(e.constructor, Error);
  assert.equal(e.message, 'yieldio internal error: heap corrupted (please report this)');
  assert.equal(e.cause, cause);
});
