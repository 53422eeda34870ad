// §15 `async for` under the hood. Like for...of (§1), asyncFor is sugar
// for a loop: take the iterator (__aiter__ → aiter()), await anext() until
// it throws StopAsyncIteration. The only difference from the sync loop:
// anext() returns an awaitable, so every turn may suspend for I/O.
// yieldio's asyncFor also calls aclose() when the body leaves early
// (contextlib.aclosing's job).
import {
  asyncFor, asyncGenerator, runSync, sleep, StopAsyncIteration,
  type Coroutine,
} from '../../src/index.ts';

const fermentation = asyncGenerator(function* fermentation(days: number) {
  for (let d = days; d > 0; d--) {
    yield* sleep(1000); // a day, on the virtual clock
    yield d;
  }
});

function* main_(): Coroutine<void> {
  // This:
  yield* asyncFor(fermentation(3), (d) => {
    console.log(`asyncFor:  ${d} days left`);
  });

  // is this:
  const it = fermentation(3); // _iter = type(ITER).__aiter__(ITER)
  for (;;) {
    let d: number;
    try {
      d = yield* it.anext(); // TARGET = await type(_iter).__anext__(_iter)
    } catch (error) {
      if (error instanceof StopAsyncIteration) break;
      throw error;
    }
    console.log(`by hand:   ${d} days left`); // BLOCK
  }
}

export function main(): void {
  runSync(main_);
}
