// §15 Why async generators: two superpowers that did not mix. Each quality
// check is a network call; we want the first ingredient above 90. Approach
// 1 loads everything first; approach 2 pushes every check into a callback,
// which cannot stop the producer; the async generator lets the consumer
// pull at its own pace and stop (the count of network calls shows the
// difference).
import {
  asyncFor, asyncGenerator, BREAK, runSync, sleep, type Coroutine,
} from '../../src/index.ts';

type Check = { name: string; quality: number };
const INGREDIENTS: Check[] = [
  { name: 'malt', quality: 85 },
  { name: 'hops', quality: 92 },
  { name: 'water', quality: 78 },
  { name: 'yeast', quality: 95 },
  { name: 'sugar', quality: 88 },
];

let calls = 0;
function* checkIngredient(offset: number): Coroutine<Check | null> {
  calls++;
  yield* sleep(10); // network latency
  return INGREDIENTS[offset] ?? null;
}

// Approach 1: load everything into memory, then look.
function* getAllChecks(): Coroutine<Check[]> {
  const checks: Check[] = [];
  for (let offset = 0; ; offset++) {
    const check = yield* checkIngredient(offset);
    if (check === null) return checks; // EVERYTHING in memory
    checks.push(check);
  }
}

// Approach 2: callbacks. The producer pushes; the consumer cannot say
// "stop".
function* processChecks(
  callback: (check: Check) => Coroutine<void>,
): Coroutine<void> {
  for (let offset = 0; ; offset++) {
    const check = yield* checkIngredient(offset);
    if (check === null) return;
    yield* callback(check);
  }
}

// The async generator: await for the I/O, yield to produce lazily.
const qualityCheck = asyncGenerator(function* qualityCheck() {
  for (let offset = 0; ; offset++) {
    const check = yield* checkIngredient(offset);
    if (check === null) return;
    yield check;
  }
});

function* main_(): Coroutine<void> {
  calls = 0;
  const all = yield* getAllChecks();
  const best = all.find((c) => c.quality > 90)?.name;
  console.log(`1. load everything → ${best}, after ${calls} network calls, ` +
    `${all.length} checks in memory`);

  calls = 0;
  let found: string | undefined;
  yield* processChecks(function* (check) {
    // No way to break out: the producer goes on to the end.
    if (found === undefined && check.quality > 90) found = check.name;
  });
  console.log(`2. callbacks       → ${found}, after ${calls} network calls, ` +
    'no break');

  calls = 0;
  yield* asyncFor(qualityCheck(), (check) => {
    if (check.quality > 90) {
      found = check.name;
      return BREAK; // stop: aclose() is called, no more network calls
    }
  });
  console.log(`3. async generator → ${found}, after ${calls} network calls, ` +
    'one check at a time');
}

export function main(): void {
  runSync(main_);
}
