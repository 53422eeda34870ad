// Twin of done_callback_order.py.
import { CancelledError, createTask, eagerTaskFactory, gather, getRunningLoop, sleep, runSync, taskGroup } from '../../src/index.ts';
import type { Coroutine, Future, Task } from '../../src/index.ts';

type Log = (line: string) => void;
const pyList = (values: unknown[]): string => `[${values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}]`;

function* child(name: string, n: number): Coroutine<string> {
  for (let i = 0; i < n; i++) yield* sleep(0);
  return name;
}

export default function main(log: Log): void {
  const cb =
    (label: string) =>
    (fut: Future<unknown>): void => {
      log(`${label} (child ${fut.cancelled() ? 'cancelled' : String(fut.result())})`);
      getRunningLoop().callSoon(log, `soon from ${label}`);
    };
  runSync(function* () {
    const loop = getRunningLoop();
    const c = createTask(child('c', 2));
    const d = createTask(child('d', 1));
    c.addDoneCallback(cb('cb1'));
    const g1 = gather([c, d]);
    c.addDoneCallback(cb('cb2'));
    const g2 = gather([c]);
    c.addDoneCallback(cb('cb3'));
    g1.addDoneCallback((f) => log(`g1 done ${pyList(f.result())}`));
    g2.addDoneCallback((f) => log(`g2 done ${pyList(f.result())}`));
    yield* g1;
    log('after g1');
    yield* sleep(0);
    log(`remove after completion ${c.removeDoneCallback(cb as never)}`);
    c.addDoneCallback(cb('cb4 added late'));
    log('added late');
    yield* sleep(0);

    // A child in a TaskGroup and in a gather, with a callback after both; a cancelled sibling.
    yield* taskGroup(function* (tg) {
      const e = tg.createTask(child('e', 1));
      const f = tg.createTask(child('f', 3));
      e.addDoneCallback(cb('e-cb'));
      const g3 = gather([e, f], { returnExceptions: true });
      g3.addDoneCallback((fut) => log(`g3 done ${pyList(fut.result().map((r) => (r instanceof CancelledError ? 'CancelledError' : r)))}`));
      f.addDoneCallback(cb('f-cb'));
      yield* sleep(0);
      f.cancel();
      log('f cancelled');
    });
    log('group done');
    yield* sleep(0);

    // An eager child: done at creation, so each callback is its own call_soon at registration.
    loop.setTaskFactory(eagerTaskFactory);
    yield* taskGroup(function* (tg) {
      const h: Task<string> = tg.createTask(child('h', 0));
      log(`eager done ${h.done() ? 'True' : 'False'}`);
      h.addDoneCallback(cb('h-cb'));
      const g4 = gather([h, tg.createTask(child('i', 1))]);
      g4.addDoneCallback((fut) => log(`g4 done ${pyList(fut.result())}`));
      log('eager created');
    });
    log('eager group done');
    yield* sleep(0);
  });
}
