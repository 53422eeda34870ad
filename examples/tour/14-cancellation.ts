// §14 Cancellation is throw(): task.cancel() throws CancelledError into
// the coroutine at the yield* where it is suspended, on the loop's next
// iteration. finally blocks run, and may still await; a coroutine that
// catches the error and returns is not cancelled.
import {
  CancelledError, createTask, getRunningLoop, runSync, sleep,
  type Coroutine,
} from '../../src/index.ts';

function* fermenting(name: string): Coroutine<string> {
  const loop = getRunningLoop();
  try {
    console.log(`  [${name}] fermenting... (t=${loop.time()} ms)`);
    yield* sleep(7 * 24 * 3_600_000); // a week
    return `${name} ready`;
  } catch (error) {
    const { name: kind, message } = error as Error;
    console.log(`  [${name}] caught ${kind}('${message}') at t=${loop.time()} ms`);
    throw error; // always re-raise a CancelledError you did not ask for
  } finally {
    yield* sleep(10); // cleanup can still await
    console.log(`  [${name}] tank cleaned at t=${loop.time()} ms`);
  }
}

function* main_(): Coroutine<void> {
  const task = createTask(fermenting('IPA'));
  yield* sleep(1_000);
  task.cancel('power cut');
  try {
    yield* task;
  } catch (error) {
    const cancelled = error instanceof CancelledError;
    console.log(`main: the task raised ${(error as Error).name}; ` +
      `task.cancelled() = ${task.cancelled()}`);
    console.log(`main: error instanceof CancelledError = ${cancelled}`);
  }
}

export function main(): void {
  runSync(main_); // virtual clock: the week-long sleep and the 1 s wait are instant
}
