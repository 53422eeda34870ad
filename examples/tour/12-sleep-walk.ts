// §12 What happens on `await asyncio.sleep(1)`: the article's eight steps,
// read off a real trace. asyncioSleep is asyncio.sleep's own recipe
// (Lib/asyncio/tasks.py): create a Future, ask the loop to set its result
// in `delay` ms (call_later), await the Future. A TraceRecorder records the
// run: each task step, what it awaited, who woke it, each timer, each idle
// jump of the clock. Nothing in the program prints: afterwards we walk the
// recording in order and tag each event with the article's step. (yieldio's
// own sleep() does the same with one lighter object.)
import {
  TraceRecorder, createTask, currentTask, getRunningLoop, runSync,
  type Coroutine, type Future, type TraceStep,
} from '../../src/index.ts';

const STEPS = [
  '',
  'the loop starts the coroutine   → coro.send(None)',
  'the coroutine meets await       → __await__() gives an iterator',
  'the iterator yields a Future    → up to the event loop',
  'the loop gets the Future        → registers a timer (1 s)',
  'the loop runs other coroutines  → send() on another one',
  'the timer fires                 → the Future is completed',
  'the loop resumes the coroutine  → coro.send(result)',
  'the coroutine carries on        → same frame, same variables',
];

function setResult<T>(future: Future<T>, result: T): void {
  if (!future.done()) future.setResult(result);
}

/** asyncio.sleep(delay, result): a Future whose result a timer sets. */
function* asyncioSleep<T>(delay: number, result: T): Coroutine<T> {
  const loop = getRunningLoop();
  const future = loop.createFuture<T>();
  const timer = loop.callLater(delay, setResult, future, result);
  try {
    return yield* future; // Future[Symbol.iterator] is __await__
  } finally {
    timer.cancel();
  }
}

function* brewer(): Coroutine<string> {
  const batch = 'Pilsner'; // a local: it must survive the suspension
  const result = yield* asyncioSleep(1000, 'rested');
  return `${result}, batch still ${batch}`;
}

function* other(): Coroutine<void> {
  // One step: it runs while brewer waits.
}

/** The recording as lines: `t=…  what happened`, then the article's steps it shows. */
function walk(recorder: TraceRecorder): string[] {
  const name = (track: number): string => recorder.tracks[track]?.name ?? '?';
  const shown = new Set(['brewer', 'other']);
  // Steps begin and end, timers and idle periods: one sequence, in recording order.
  const events: [seq: number, text: string, steps: number[]][] = [];
  const stepsOf = new Map<number, TraceStep[]>();
  for (const step of recorder.steps) stepsOf.set(step.track, [...(stepsOf.get(step.track) ?? []), step]);
  for (const [track, steps] of stepsOf) {
    const who = name(track);
    if (!shown.has(who)) continue;
    steps.forEach((step, i) => {
      const woke = step.wokenBy?.reason;
      const first = who === 'brewer' && i === 0;
      const resumed = who === 'brewer' && woke === 'future';
      const why = woke === 'spawn' ? 'its first step' : woke === 'future' ? `woken by ${step.wokenBy?.byTrack === 0 ? 'the loop' : name(step.wokenBy?.byTrack ?? 0)}` : String(woke);
      events.push([step.beginSeq, `loop steps ${who} (${why})`, first ? [1] : resumed ? [7] : who === 'other' ? [5] : []]);
      const exit = i === steps.length - 1 ? recorder.tracks[track]?.exit : null;
      if (exit != null) {
        events.push([step.endSeq, `${who} finished: ${exit.detail}`, who === 'brewer' ? [8] : []]);
      } else if (step.awaited !== null) {
        events.push([step.endSeq, `${who} suspends on ${step.awaited}`, first ? [2, 3] : []]);
      }
    });
  }
  for (const mark of recorder.marks) {
    if (mark.kind === 'timer-armed') events.push([mark.seq, `timer armed, due at t=${mark.until}: ${mark.detail}`, [4]]);
    else if (mark.kind === 'timer-due') events.push([mark.seq, `timer due: ${mark.detail}`, [6]]);
    else events.push([mark.seq, `nothing ready: the clock jumps to t=${mark.until}`, []]);
  }
  events.sort((a, b) => a[0] - b[0]);
  const at = (seq: number): number => {
    const step = recorder.steps.find((s) => s.beginSeq === seq || s.endSeq === seq);
    return step !== undefined ? (step.beginSeq === seq ? step.start : step.end) : (recorder.marks.find((m) => m.seq === seq)?.at ?? 0);
  };
  const lines: string[] = [];
  for (const [seq, text, steps] of events) {
    lines.push(`t=${String(at(seq)).padStart(4)} ms  ${text}`);
    for (const n of steps) lines.push(`           ${n}. ${STEPS[n]}`);
  }
  return lines;
}

export function main(): void {
  const recorder = new TraceRecorder();
  runSync(
    function* () {
      currentTask()?.setName('main');
      const tasks = [
        createTask(brewer(), { name: 'brewer' }),
        createTask(other(), { name: 'other' }),
      ];
      for (const task of tasks) yield* task;
    },
    { trace: recorder },
  );
  for (const line of walk(recorder)) console.log(line);
}
