// §15 Async generators (PEP 525): await for I/O and yield to produce
// lazily, in one function.
// asyncGenerator(function* ...) is `async def` with `yield`: inside,
// `yield value` produces a value and `yield* awaitable` awaits. asyncFor
// is `async for`; returning BREAK leaves the loop, and leaving early calls
// aclose(), which runs the generator's finally block.
import {
  asyncFor, asyncGenerator, BREAK, runSync, sleep, type Coroutine,
} from '../../src/index.ts';

type Check = { name: string; quality: number };
const INGREDIENTS: Check[] = [
  { name: 'malt', quality: 85 },
  { name: 'hops', quality: 92 },
  { name: 'water', quality: 78 },
  { name: 'yeast', quality: 95 },
];

function* checkIngredient(offset: number): Coroutine<Check | null> {
  yield* sleep(10); // network latency
  return INGREDIENTS[offset] ?? null;
}

const qualityCheck = asyncGenerator(function* qualityCheck() {
  try {
    for (let offset = 0; ; offset++) {
      const check = yield* checkIngredient(offset); // await
      if (check === null) return;
      console.log(`  produced ${check.name}`);
      yield check; // produce, lazily: runs only when the consumer asks
    }
  } finally {
    console.log('  qualityCheck: finally (closed)');
  }
});

function* main_(): Coroutine<void> {
  yield* asyncFor(qualityCheck(), function* (check) {
    if (check.quality > 90) {
      console.log(`first above 90: ${check.name}`);
      return BREAK; // aclose() is called for us
    }
  });

  // The protocol by hand: anext() and aclose() are awaitables.
  const agen = qualityCheck();
  const first = yield* agen.anext();
  console.log(`anext() → ${first.name}`);
  yield* agen.aclose();
}

export function main(): void {
  runSync(main_);
}
