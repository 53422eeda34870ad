// §15 The async-generator protocol (PEP 525): the object
// asyncGenerator(...) makes has the five methods of Python's
// async_generator, each an awaitable: aiter, anext, asend, athrow, aclose.
// asend(v) is send(v) (§4): v becomes the value of the suspended `yield`.
// athrow(e) is throw(e) (§5): e is raised at the `yield`. aclose() is
// close(): finally blocks run.
import {
  asyncGenerator, runSync, sleep, type AsyncGenBody, type Coroutine,
} from '../../src/index.ts';

const example = asyncGenerator(function* example() {
  yield* sleep(0);
  yield 42;
});

// A running average that receives values through asend(), and survives a
// bad one.
type Body = AsyncGenBody<number | null, void, number>; // yields, returns, receives
const runningAverage = asyncGenerator(function* runningAverage(): Body {
  let total = 0;
  let count = 0;
  let average: number | null = null;
  try {
    for (;;) {
      try {
        const value = yield average; // asend(v) resumes here with v
        yield* sleep(1); // imagine the average is stored remotely
        total += value ?? 0;
        count++;
        average = total / count;
      } catch (error) {
        // aclose() throws GeneratorExit here too: let it through.
        if (!(error instanceof RangeError)) throw error;
        console.log(`  athrow(): RangeError: ${error.message}, caught at the yield`);
      }
    }
  } finally {
    console.log('  aclose(): finally runs');
  }
});

function* main_(): Coroutine<void> {
  const ag = example();
  console.log(`${String(ag)}`.replace(/ at .*>$/, '>'));
  for (const method of ['aiter', 'anext', 'asend', 'athrow', 'aclose'] as const) {
    console.log(`has ${method}(): ${typeof ag[method] === 'function'}`);
  }
  yield* ag.aclose();

  const avg = runningAverage();
  console.log(`anext()    → ${yield* avg.anext()} (priming: to the first yield)`);
  console.log(`asend(10)  → ${yield* avg.asend(10)}`);
  console.log(`asend(20)  → ${yield* avg.asend(20)}`);
  const bad = new RangeError('not a number');
  console.log(`athrow(..) → ${yield* avg.athrow(bad)}`);
  console.log(`asend(30)  → ${yield* avg.asend(30)}`);
  yield* avg.aclose();
}

export function main(): void {
  runSync(main_);
}
