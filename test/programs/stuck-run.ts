/**
 * For test/node/stuck-run.test.ts: a `run()` that can never finish.
 * `node --import tsx test/programs/stuck-run.ts MODE`, MODE one of
 * - `event`: main awaits a worker task that waits on an Event nobody sets;
 * - `future`: main awaits a Future nobody resolves (top-level `await run(...)`);
 * - `promise`: main awaits `fromPromise(new Promise(() => {}))`, a Promise that never settles;
 * - `sleep`: main sleeps `Infinity` (a timer that never fires) on the real clock, `virtual`: the same on the virtual clock;
 * - `runMain`: the `event` program under yieldio/node's runMain;
 * - `runForever`: `loop.runForever()` with nothing scheduled;
 * - `loop`: `loop.runUntilComplete()` without a Runner: rejects, the task is left pending;
 * - `stubborn`: main's finally swallows every cancellation and waits again: the shutdown is stuck
 *   too, which is reported through the exception handler before the loop closes;
 * - `host`: control: a plain host timer (not yieldio's) sets the Event after 50 ms: run() waits
 *   for it and returns normally (the host still had work, so the loop was not stuck).
 * Each stuck program prints its finally blocks; the RuntimeError reaches the top level, so Node
 * prints it and exits with status 1.
 */
import { Event, EventLoop, createTask, fromPromise, getRunningLoop, run, sleep, type Coroutine } from '../../src/index.ts';
import { runMain } from '../../src/node/index.ts';

const mode = process.argv[2] ?? 'event';

function* worker(ready: Event): Coroutine<void> {
  try {
    yield* ready.wait();
  } finally {
    console.log('worker finally');
  }
}

function* eventMain(): Coroutine<void> {
  const ready = new Event();
  if (mode === 'host') setTimeout(() => ready.set(), 50);
  try {
    yield* createTask(worker(ready), { name: 'worker' });
    console.log('main returns');
  } finally {
    console.log('main finally');
  }
}

if (mode === 'event' || mode === 'host') {
  await run(eventMain);
} else if (mode === 'future') {
  await run(function* main(): Coroutine<void> {
    try {
      yield* getRunningLoop().createFuture<void>();
    } finally {
      console.log('main finally');
    }
  });
} else if (mode === 'promise') {
  await run(function* main(): Coroutine<void> {
    try {
      yield* fromPromise(new Promise<void>(() => {}));
    } finally {
      console.log('main finally');
    }
  });
} else if (mode === 'sleep' || mode === 'virtual') {
  await run(
    function* main(): Coroutine<void> {
      try {
        yield* sleep(Infinity);
      } finally {
        console.log('main finally');
      }
    },
    { clock: mode === 'virtual' ? 'virtual' : 'real' },
  );
} else if (mode === 'stubborn') {
  await run(function* main(): Coroutine<void> {
    const never = new Event();
    try {
      yield* never.wait();
    } finally {
      console.log('main finally');
      for (let i = 0; i < 3; i++) {
        try {
          yield* never.wait();
        } catch {
          console.log(`cancellation ${i + 1} swallowed`);
        }
      }
    }
  });
} else if (mode === 'runMain') {
  await runMain(eventMain);
} else if (mode === 'loop') {
  const loop = new EventLoop();
  const task = loop.createTask(worker(new Event()), { name: 'worker' });
  try {
    await loop.runUntilComplete(task);
  } finally {
    console.log(`task done: ${task.done()}`);
  }
} else if (mode === 'runForever') {
  await new EventLoop().runForever();
}
console.log('after run');
