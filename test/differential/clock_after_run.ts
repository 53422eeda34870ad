// Twin of clock_after_run.py.
import { EventLoop, sleep, type Coroutine } from '../../src/index.ts';

type Log = (line: string) => void;

export default async function main(log: Log): Promise<void> {
  const loop = new EventLoop({ clock: 'virtual' });
  function* first(): Coroutine<string> {
    loop.callLater(400, () => log('sleeper'));
    return 'first done';
  }
  log(loop.runUntilCompleteSync(first()));
  loop.callLater(200, () => log('short'));
  loop.runUntilCompleteSync(sleep(600));
  log('after sleep');
  loop.callSoon(() => loop.stop());
  for (let i = 0; i < 3; i++) loop.callSoon(log, `same pass ${i}`);
  await loop.runForever();
  log('stopped');
  loop.close();
}
