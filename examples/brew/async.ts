// Seed §15.1: the brew sequence, asynchronous. Each quality check and each day of fermentation
// "does I/O" (a sleep). def → asyncGenerator(function* ...), for → asyncFor, await → yield*.
// Run: node --import tsx examples/brew/async.ts          (virtual clock: instant)
//      node --import tsx examples/brew/async.ts --real   (real clock: 3.3 s, as in the article)
// Prints the article's output: ✓ malt, ✓ hops, ✓ water, 3, 2, 1, 🍺 Beer ready!
import { asyncFor, asyncGenerator, run, runSync, sleep, type Coroutine } from '../../src/index.ts';

export const qualityCheck = asyncGenerator(function* qualityCheck() {
  for (const ingredient of ['malt', 'hops', 'water']) {
    yield* sleep(100); // simulates I/O
    yield `✓ ${ingredient}`;
  }
});

export const fermentation = asyncGenerator(function* fermentation(days: number) {
  for (let d = days; d > 0; d--) {
    yield* sleep(1_000);
    yield d;
  }
});

export function* brew(): Coroutine<void> {
  yield* asyncFor(qualityCheck(), function* (status) {
    console.log(status);
  });
  yield* asyncFor(fermentation(3), function* (d) {
    console.log(d);
  });
  console.log('🍺 Beer ready!');
}

export function main(real = false): void | Promise<void> {
  if (real) return run(brew); // asyncio.run(brew())
  runSync(brew);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  await main(process.argv.includes('--real'));
}
