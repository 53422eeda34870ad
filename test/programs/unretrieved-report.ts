/**
 * For test/node/unretrieved-report.test.ts: a fire-and-forget task fails and nobody looks.
 * `node --import tsx test/programs/unretrieved-report.ts run|runSync`: main returns normally, the
 * default exception handler prints "Task exception was never retrieved" on stderr when the loop
 * closes, and the exit status is 0 (asyncio only logs it, too).
 */
import { createTask, run, runSync, sleep, type Coroutine } from '../../src/index.ts';

process.setSourceMapsEnabled(false); // stack lines name the .ts file either way; keep them stable

function* boom(): Coroutine<void> {
  throw new RangeError('boom');
}

function* main(): Coroutine<void> {
  createTask(boom(), { name: 'forgotten' });
  yield* sleep(0);
  yield* sleep(0);
  console.log('main returns');
}

if (process.argv[2] === 'runSync') runSync(main);
else await run(main);
console.log('after run');
