// §14 asyncio.run(): the same fermenting batches on yieldio. `yield*
// sleep(ms)` replaces yield ['sleep', ms]; createTask replaces callSoon;
// run() is the loop. Its sleepers live in a binary heap ordered by
// (deadline, sequence): O(log n) per timer, where MiniEventLoop scanned
// every sleeper on every iteration.
import {
  createTask, run, sleep, type Coroutine,
} from '../../src/index.ts';

function* fermentingBatch(name: string, days: number): Coroutine<void> {
  for (let d = days; d > 0; d--) {
    console.log(`  [${name}] ${d} days left`);
    yield* sleep(50); // await asyncio.sleep(0.05)
  }
  console.log(`  [${name}] 🍺 ready`);
}

function* brewery(): Coroutine<void> {
  const pilsner = createTask(fermentingBatch('Pilsner', 3));
  const ipa = createTask(fermentingBatch('IPA', 2));
  yield* pilsner;
  yield* ipa;
}

export async function main(): Promise<void> {
  await run(brewery); // a real clock, like asyncio.run()
}
