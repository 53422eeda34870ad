// §15 Before PEP 525: the hand-written class. AsyncCounter keeps its state
// in fields and is a state machine: anext() checks the end
// (StopAsyncIteration), awaits, updates, returns. The generator below does
// the same in four lines; its state lives in the frozen frame (§3).
// Then both run 20 000 items with no await inside, as PEP 525's benchmark
// does, timed now; and the same benchmark in CPython, when python3 is on
// the PATH. (The lines starting with "measured" change from run to run:
// the tour's test ignores what follows the word.)
import { spawnSync } from 'node:child_process';
import {
  asyncFor, asyncGenerator, runSync, sleep, StopAsyncIteration,
  type AsyncIterableLike, type AsyncIteratorLike, type Coroutine,
} from '../../src/index.ts';

type Source = AsyncIterableLike<number> | AsyncIteratorLike<number>;

class AsyncCounter implements AsyncIterableLike<number>, AsyncIteratorLike<number> {
  private i = 0;
  constructor(
    private readonly n: number,
    private readonly delay: number,
  ) {}

  aiter(): this {
    return this; // __aiter__ returns self
  }

  *anext(): Coroutine<number> {
    // The end, by hand:
    if (this.i >= this.n) throw new StopAsyncIteration();
    if (this.delay > 0) yield* sleep(this.delay);
    this.i += 1;
    return this.i;
  }
}

const asyncCounter = asyncGenerator(function* (n: number, delay: number) {
  for (let i = 1; i <= n; i++) {
    if (delay > 0) yield* sleep(delay);
    yield i;
  }
});

function* collect(source: Source): Coroutine<number[]> {
  const seen: number[] = [];
  yield* asyncFor(source, (value) => {
    seen.push(value);
  });
  return seen;
}

/** Milliseconds to consume `n` items, best of five runs (JIT warm-up). */
function* time(make: () => Source, n: number): Coroutine<number> {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    const items = yield* collect(make());
    best = Math.min(best, performance.now() - started);
    if (items.length !== n) throw new Error(`${items.length} items, not ${n}`);
  }
  return best;
}

// PEP 525's benchmark, in Python: the class AIter against the async
// generator.
const PYTHON = `
import asyncio, sys, time
class AsyncCounter:
    def __init__(self, n): self.n, self.i = n, 0
    def __aiter__(self): return self
    async def __anext__(self):
        if self.i >= self.n: raise StopAsyncIteration
        self.i += 1
        return self.i
async def async_counter(n):
    for i in range(1, n + 1): yield i
async def timed(make):
    best = float('inf')
    for _ in range(5):
        started = time.perf_counter()
        async for _ in make(): pass
        best = min(best, time.perf_counter() - started)
    return best
async def main():
    c = await timed(lambda: AsyncCounter(20000))
    g = await timed(lambda: async_counter(20000))
    print(f"CPython {sys.version.split()[0]}, 20000 items: "
          f"class {c * 1000:.1f} ms, generator {g * 1000:.1f} ms, "
          f"class/generator = {c / g:.1f}")
asyncio.run(main())
`;

export function main(): void {
  runSync(function* () {
    const viaClass = yield* collect(new AsyncCounter(5, 10));
    const viaGenerator = yield* collect(asyncCounter(5, 10));
    console.log('class:    ', viaClass.join(', '));
    console.log('generator:', viaGenerator.join(', '));
  });
  // The real clock this time: runSync's virtual clock only changes what
  // sleep waits for.
  const N = 20_000;
  const [classMs, genMs] = runSync(function* () {
    const viaClass = yield* time(() => new AsyncCounter(N, 0), N);
    const viaGenerator = yield* time(() => asyncCounter(N, 0), N);
    return [viaClass, viaGenerator] as const;
  });
  const ms = (x: number): string => `${x.toFixed(1)} ms`;
  console.log(`measured yieldio, ${N} items: class ${ms(classMs)}, ` +
    `generator ${ms(genMs)}, class/generator = ${(classMs / genMs).toFixed(1)}`);
  const python = spawnSync('python3', ['-c', PYTHON], { encoding: 'utf8' });
  console.log(python.status === 0
    ? `measured ${python.stdout.trim()}`
    : 'measured nothing in CPython: python3 did not run (not installed?)');
  console.log('PEP 525 reported class/generator = 2.3 on CPython 3.6;');
  console.log('a benchmark on a busy machine says little.');
}
