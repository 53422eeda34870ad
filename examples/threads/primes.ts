/**
 * CPU-bound TypeScript that examples/threads/main.ts runs on worker threads with `toThread`.
 * A worker does not get tsx's hooks on Node 20, so it is loaded through primes-shim.mjs.
 */

/** The primes below `limit` (a sieve): enough work to be worth a thread. */
export function primesBelow(limit: number): number[] {
  const composite = new Uint8Array(limit);
  const primes: number[] = [];
  for (let n = 2; n < limit; n++) {
    if (composite[n] === 1) continue;
    primes.push(n);
    for (let m = n * n; m < limit; m += n) composite[m] = 1;
  }
  return primes;
}

/** Fails with a RangeError, to show where a worker's error is raised. */
export function checkedLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 2) throw new RangeError(`limit must be an integer >= 2, got ${limit}`);
  return limit;
}
