/**
 * toThread with a TypeScript module, under tsx: `node --import tsx examples/threads/main.ts`.
 * The worker loads primes-shim.mjs (plain JavaScript), which loads primes.ts with tsx's tsImport.
 */
import { gather, run } from '../../src/index.ts';
import { toThread } from '../../src/node/index.ts';
import type { checkedLimit, primesBelow } from './primes.ts';

const shim = new URL('./primes-shim.mjs', import.meta.url);

/** Counts primes below several limits on the worker pool, then shows a worker's error at the await site. */
export async function main(): Promise<void> {
  await run(function* () {
    const limits = [1_000, 10_000, 100_000];
    const results = yield* gather(limits.map((limit) => toThread<typeof primesBelow>(shim, 'primesBelow', limit)));
    results.forEach((primes, i) => console.log(`primes below ${limits[i]}: ${primes.length}`));
    try {
      yield* toThread<typeof checkedLimit>(shim, 'checkedLimit', 1);
    } catch (error) {
      // Raised here, with the worker's error (and its stack in primes.ts) as cause.
      const cause = (error as Error).cause as Error;
      console.log(`${(error as Error).name}: ${(error as Error).message} (cause from primes.ts: ${/primes\.ts/.test(cause.stack ?? '')})`);
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
