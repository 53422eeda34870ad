// §15 Four differences from sync generators, as PEP 525 has them and as
// yieldio does them.
// 1. `return value`: a SyntaxError in Python 3.13; yieldio allows it, as
//    PEP 828 will:    the value rides on StopAsyncIteration.value, as
//    StopIteration.value does for generators (§7).
// 2. `yield from`: a SyntaxError in an async generator; in yieldio `yield*
//    otherAgen` is    PEP 828's `async yield from` (next chapter but one).
//    asyncFor + yield is the pass-through.
// 3. The end is StopAsyncIteration, not StopIteration; raised inside the
//    body, it becomes a    RuntimeError (PEP 479's rule, §11), so a stray
//    one cannot end the iteration silently.
// 4. Finalisation is explicit: an abandoned generator's finally waits for
//    aclose(); run() and    runSync() call loop.shutdownAsyncgens() when
//    main ends (asyncio.run does the same).
import {
  asyncGenerator, runSync, StopAsyncIteration, type Coroutine,
} from '../../src/index.ts';

const withResult = asyncGenerator(function* withResult() {
  yield 1;
  return 'done'; // 1. allowed (PEP 828)
});

const stray = asyncGenerator(function* stray() {
  yield 1;
  throw new StopAsyncIteration(); // 3. not a way to finish
});

const connection = asyncGenerator(function* connection() {
  try {
    yield 'row 1';
    yield 'row 2';
  } finally {
    console.log('4. connection: finally (shutdownAsyncgens, after main)');
  }
});

function* main_(): Coroutine<void> {
  const a = withResult();
  yield* a.anext();
  try {
    yield* a.anext();
  } catch (error) {
    const { name, value } = error as StopAsyncIteration;
    console.log(`1. the end: ${name}, value = ${JSON.stringify(value)}`);
  }

  const s = stray();
  yield* s.anext();
  try {
    yield* s.anext();
  } catch (error) {
    const { name, message } = error as Error;
    console.log(`3. raised inside the body: ${name}: ${message}`);
  }

  const c = connection();
  console.log(`4. main takes ${yield* c.anext()}, forgets the generator`);
  console.log('4. main returns');
}

export function main(): void {
  runSync(main_);
}
