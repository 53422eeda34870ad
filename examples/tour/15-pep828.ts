// §15 PEP 828: `async yield from`. Inside an async-generator body, yield*
// anotherAsyncGen is full delegation: values come out,
// asend()/athrow()/aclose() go in, and the sub-generator's return value
// comes back (async generators may return a value, carried by
// StopAsyncIteration.value). A hand-written asyncFor pass-through forwards
// values only.
import {
  asyncFor, asyncGenerator, runSync, StopAsyncIteration, type Coroutine,
  type Suspend,
} from '../../src/index.ts';

// yields numbers (or awaits), returns a number, receives numbers by asend()
type Accumulating<R> = Generator<number | Suspend, R, number | undefined>;

const accumulator = asyncGenerator(function* (): Accumulating<number> {
  let total = 0;
  for (;;) {
    const value = yield total;
    if (value === undefined) return total; // PEP 828: return with a value
    total += value;
  }
});

const delegating = asyncGenerator(function* (): Accumulating<string> {
  const result = yield* accumulator(); // async yield from accumulator()
  return `accumulated ${result}`;
});

const passThrough = asyncGenerator(function* (): Accumulating<string> {
  yield* asyncFor(accumulator(), function* (item: number) {
    // Values only: the caller's 10 stops here; the accumulator gets undefined.
    yield item;
  });
  return 'the accumulator saw undefined, not 10';
});

function* drive(name: string, agen: ReturnType<typeof delegating>): Coroutine<void> {
  const seen: unknown[] = [yield* agen.anext()];
  try {
    seen.push(yield* agen.asend(10), yield* agen.asend(5));
    yield* agen.asend(undefined);
  } catch (error) {
    if (!(error instanceof StopAsyncIteration)) throw error;
    seen.push(`StopAsyncIteration(value=${JSON.stringify(error.value)})`);
  }
  console.log(`${name}: ${seen.join(' → ')}`);
  yield* agen.aclose();
}

export function main(): void {
  runSync(function* () {
    yield* drive('yield* (PEP 828)', delegating());
    yield* drive('asyncFor pass-through', passThrough());
  });
}
