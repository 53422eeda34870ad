// Twin of timers.py.
import { getRunningLoop, sleep, runSync } from '../../src/index.ts';

type Log = (line: string) => void;
const py = (b: boolean): string => (b ? 'True' : 'False');

export default function main(log: Log): void {
  runSync(function* () {
    const loop = getRunningLoop();
    const t0 = loop.time();
    const at = (): number => Math.round((loop.time() - t0) / 200) * 200;
    loop.callLater(400, () => log(`timer 400 fired at ${at()}`));
    loop.callAt(t0 + 200, () => log(`call_at 200 fired at ${at()}`));
    const h = loop.callLater(50, () => log('cancelled timer (must not fire)'));
    log(`handle cancelled before: ${py(h.cancelled())}`);
    h.cancel();
    log(`handle cancelled after: ${py(h.cancelled())}`);
    const v = yield* sleep(200, 'value');
    log(`slept 200 -> ${v} at ${at()}`);
    yield* sleep(400);
    log(`slept 400 more at ${at()}`);
  });
}
