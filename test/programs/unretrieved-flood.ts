/**
 * For test/node/unretrieved-flood.test.ts; run with `node --expose-gc --import tsx`.
 * `unretrieved-flood.ts TOTAL WAVE`: inside one `run()` (a long-running loop that is not closed
 * until the end), starts TOTAL fire-and-forget tasks that each throw an Error, WAVE at a time, and
 * forces GCs between waves. Prints one JSON line: the heap growth over the baseline once the
 * waves are done and collected, how many "Task exception was never retrieved" reports the
 * exception handler counted while the loop ran (the GC path), and how many after `run()` closed it.
 */
import { createTask, getRunningLoop, run, sleep, type Coroutine } from '../../src/index.ts';

// tsx turns source maps on; formatting a stack through them is slow and beside the point here.
process.setSourceMapsEnabled(false);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const total = Number(process.argv[2] ?? 1_000_000);
const wave = Number(process.argv[3] ?? 50_000);

let reports = 0;
let wrong = 0;

function* failing(i: number): Coroutine<void> {
  throw new Error(`failure ${i}`);
}

function* collect(): Coroutine<void> {
  // Each GC queues the FinalizationRegistry callbacks; the loop's sleeps let the host run them.
  for (let i = 0; i < 4; i++) {
    gc!();
    yield* sleep(1);
  }
}

function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

let baseline = 0;
let growth = 0;
let duringRun = 0;

await run(function* () {
  getRunningLoop().setExceptionHandler((_loop, ctx) => {
    if (ctx.message === 'Task exception was never retrieved' && ctx.exception instanceof Error) reports++;
    else wrong++;
  });
  // Warm up (JIT, registry internals) before the baseline; these reports count too.
  for (let i = 0; i < 1000; i++) createTask(failing(i));
  yield* sleep(1);
  yield* collect();
  baseline = heapUsed();
  for (let started = 1000; started < total; ) {
    const n = Math.min(wave, total - started);
    for (let i = 0; i < n; i++) createTask(failing(started + i));
    started += n;
    yield* sleep(1); // the wave fails; the loop idles and hands the failures to the GC report
    gc();
  }
  yield* collect();
  growth = heapUsed() - baseline;
  duringRun = reports;
});

console.log(JSON.stringify({ total, growthMB: growth / 1e6, duringRun, afterClose: reports, wrong }));
