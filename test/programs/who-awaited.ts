/**
 * For test/node/who-awaited.test.ts: a failure three tasks deep, as the user sees it.
 * `node --import tsx test/programs/who-awaited.ts run|runSync|forgotten [debug]`:
 * - run / runSync: Task 'service-api' raises; Task 'main' awaits it through gather; run() rejects
 *   and Node (or the catch below, for runSync) prints the error.
 * - forgotten: a fire-and-forget task fails; the default exception handler reports it at close.
 * `debug` turns on debug mode (creation sites, every frame kept).
 */
import { createTask, gather, run, runSync, sleep, currentTask, type Coroutine } from '../../src/index.ts';


const [mode = 'run', flag] = process.argv.slice(2);
const debug = flag === 'debug';

function* handle(): Coroutine<never> {
  yield* sleep(10);
  throw new RangeError('upstream refused');
}

function* serviceApi(): Coroutine<never> {
  return yield* handle();
}

function* main(): Coroutine<void> {
  currentTask()?.setName('main');
  if (mode === 'forgotten') {
    createTask(serviceApi(), { name: 'service-api' });
    yield* sleep(20);
    return;
  }
  yield* gather(createTask(serviceApi(), { name: 'service-api' }));
}

if (mode === 'runSync') {
  try {
    runSync(main, { debug });
  } catch (error) {
    console.error((error as Error).stack);
    process.exitCode = 1;
  }
} else {
  await run(main, { debug, clock: 'virtual' });
}
