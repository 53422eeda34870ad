// Twin of asyncgen_delegation.py: PEP 828 delegation written as `yield* inner()` and `return value`.
import { asyncGenerator, runSync, sleep, StopAsyncIteration, type AsyncGenBody } from '../../src/index.ts';

type Log = (line: string) => void;

class Boom extends Error {}

export default function main(log: Log): void {
  const accumulator = asyncGenerator(function* accumulator(): AsyncGenBody<number, number, number> {
    let total = 0;
    try {
      for (;;) {
        let value: number | undefined;
        try {
          value = yield total;
        } catch (e) {
          if (!(e instanceof Boom)) throw e;
          log(`accumulator caught ${e.message}`);
          value = 0;
        }
        if (value === undefined) return total;
        yield* sleep(10);
        total += value;
      }
    } finally {
      log('accumulator finally');
    }
  });
  const outer = asyncGenerator(function* outer(): AsyncGenBody<number | string, void, number> {
    const result = yield* accumulator();
    log(`outer got ${result}`);
    yield `final ${result}`;
  });
  const closingOuter = asyncGenerator(function* closingOuter(): AsyncGenBody<number, void, number> {
    try {
      yield* accumulator();
    } finally {
      log('outer finally');
    }
  });
  runSync(function* () {
    const g = outer();
    log(`start -> ${yield* g.asend(undefined)}`);
    log(`asend 10 -> ${yield* g.asend(10)}`);
    log(`asend 5 -> ${yield* g.asend(5)}`);
    log(`athrow -> ${yield* g.athrow(new Boom('reset?'))}`);
    log(`anext -> ${yield* g.anext()}`);
    try {
      yield* g.anext();
    } catch (e) {
      if (!(e instanceof StopAsyncIteration)) throw e;
      log('outer exhausted');
    }
    const c = closingOuter();
    log(`c start -> ${yield* c.anext()}`);
    log(`c asend 7 -> ${yield* c.asend(7)}`);
    yield* c.aclose();
    log('c closed');
  });
}
