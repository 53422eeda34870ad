// examples/where-control-goes.ts: instruments and the call graph, on the virtual clock, so the
// transcript is the same every time.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('examples/where-control-goes.ts prints every step, idle jump and exit, and the call graph', async () => {
  const { runExample } = await import('../examples/where-control-goes.ts');
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]): void => {
    lines.push(args.map(String).join(' '));
  };
  try {
    runExample();
  } finally {
    console.log = log;
  }
  assert.deepEqual(lines.join('\n').split('\n'), [
    't=  0  spawn  a',
    't=  0  spawn  b',
    't=  0  step → a',
    't=  0  step → b',
    't=  0  idle   nothing ready: time jumps 10 ms',
    't= 10  step → main',
    '--- call graph of b while it waits for the lock a holds:',
    "* Task(name='b', state=pending)",
    '  + Awaiting:',
    "  |   Lock.acquire() on <Lock [locked, waiters:1]> held by Task 'a'",
    '---',
    't= 10  idle   nothing ready: time jumps 90 ms',
    't=100  step → a',
    't=100  exit   a: a done',
    't=100  step → b',
    't=100  step → main',
    't=100  idle   nothing ready: time jumps 50 ms',
    't=150  step → b',
    't=150  exit   b: b done',
    't=150  step → main',
  ]);
});
