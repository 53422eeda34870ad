/**
 * Issue 6's workload: 1,000,000 items through a 3-stage async-generator pipeline
 * (source → map → filter), consumed with asyncFor. Side by side: the same pipeline as native
 * `async function*` + `for await`, as plain synchronous generators (the limit), as hand-written native async iterator classes (PEP 525 says
 * generators beat the class by 2.3× in CPython), and asyncio (asyncgen.py).
 */
import type { BenchGroup } from './harness.ts';
import { run, runSync, asyncFor, asyncGenerator, type AsyncGen, type Coroutine } from '../src/index.ts';

const N = 1_000_000;
// The expected sum: items i*3 that are even, i.e. i even: 3 * (0 + 2 + ... + (N-2)).
const EXPECTED = 3 * (N / 2) * (N / 2 - 1);

function check(sum: number): void {
  if (sum !== EXPECTED) throw new Error(`wrong sum ${sum}, expected ${EXPECTED}`);
}

// ------------------------------------------------------------------------------- yieldio

const source = asyncGenerator(function* source(n: number) {
  for (let i = 0; i < n; i++) yield i;
});
const map = asyncGenerator(function* map(src: AsyncGen<number>) {
  yield* asyncFor(src, function* (x) {
    yield x * 3;
  });
});
const filter = asyncGenerator(function* filter(src: AsyncGen<number>) {
  yield* asyncFor(src, function* (x) {
    if (x % 2 === 0) yield x;
  });
});

function* pipeline(n: number): Coroutine<void> {
  let sum = 0;
  yield* asyncFor(filter(map(source(n))), (x) => {
    sum += x;
  });
  check(sum);
}

// The same stages written with explicit anext() loops (no body generator per item).
const mapLoop = asyncGenerator(function* mapLoop(src: AsyncGen<number>) {
  for (;;) {
    let x: number;
    try {
      x = yield* src.anext();
    } catch {
      return; // StopAsyncIteration: the only error this source raises
    }
    yield x * 3;
  }
});
const filterLoop = asyncGenerator(function* filterLoop(src: AsyncGen<number>) {
  for (;;) {
    let x: number;
    try {
      x = yield* src.anext();
    } catch {
      return;
    }
    if (x % 2 === 0) yield x;
  }
});

function* pipelineLoops(n: number): Coroutine<void> {
  let sum = 0;
  yield* asyncFor(filterLoop(mapLoop(source(n))), (x) => {
    sum += x;
  });
  check(sum);
}

// -------------------------------------------------------------------------------- native

async function* nSource(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}
async function* nMap(src: AsyncIterable<number>): AsyncGenerator<number> {
  for await (const x of src) yield x * 3;
}
async function* nFilter(src: AsyncIterable<number>): AsyncGenerator<number> {
  for await (const x of src) if (x % 2 === 0) yield x;
}
async function nativePipeline(n: number): Promise<void> {
  let sum = 0;
  for await (const x of nFilter(nMap(nSource(n)))) sum += x;
  check(sum);
}

// The limit: the same pipeline as plain synchronous generators (no loop, no awaits at all).
function* sSource(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}
function* sMap(src: Iterable<number>): Generator<number> {
  for (const x of src) yield x * 3;
}
function* sFilter(src: Iterable<number>): Generator<number> {
  for (const x of src) if (x % 2 === 0) yield x;
}
function syncPipeline(n: number): void {
  let sum = 0;
  for (const x of sFilter(sMap(sSource(n)))) sum += x;
  check(sum);
}

// Hand-written async iterators (the seed's AsyncCounter shape): one Promise per next().
class SourceIter implements AsyncIterableIterator<number> {
  i = 0;
  constructor(private readonly n: number) {}
  [Symbol.asyncIterator](): this {
    return this;
  }
  async next(): Promise<IteratorResult<number>> {
    if (this.i >= this.n) return { value: undefined, done: true };
    return { value: this.i++, done: false };
  }
}
class MapIter implements AsyncIterableIterator<number> {
  constructor(private readonly src: AsyncIterator<number>) {}
  [Symbol.asyncIterator](): this {
    return this;
  }
  async next(): Promise<IteratorResult<number>> {
    const r = await this.src.next();
    if (r.done === true) return r;
    return { value: r.value * 3, done: false };
  }
}
class FilterIter implements AsyncIterableIterator<number> {
  constructor(private readonly src: AsyncIterator<number>) {}
  [Symbol.asyncIterator](): this {
    return this;
  }
  async next(): Promise<IteratorResult<number>> {
    for (;;) {
      const r = await this.src.next();
      if (r.done === true || r.value % 2 === 0) return r;
    }
  }
}
async function classPipeline(n: number): Promise<void> {
  let sum = 0;
  for await (const x of new FilterIter(new MapIter(new SourceIter(n)))) sum += x;
  check(sum);
}

export const groups: BenchGroup[] = [
  {
    id: 'asyncgen-pipeline-1M',
    title: '1,000,000 items through source → map → filter async generators (asyncFor)',
    ops: N,
    opName: 'item',
    target: 'within 1.5× (warm) / 1.7× (cold) of plain synchronous generators; ≥ 2× faster than hand-written async iterator classes; ≥ 4× native `async function*`.',
    cases: [
      { name: 'yieldio runSync(), asyncFor stages', run: () => runSync(pipeline(N)) },
      { name: 'yieldio run(), asyncFor stages', run: () => run(pipeline(N)) },
      { name: 'yieldio runSync(), anext() loops', run: () => runSync(pipelineLoops(N)) },
      { name: 'native async function* + for await', run: () => nativePipeline(N) },
      { name: 'native hand-written async iterator classes', run: () => classPipeline(N) },
      { name: 'plain synchronous generators + for of', run: () => syncPipeline(N) },
    ],
  },
];
