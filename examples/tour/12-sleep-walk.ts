// §12 What happens on `await asyncio.sleep(1)`: the article's eight steps,
// read off a real loop.
// asyncioSleep is asyncio.sleep's own recipe (Lib/asyncio/tasks.py):
// create a Future, ask the loop to set its result in `delay` ms
// (call_later), await the Future. An instrument on the loop reports each
// task step and each idle wait as it happens; each line of the trace is
// tagged with the article's step it shows. (yieldio's own sleep() does the
// same with one lighter object.)
import {
  createTask, getRunningLoop, runSync, type Coroutine, type EventLoop,
  type Future, type Instrument,
} from '../../src/index.ts';

const STEPS = [
  '',
  'the loop starts the coroutine   → coro.send(None)',
  'the coroutine meets await       → __await__() gives an iterator',
  'the iterator yields a Future    → up to the event loop',
  'the loop gets the Future        → registers a timer (1 s)',
  'the loop runs other coroutines  → send() on another one',
  'the timer fires                 → the Future is completed',
  'the loop resumes the coroutine  → coro.send(result)',
  'the coroutine carries on        → same frame, same variables',
];

let loop: EventLoop;
let t0 = 0;
function say(step: number, what: string): void {
  const time = `t=${String(loop.time() - t0).padStart(4)} ms`;
  console.log(`${time}  ${what}`);
  if (step > 0) console.log(`           ${step}. ${STEPS[step]}`);
}

/** `await future`, spelled out: what the Future yields goes up to the Task. */
function* awaitFuture<T>(future: Future<T>): Coroutine<T> {
  const it = future[Symbol.iterator]();
  let step = it.next();
  say(2, 'brewer: await future  (future[Symbol.iterator] is __await__)');
  while (step.done !== true) {
    const itself = (step.value as unknown) === future;
    const what = itself ? 'the Future itself' : String(step.value);
    say(3, `the iterator yields ${what} to the Task`);
    // Parked here: the Task holds the Future, the loop holds the Task.
    const sent = yield step.value;
    step = it.next(sent);
  }
  return step.value;
}

/** asyncio.sleep(delay, result): a Future whose result a timer sets. */
function* asyncioSleep<T>(delay: number, result: T): Coroutine<T> {
  const loop = getRunningLoop();
  const future = loop.createFuture<T>();
  const timer = loop.callLater(delay, () => {
    say(6, `timer callback: future.setResult(${JSON.stringify(result)})`);
    if (!future.done()) future.setResult(result);
  });
  const due = timer.when() - t0;
  say(4, `loop.callLater(${delay}) registered a timer, due at t=${due} ms`);
  try {
    return yield* awaitFuture(future);
  } finally {
    timer.cancel();
  }
}

function* brewer(): Coroutine<void> {
  const batch = 'Pilsner'; // a local: it must survive the suspension
  const result = yield* asyncioSleep(1000, 'rested');
  say(8, `brewer: back with "${result}"; batch is still "${batch}"`);
}

function* other(): Coroutine<void> {
  say(5, 'other: runs while brewer sleeps');
}

export function main(): void {
  runSync(function* () {
    loop = getRunningLoop();
    t0 = loop.time();
    const names = new Set(['brewer', 'other']);
    let brewerSteps = 0;
    const trace: Instrument = {
      beforeTaskStep(task) {
        const name = task.getName();
        if (!names.has(name)) return;
        if (name !== 'brewer') say(0, `loop: step task ${name}`);
        else if (++brewerSteps === 1) say(1, 'loop: step task brewer (its first)');
        else say(7, 'loop: step task brewer (the Future woke it)');
      },
      afterTaskStep(task) {
        const name = task.getName();
        const state = task.done() ? 'finished' : 'suspended';
        if (names.has(name)) say(0, `loop: task ${name} ${state}`);
      },
      beforeIdle(timeout) {
        say(0, `loop: nothing ready, waits ${timeout} ms (virtual clock)`);
      },
    };
    loop.addInstrument(trace);
    const tasks = [
      createTask(brewer(), { name: 'brewer' }),
      createTask(other(), { name: 'other' }),
    ];
    for (const task of tasks) yield* task;
    loop.removeInstrument(trace);
  });
}
