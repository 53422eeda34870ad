import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../runners.ts';
import { getRunningLoop } from '../events.ts';
import { EventLoop } from '../base-events.ts';
import { addSignalHandler, removeSignalHandler } from './signals.ts';

describe('addSignalHandler / removeSignalHandler (signals sent to this process)', () => {
  test('add_signal_handler: the callback runs in the loop with its arguments; remove returns true, then false', async () => {
    const out = await run(function* () {
      const loop = getRunningLoop();
      const got = loop.createFuture<string>();
      addSignalHandler(loop, 'SIGUSR2', (a: string, b: number) => {
        // Runs as a loop callback: the loop is running on this stack.
        got.setResult(`${a}${b} in loop: ${getRunningLoop() === loop}`);
      }, 'x', 1);
      assert.equal(process.listenerCount('SIGUSR2'), 1);
      process.kill(process.pid, 'SIGUSR2');
      const value = yield* got;
      return [value, removeSignalHandler(loop, 'SIGUSR2'), removeSignalHandler(loop, 'SIGUSR2'), process.listenerCount('SIGUSR2')];
    });
    assert.deepEqual(out, ['x1 in loop: true', true, false, 0]);
  });

  test('adding again replaces the handler; a number works as the name; run() shutdown removes what is left', async () => {
    const calls: string[] = [];
    await run(function* () {
      const loop = getRunningLoop();
      const got = loop.createFuture<void>();
      addSignalHandler(loop, 'SIGUSR2', () => calls.push('first'));
      addSignalHandler(loop, 12, () => { // 12 is SIGUSR2 on Linux
        calls.push('second');
        got.setResult();
      });
      assert.equal(process.listenerCount('SIGUSR2'), 1);
      process.kill(process.pid, 'SIGUSR2');
      yield* got;
    });
    assert.deepEqual(calls, ['second']);
    assert.equal(process.listenerCount('SIGUSR2'), 0);
  });

  test('bad arguments and uncatchable signals: asyncio\'s messages', () => {
    const loop = new EventLoop();
    assert.throws(() => addSignalHandler(loop, 'SIGUSR2', function* () {} as never), {
      name: 'TypeError',
      message: 'coroutines cannot be used with addSignalHandler(): pass a plain function that starts a task, e.g. () => loop.createTask(onSignal()).',
    });
    assert.throws(() => addSignalHandler(loop, 'SIGUSR2', 'nope' as never), { name: 'TypeError', message: 'Expected `callback` to be a function, got `"nope"` (string)' });
    assert.throws(() => addSignalHandler(loop, 999, () => {}), { name: 'RangeError', message: 'invalid signal number 999' });
    assert.throws(() => addSignalHandler(loop, 'SIGNOPE' as never, () => {}), { name: 'RangeError', message: 'invalid signal name "SIGNOPE"' });
    assert.throws(() => removeSignalHandler(loop, {} as never), { name: 'TypeError', message: 'sig must be a signal name or number, not `[object Object]` (object)' });
    assert.throws(() => addSignalHandler(loop, 'SIGKILL', () => {}), { name: 'RuntimeError', message: 'sig SIGKILL cannot be caught' });
    loop.close();
    assert.throws(() => addSignalHandler(loop, 'SIGUSR2', () => {}), { name: 'RuntimeError', message: 'Event loop is closed' });
  });
});
