// §12 The await protocol: [Symbol.iterator]() is __await__.
// An awaitable is any object whose [Symbol.iterator]() returns a
// generator; `yield*` runs it, its yields go up to whoever drives the
// coroutine, its return value is the result.
import { EventLoop, type Future } from '../../src/index.ts';

class MyFuture {
  constructor(private readonly value: number) {}
  *[Symbol.iterator](): Generator<string, number> {
    yield 'suspending with future'; // this reaches the "event loop"
    return this.value; // Python: StopIteration(self._value)
  }
}

function* useCustom(): Generator<string, number> {
  const result = yield* new MyFuture(42);
  return result;
}

export function main(): void {
  // Drive it by hand, as an event loop would (Python: coro.send(None)).
  const coro = useCustom();
  console.log(coro.next().value); // suspended on the awaitable
  console.log(coro.next()); // resumed: the coroutine returned 42

  // A real yieldio Future works the same way: the coroutine yields the
  // Future itself; the loop would park the task on it and resume it when
  // the result is set.
  const fut: Future<number> = new EventLoop().createFuture<number>();
  function* waiter(): Generator<unknown, number> {
    return yield* fut;
  }
  const w = waiter();
  const yielded = w.next().value;
  const same = yielded === fut;
  console.log('the coroutine yielded', String(yielded), '| same object:', same);
  fut.setResult(42);
  console.log(w.next());
}
