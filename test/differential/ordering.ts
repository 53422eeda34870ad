// Twin of ordering.py.
import { getRunningLoop, createTask, sleep, runSync, type Coroutine } from '../../src/index.ts';

function* worker(log: (s: string) => void, name: string, n: number): Coroutine<string> {
  for (let i = 0; i < n; i++) {
    log(`${name} step ${i}`);
    yield* sleep(0);
  }
  return name;
}

export default function main(log: (line: string) => void): void {
  runSync(function* () {
    const loop = getRunningLoop();
    loop.callSoon(log, 'soon 1');
    loop.callLater(400, log, 'timer 400');
    loop.callLater(200, log, 'timer 200');
    loop.callSoon(log, 'soon 2');
    loop.callLater(0, log, 'timer 0');
    loop.callLater(-500, log, 'timer negative');
    loop.callSoon(() => {
      log('soon 3');
      loop.callSoon(log, 'soon scheduled by soon 3');
    });
    const a = createTask(worker(log, 'a', 3));
    const b = createTask(worker(log, 'b', 2));
    log('main before sleep(0)');
    yield* sleep(0);
    log('main after sleep(0)');
    const ra = yield* a;
    const rb = yield* b;
    log(`results ${ra} ${rb}`);
    yield* sleep(450);
    log('main done');
  });
}
