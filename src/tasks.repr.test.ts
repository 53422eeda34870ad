// Task and Future reprs as asyncio spells them (issue #16 §4, issue #10 §5): fields in asyncio's
// order, `cancelling` after cancel(), `cb=[...]` on pending futures and tasks. Ported from CPython
// 3.13 test_tasks.test_task_repr and test_futures.test_future_repr; CPython's own output for the
// same program (file:line omitted: JavaScript functions carry no cheap source position, so
// yieldio names the function only):
//   <Future pending cb=[Task.task_wakeup()]>
//   <Task pending name='W' coro=<...> wait_for=<Future pending cb=[Task.task_wakeup()]>>
//   <Task cancelling name='W' coro=<...> wait_for=<Future cancelled> cb=[first_cb() at ...]>
//   <Task finished name='T2' coro=<...> result='abc'>
//   <Future pending cb=[first_cb() at ..., <3 more>, first_cb() at ...]>
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventLoop } from './base-events.ts';
import { CancelledError, RuntimeError } from './exceptions.ts';
import { createTask, sleep } from './tasks.ts';
import type { Coroutine } from './types.ts';

function fakefunc(): void {}
function firstCb(): void {}
function lastCb(): void {}
function Dummy(): void {}

describe('Future repr (test_future_repr)', () => {
  test('pending, cancelled, result, exception', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    assert.equal(String(loop.createFuture()), '<Future pending>');
    const cancelled = loop.createFuture();
    cancelled.cancel();
    assert.equal(String(cancelled), '<Future cancelled>');
    const result = loop.createFuture<number>();
    result.setResult(4);
    assert.equal(String(result), '<Future finished result=4>');
    const exc = new RuntimeError();
    const failed = loop.createFuture();
    failed.setException(exc);
    assert.equal(String(failed), '<Future finished exception=RuntimeError()>');
    assert.equal(failed.exception(), exc);
    loop.close();
  });

  test('cb=[one], cb=[first, last], cb=[first, <8 more>, last]; gone once done', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const one = loop.createFuture();
    one.addDoneCallback(fakefunc);
    assert.equal(String(one), '<Future pending cb=[fakefunc()]>');
    one.cancel();
    assert.equal(String(one), '<Future cancelled>');

    const two = loop.createFuture();
    two.addDoneCallback(firstCb);
    two.addDoneCallback(lastCb);
    assert.equal(String(two), '<Future pending cb=[firstCb(), lastCb()]>');

    const many = loop.createFuture();
    many.addDoneCallback(firstCb);
    for (let i = 0; i < 8; i++) many.addDoneCallback(fakefunc);
    many.addDoneCallback(lastCb);
    assert.equal(String(many), '<Future pending cb=[firstCb(), <8 more>, lastCb()]>');
    many.cancel();
    assert.equal(String(many), '<Future cancelled>');

    const anonymous = loop.createFuture();
    anonymous.addDoneCallback(() => {});
    anonymous.addDoneCallback(fakefunc.bind(null));
    assert.equal(String(anonymous), '<Future pending cb=[(anonymous)(), fakefunc()]>');
    loop.close();
  });

  test('a future a task awaits shows the task wakeup, as asyncio', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const fut = loop.createFuture<number>();
    const task = loop.createTask((function* (): Coroutine<number> {
      return yield* fut;
    })(), { name: 'W' });
    loop.runUntilCompleteSync(sleep(0));
    assert.equal(String(fut), '<Future pending cb=[Task.task_wakeup()]>');
    assert.equal(String(task), "<Task pending name='W' coro=<coroutine> wait_for=<Future pending cb=[Task.task_wakeup()]>>");
    fut.setResult(1);
    loop.runUntilCompleteSync(task);
    loop.close();
  });
});

describe('Task repr (test_task_repr)', () => {
  test('pending with a done callback, cancelling after cancel(), then cancelled; finished with its result last', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    function* notmuch(): Coroutine<string> {
      return 'abc';
    }
    const t = loop.createTask(notmuch(), { name: 'TestTask' });
    t.addDoneCallback(Dummy);
    assert.equal(String(t), "<Task pending name='TestTask' coro=<coroutine> cb=[Dummy()]>");
    t.cancel(); // does not take immediate effect
    assert.equal(String(t), "<Task cancelling name='TestTask' coro=<coroutine> cb=[Dummy()]>");
    assert.throws(() => loop.runUntilCompleteSync(t), CancelledError);
    assert.equal(String(t), "<Task cancelled name='TestTask' coro=<coroutine>>");

    const done = loop.createTask(notmuch(), { name: 'TestTask' });
    loop.runUntilCompleteSync(done);
    assert.equal(String(done), "<Task finished name='TestTask' coro=<coroutine> result='abc'>");
    loop.close();
  });

  test('a task awaiting a future: cancelling shows the cancelled waiter, then the callbacks', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const fut = loop.createFuture();
    const t = loop.createTask((function* (): Coroutine<unknown> {
      return yield* fut;
    })(), { name: 'W' });
    loop.runUntilCompleteSync(sleep(0));
    t.addDoneCallback(firstCb);
    t.cancel();
    assert.equal(String(t), "<Task cancelling name='W' coro=<coroutine> wait_for=<Future cancelled> cb=[firstCb()]>");
    assert.throws(() => loop.runUntilCompleteSync(t), CancelledError);
    loop.close();
  });

  test('a failed task shows exception= after the coro', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const t = loop.createTask((function* (): Coroutine<void> {
      throw new RangeError('x');
    })(), { name: 'T3' });
    assert.throws(() => loop.runUntilCompleteSync(t), RangeError);
    assert.equal(String(t), "<Task finished name='T3' coro=<coroutine> exception=RangeError('x')>");
    loop.close();
  });

  test('the repr of a task created inside a coroutine, via createTask', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const repr = loop.runUntilCompleteSync((function* (): Coroutine<string> {
      const t = createTask(sleep(5), { name: 'S' });
      yield* sleep(0);
      return String(t);
    })());
    assert.equal(repr, "<Task pending name='S' coro=<sleep 5 ms> wait_for=<sleep 5 ms>>");
    loop.close();
  });
});
