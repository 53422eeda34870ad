import { run, sleep, createTask, gather, timeout, TimeoutError, type Coroutine } from 'yieldio';

function* brew(step: string, ms: number): Coroutine<string> {
  yield* sleep(ms); // await asyncio.sleep(ms / 1000)
  return `✓ ${step}`;
}

function* main(): Coroutine<void> {
  // Three coroutines at once; the result is typed [string, string, string].
  const steps = yield* gather(brew('malt', 300), brew('hops', 200), brew('water', 100));
  console.log(steps.join(', '));

  // A task can be cancelled: CancelledError is thrown into it where it waits.
  const ferment = createTask(brew('ferment', 60_000));
  try {
    yield* timeout(500, function* () {
      yield* ferment;
    });
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    console.log('fermentation timed out; cancelled:', ferment.cancelled());
  }
}

await run(main, { clock: 'virtual' }); // virtual time: 60 s of sleeping take milliseconds
