// Twin of asyncgen_protocol.py.
import { asyncGenerator, runSync, sleep, createTask, RuntimeError, StopAsyncIteration, type AsyncGenBody } from '../../src/index.ts';

type Log = (line: string) => void;

class Boom extends Error {}

function makeTicker(log: Log) {
  return asyncGenerator(function* ticker(name: string): AsyncGenBody<number, void, string> {
    try {
      for (let i = 1; i < 4; i++) {
        yield* sleep(10);
        try {
          const got = yield i;
          log(`${name} got ${got === undefined ? 'None' : got}`);
        } catch (e) {
          if (!(e instanceof Boom)) throw e;
          log(`${name} caught ${e.message}`);
          yield -i;
        }
      }
    } finally {
      log(`${name} finally start`);
      yield* sleep(10);
      log(`${name} finally end`);
    }
  });
}

const stubborn = asyncGenerator(function* stubborn() {
  try {
    yield 1;
  } finally {
    yield 2;
  }
});

function show(v: unknown): string {
  return v === undefined ? 'None' : String(v);
}

export default function main(log: Log): void {
  const ticker = makeTicker(log);
  runSync(function* () {
    const g = ticker('g');
    log(`anext -> ${yield* g.anext()}`);
    log(`asend -> ${yield* g.asend('hello')}`);
    log(`athrow -> ${yield* g.athrow(new Boom('bad'))}`);
    const task = createTask(g.anext());
    yield* sleep(0);
    for (const op of ['anext', 'athrow', 'aclose']) {
      try {
        if (op === 'anext') yield* g.anext();
        else if (op === 'athrow') yield* g.athrow(new Boom('x'));
        else yield* g.aclose();
      } catch (e) {
        if (!(e instanceof RuntimeError)) throw e;
        log(`${op} while running: ${e.name}`);
      }
    }
    log(`task -> ${yield* task}`);
    yield* g.aclose();
    for (const op of ['anext', 'athrow', 'aclose']) {
      try {
        let r: unknown;
        if (op === 'anext') r = yield* g.anext();
        else if (op === 'athrow') r = yield* g.athrow(new Boom('late'));
        else r = yield* g.aclose();
        log(`${op} after close -> ${show(r)}`);
      } catch (e) {
        if (!(e instanceof StopAsyncIteration)) throw e;
        log(`${op} after close: ${e.name}`);
      }
    }
    const h = ticker('h');
    try {
      yield* h.asend(5 as never);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      log(`asend(5) to a fresh generator: ${e.name}`);
    }
    yield* h.aclose();
    log('h closed without running');
    const s = stubborn();
    yield* s.anext();
    try {
      yield* s.aclose();
    } catch (e) {
      if (!(e instanceof RuntimeError)) throw e;
      log(`stubborn aclose: ${e.name}`);
    }
    const left = ticker('left');
    log(`left -> ${yield* left.anext()}`);
    log('main done');
  });
  log('after run');
}
