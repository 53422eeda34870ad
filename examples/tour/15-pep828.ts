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

const accumulator = asyncGenerator(function* accumulator(): Generator<number | Suspend, number, number | undefined> {
  let total = 0;
  for (;;) {
    const value = yield total;
    if (value === undefined) return total; // PEP 828: return with a value
    total += value;
  }
});

const delegating = asyncGenerator(function* delegating(): Generator<number | Suspend, string, number | undefined> {
  const result = yield* accumulator(); // async yield from accumulator()
  return `accumulated ${result}`;
});

const passThrough = asyncGenerator(function* passThrough(): Generator<number | Suspend, string, number | undefined> {
  yield* asyncFor(accumulator(), function* (item: number) {
    yield item; // values only: the caller's 10 stops here; the accumulator gets undefined
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
