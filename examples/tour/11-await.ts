// §11 From yield from to await (PEP 492).
// In yieldio a coroutine is a `function*` returning Coroutine<T>, and
// `yield*` is `await`: exactly what @asyncio.coroutine + `yield from` were
// in Python 3.4.
import {
  getRunningLoop, runSync, sleep, type Coroutine,
} from '../../src/index.ts';

function* fetchNew(): Coroutine<number> {
  const result = yield* sleep(100, 42); // await asyncio.sleep(0.1, result=42)
  return result;
}

function* oldStyleSleep(): Coroutine<void> {
  // The bare `yield` of a @types.coroutine: one trip through the loop.
  yield* sleep(0);
}

function* main_(): Coroutine<string> {
  const value = yield* fetchNew();
  yield* oldStyleSleep();
  return `fetchNew() returned ${value} at loop time ${getRunningLoop().time()} ms`;
}

export function main(): void {
  // runSync runs on a virtual clock: the 100 ms sleep takes no real time.
  console.log(runSync(main_));
}
