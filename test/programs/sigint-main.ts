/**
 * A program that runs until Ctrl-C, for src/node/runners.test.ts (Effection's test/main pattern).
 * `node --import tsx test/programs/sigint-main.ts [stubborn]`: prints "ready" once its tasks wait;
 * on SIGINT the finally blocks print, then "KeyboardInterrupt", exit status 130. In "stubborn"
 * mode main's cleanup never ends, so only a second SIGINT stops it.
 */
import { createTask, sleep, type Coroutine } from '../../src/index.ts';
import { runMain, exitOnInterrupt, KeyboardInterrupt } from '../../src/node/index.ts';

const stubborn = process.argv[2] === 'stubborn';

function* background(): Coroutine<void> {
  try {
    yield* sleep(1e9);
  } finally {
    console.log('background finally');
  }
}

runMain(function* () {
  createTask(background());
  try {
    yield* sleep(1);
    console.log('ready');
    yield* sleep(1e9);
  } finally {
    console.log('main finally');
    if (stubborn) {
      console.log('cleanup forever');
      yield* sleep(1e9);
    }
    yield* sleep(1);
    console.log('main cleanup done');
  }
})
  .catch((error: unknown) => {
    if (error instanceof KeyboardInterrupt) console.log('KeyboardInterrupt');
    exitOnInterrupt(error);
  });
