// Twin of callback_context.py.
import { ContextVar, Context, copyContext, getRunningLoop, run, sleep, type Coroutine } from '../../src/index.ts';

type Log = (line: string) => void;

export default async function main(log: Log): Promise<void> {
  const cvar = new ContextVar<string>('cvar', { default: 'default' });

  function* body(): Coroutine<string> {
    const loop = getRunningLoop();
    const show = (label: string): void => log(`${label}: ${cvar.get()}`);
    const setter = (label: string, value: string): void => {
      log(`${label} sees ${cvar.get()}`);
      cvar.set(value);
    };

    cvar.set('at schedule');
    loop.callSoon(setter, 'call_soon', 'set by call_soon');
    cvar.set('after schedule');
    yield* sleep(0);
    show('main after call_soon');

    const ctx = copyContext();
    loop.callSoon({ context: ctx }, setter, 'call_soon ctx', 'written into ctx');
    yield* sleep(0);
    log(`ctx has: ${ctx.get(cvar)}`);
    show('main after call_soon ctx');

    loop.callLater(10, setter, 'call_later', 'set by call_later');
    loop.callAt(loop.time() + 20, setter, 'call_at', 'set by call_at');
    const ctx2 = new Context();
    loop.callLater(30, { context: ctx2 }, setter, 'call_later ctx2', 'into ctx2');
    yield* sleep(50);
    log(`ctx2 has: ${ctx2.get(cvar)}`);
    show('main after timers');

    const fut = loop.createFuture<void>();
    cvar.set('at add');
    fut.addDoneCallback(() => setter('done cb', 'set by done cb'));
    const ctx3 = copyContext();
    fut.addDoneCallback(() => setter('done cb ctx3', 'into ctx3'), { context: ctx3 });
    cvar.set('at set_result');
    fut.setResult();
    yield* sleep(0);
    log(`ctx3 has: ${ctx3.get(cvar)}`);
    show('main after done callbacks');

    const spawner = (): void => {
      cvar.set('in spawner');
      loop.createTask((function* child(): Coroutine<void> {
        show('task made in a callback');
      })());
    };
    loop.callSoon(spawner);
    yield* sleep(10);

    const h = loop.callSoon(show, 'handle');
    log(`handle context sees: ${h.getContext().get(cvar)}`);
    yield* sleep(0);
    return 'main done';
  }

  log(await run(body, { clock: 'virtual' }));
  log(`outside after run: ${cvar.get()}`);
}
