// §5 Lifecycle: throw() and close() (PEP 342).
// gen.throw(e) raises e at the yield where the generator is suspended.
// JavaScript's gen.return() is Python's gen.close(): it unwinds the
// generator through its finally blocks.
import { CancelledError } from '../../src/index.ts';

function* resilientWorker(): Generator<string> {
  for (;;) {
    try {
      yield 'working';
    } catch (error) {
      console.log(`  Handled: ${(error as Error).message}`);
    }
  }
}

function* resourceHolder(): Generator<string> {
  console.log('  Setup: opening connection');
  try {
    for (;;) yield 'ready';
  } finally {
    // Python catches GeneratorExit here; JavaScript has no such exception:
    // return() runs finally blocks only (a catch block never sees it).
    console.log('  Teardown: closing connection');
  }
}

export function main(): void {
  const w = resilientWorker();
  console.log(w.next().value);
  console.log(w.throw(new Error('boom')).value); // handled inside, yields again
  console.log(w.next().value); // still working

  const r = resourceHolder();
  console.log(r.next().value);
  console.log(r.return(undefined)); // close()

  // asyncio cancels a task exactly like this:
  // task._coro.throw(CancelledError()). yieldio does the same, and never
  // uses return() on a running coroutine.
  function* task(): Generator<string> {
    try {
      yield 'waiting for I/O';
    } finally {
      console.log('  cleanup ran');
    }
  }
  const t = task();
  t.next();
  try {
    t.throw(new CancelledError('shutting down'));
  } catch (error) {
    console.log(`${(error as Error).name}: ${(error as Error).message}`);
  }
}
