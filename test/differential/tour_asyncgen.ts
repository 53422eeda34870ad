// Twin of tour_asyncgen.py: the behaviours the tour's §15 chapters show (examples/tour/15-*.ts).
import { asyncFor, asyncGenerator, BREAK, runSync, sleep, StopAsyncIteration, type AsyncGenBody, type AsyncGen } from '../../src/index.ts';

type Log = (line: string) => void;

class Bad extends Error {}

const show = (v: unknown): string => (v === null || v === undefined ? 'None' : Number.isInteger(v) ? `${String(v)}.0` : String(v));

export default function main(log: Log): void {
  let forgotten: AsyncGen<string> | undefined;
  runSync(function* () {
    let calls = 0;
    const ingredients = [85, 92, 78, 95, 88];
    function* check(offset: number) {
      calls++;
      yield* sleep(1);
      return ingredients[offset] ?? null;
    }
    const qualityCheck = asyncGenerator(function* () {
      for (let offset = 0; ; offset++) {
        const q = yield* check(offset);
        if (q === null) return;
        yield q;
      }
    });
    let found = 0;
    yield* asyncFor(qualityCheck(), (q) => {
      found = q;
      if (q > 90) return BREAK;
    });
    log(`first above 90: ${found} after ${calls} calls`);

    const runningAverage = asyncGenerator(function* (): AsyncGenBody<number | null, void, number> {
      let total = 0;
      let count = 0;
      let average: number | null = null;
      try {
        for (;;) {
          try {
            const value = yield average;
            yield* sleep(1);
            total += value ?? 0;
            count++;
            average = total / count;
          } catch (e) {
            if (!(e instanceof Bad)) throw e;
            log(`caught ${e.message} at the yield`);
          }
        }
      } finally {
        log('finally runs');
      }
    });
    const avg = runningAverage();
    log(`anext -> ${show(yield* avg.anext())}`);
    log(`asend(10) -> ${show(yield* avg.asend(10))}`);
    log(`asend(20) -> ${show(yield* avg.asend(20))}`);
    log(`athrow -> ${show(yield* avg.athrow(new Bad('not a number')))}`);
    log(`asend(30) -> ${show(yield* avg.asend(30))}`);
    yield* avg.aclose();

    const stray = asyncGenerator(function* () {
      yield 1;
      throw new StopAsyncIteration();
    });
    const s = stray();
    yield* s.anext();
    try {
      yield* s.anext();
    } catch (e) {
      // CPython's message has no repr after it; yieldio's names the generator.
      log(`RuntimeError: ${(e as Error).message.split(':')[0]}`);
    }

    const connection = asyncGenerator(function* () {
      try {
        yield 'row 1';
        yield 'row 2';
      } finally {
        log('connection finally');
      }
    });
    forgotten = connection(); // kept alive: only the loop's shutdown can close it
    log(`main takes ${yield* forgotten.anext()}`);
    log('main returns');
  });
  log('after run');
}
