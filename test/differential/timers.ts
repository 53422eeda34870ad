// Twin of timers.py.
import { getRunningLoop, sleep, runSync } from '../../src/index.ts';

type Log = (line: string) => void;
const py = (b: boolean): string => (b ? 'True' : 'False');

export default function main(log: Log): void {
  runSync(function* () {
    const loop = getRunningLoop();
    const t0 = loop.time();
    const at = (): number => Math.round((loop.time() - t0) / 100) * 100;
    loop.callLater(200, () => log(`timer 200 fired at ${at()}`));
    loop.callAt(t0 + 100, () => log(`call_at 100 fired at ${at()}`));
    const h = loop.callLater(50, () => log('cancelled timer (must not fire)'));
    log(`handle cancelled before: ${py(h.cancelled())}`);
    h.cancel();
    log(`handle cancelled after: ${py(h.cancelled())}`);
    const v = yield* sleep(100, 'value');
    log(`slept 100 -> ${v} at ${at()}`);
    yield* sleep(200);
    log(`slept 200 more at ${at()}`);
  });
}
