// Twin of runner_context.py.
import { Context, ContextVar, EventLoop, Runner, copyContext, getRunningLoop, run, sleep, type Coroutine } from '../../src/index.ts';

type Log = (line: string) => void;
const py = (b: boolean): string => (b ? 'True' : 'False');

export default async function main(log: Log): Promise<void> {
  const cvar = new ContextVar<number>('cvar', { default: -1 });
  function* f(val: number): Coroutine<number> {
    const old = cvar.get();
    yield* sleep(0);
    cvar.set(val);
    return old;
  }
  function* getContext(): Coroutine<Context> {
    return copyContext();
  }

  {
    await using runner = new Runner({ clock: 'virtual' });
    log(`first run saw ${await runner.run(f(1))}`);
    log(`second run saw ${await runner.run(f(2))}`);
    log(`context after two runs: ${(await runner.run(getContext())).get(cvar)}`);
    const ctx = new Context();
    log(`run in ctx saw ${await runner.run(f(10), { context: ctx })}`);
    log(`ctx has ${ctx.get(cvar)}`);
    log(`runner context still ${await runner.run(f(3))}`);
  }
  log(`outside: ${cvar.get()}`);

  const made: EventLoop[] = [];
  const factory = (): EventLoop => {
    const loop = new EventLoop({ clock: 'virtual' });
    made.push(loop);
    return loop;
  };
  function* whichLoop(): Coroutine<boolean> {
    return getRunningLoop() === made[0];
  }
  log(`run with loop_factory uses it: ${py(await run(whichLoop, { loopFactory: factory }))}`);
  log(`factory called ${made.length} time(s); loop closed: ${py(made[0]!.isClosed())}`);
  {
    await using runner = new Runner({ loopFactory: factory, debug: true });
    log(`runner loop from factory: ${py(runner.getLoop() === made[1])}, debug: ${py(runner.getLoop().getDebug())}`);
  }
}
