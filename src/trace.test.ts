import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceRecorder, setTraceHost, type ChromeTraceEvent, type TraceHost } from './trace.ts';
import { run, runSync } from './runners.ts';
import { createTask, currentTask, eagerTaskFactory, sleep } from './tasks.ts';
import { gather } from './combinators.ts';
import { Lock } from './locks.ts';
import { getRunningLoop } from './events.ts';
import type { Coroutine } from './types.ts';
import { matchSnapshot } from '../test/snapshot.ts';

/** The known program: main starts two workers that share a lock and sleep, gathers them, then one fails and one is cancelled. */
function* program(): Coroutine<number[]> {
  currentTask()?.setName('main'); // task numbers depend on what ran before
  const lock = new Lock();
  function* worker(n: number): Coroutine<number> {
    yield* lock.acquire();
    try {
      yield* sleep(100 * n);
    } finally {
      lock.release();
    }
    return n;
  }
  function* fails(): Coroutine<never> {
    yield* sleep(50);
    throw new Error('boom');
  }
  const results = yield* gather(createTask(worker(1), { name: 'a' }), createTask(worker(2), { name: 'b' }));
  const bad = createTask(fails(), { name: 'bad' });
  const idle = createTask(sleep(1000), { name: 'idle' });
  yield* gather([bad], { returnExceptions: true });
  yield* sleep(60);
  idle.cancel();
  yield* sleep(0);
  return results;
}

function record(): TraceRecorder {
  const recorder = new TraceRecorder();
  runSync(program(), { trace: recorder });
  return recorder;
}

/** The rules of the Trace Event Format (the JSON Array/Object format) for the phases the recorder writes. */
function validateChromeTrace(trace: unknown): ChromeTraceEvent[] {
  assert.ok(trace !== null && typeof trace === 'object' && Array.isArray((trace as { traceEvents?: unknown }).traceEvents), 'an object with a traceEvents array');
  const events = JSON.parse(JSON.stringify(trace)).traceEvents as ChromeTraceEvent[];
  const slices = new Map<number, { ts: number; end: number }[]>();
  const flows = new Map<number, ChromeTraceEvent[]>();
  for (const e of events) {
    assert.equal(typeof e.name, 'string', `name: ${JSON.stringify(e)}`);
    assert.ok(['M', 'X', 'i', 's', 'f'].includes(e.ph), `phase: ${JSON.stringify(e)}`);
    assert.ok(Number.isInteger(e.pid) && Number.isInteger(e.tid), `pid/tid: ${JSON.stringify(e)}`);
    if (e.ph === 'M') {
      assert.ok(['process_name', 'thread_name', 'thread_sort_index'].includes(e.name), `metadata name: ${e.name}`);
      assert.ok(e.args !== undefined && ('name' in e.args || 'sort_index' in e.args), `metadata args: ${JSON.stringify(e)}`);
      continue;
    }
    assert.ok(typeof e.ts === 'number' && Number.isFinite(e.ts) && e.ts >= 0, `ts: ${JSON.stringify(e)}`);
    if (e.ph === 'X') {
      assert.ok(typeof e.dur === 'number' && e.dur >= 0, `dur: ${JSON.stringify(e)}`);
      const list = slices.get(e.tid) ?? [];
      list.push({ ts: e.ts, end: e.ts + e.dur });
      slices.set(e.tid, list);
    } else if (e.ph === 'i') {
      assert.ok(e.s === 't' || e.s === 'p' || e.s === 'g', `instant scope: ${JSON.stringify(e)}`);
    } else {
      assert.ok(Number.isInteger(e.id), `flow id: ${JSON.stringify(e)}`);
      const list = flows.get(e.id as number) ?? [];
      list.push(e);
      flows.set(e.id as number, list);
    }
  }
  // Complete events on one thread nest: none starts inside another and ends after it.
  for (const [tid, list] of slices) {
    list.sort((x, y) => x.ts - y.ts || y.end - x.end);
    const stack: { ts: number; end: number }[] = [];
    for (const s of list) {
      while (stack.length > 0 && (stack[stack.length - 1] as { end: number }).end <= s.ts) stack.pop();
      const top = stack[stack.length - 1];
      assert.ok(top === undefined || s.end <= top.end, `slices overlap on tid ${tid}: ${JSON.stringify(top)} and ${JSON.stringify(s)}`);
      stack.push(s);
    }
  }
  // Each flow: one start, one finish (binding to its enclosing slice), same name and category, in time order, each inside a slice of its thread.
  const inSlice = (e: ChromeTraceEvent): boolean => (slices.get(e.tid) ?? []).some((s) => s.ts <= (e.ts as number) && (e.ts as number) <= s.end);
  for (const [id, pair] of flows) {
    assert.deepEqual(pair.map((e) => e.ph), ['s', 'f'], `flow ${id}`);
    const [s, f] = pair as [ChromeTraceEvent, ChromeTraceEvent];
    assert.equal(s.name, f.name);
    assert.equal(s.cat, f.cat);
    assert.equal(f.bp, 'e');
    assert.ok((s.ts as number) <= (f.ts as number), `flow ${id} goes back in time`);
    assert.ok(inSlice(s) && inSlice(f), `flow ${id} ends outside a slice`);
  }
  return events;
}

describe('TraceRecorder', () => {
  test('toChromeTrace() follows the Trace Event Format: a named track per task, a slice per step, flows from waker to woken', () => {
    const recorder = record();
    const events = validateChromeTrace(recorder.toChromeTrace());
    const names = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args?.['name']]));
    assert.deepEqual([...names.values()], ['event loop', "Task 'main'", "Task 'a'", "Task 'b'", "Task 'bad'", "Task 'idle'"]);
    const stepsOf = (name: string): ChromeTraceEvent[] => events.filter((e) => e.ph === 'X' && e.cat === 'step' && e.name === name);
    // main: start, after gather, after awaiting bad, after sleep(60), after sleep(0) (its end).
    assert.equal(stepsOf("Task 'main'").length, 5);
    assert.equal(stepsOf("Task 'a'").length, 2); // acquire + sleep, then release and return
    assert.equal(stepsOf("Task 'b'").length, 3); // waits for the lock, sleeps, returns
    assert.equal(stepsOf("Task 'bad'").length, 2);
    assert.equal(stepsOf("Task 'idle'").length, 2); // sleeps, then the CancelledError
    const exits = events.filter((e) => e.cat === 'exit').map((e) => `${names.get(e.tid)} ${e.name} ${e.args?.['detail']}`);
    assert.deepEqual(exits.sort(), [
      "Task 'main' exit: result 1,2",
      "Task 'a' exit: result 1",
      "Task 'b' exit: result 2",
      "Task 'bad' exit: exception Error('boom')",
      "Task 'idle' exit: cancelled cancelled",
    ].sort());
    const b = stepsOf("Task 'b'");
    assert.equal(b[0]?.args?.['awaits'], "Lock.acquire() on <Lock [locked, waiters:1]> held by Task 'a'");
    assert.equal(b[1]?.args?.['awaits'], 'sleep(200) until t=300');
    assert.equal(b[1]?.args?.['wokenBy'], "Task 'a'"); // a's release() handed b the lock
    assert.equal(b[2]?.args?.['wokenBy'], 'its sleep timer');
    // a flow per wake by another task or the loop; spawns are flows too
    const flows = events.filter((e) => e.ph === 's');
    assert.ok(flows.some((e) => e.name === 'spawn' && names.get(e.tid) === "Task 'main'"));
    assert.ok(flows.some((e) => e.name === 'wake' && names.get(e.tid) === "Task 'a'"));
    assert.ok(events.some((e) => e.ph === 'i' && e.cat === 'timer' && e.name === "timer due: sleep of Task 'b'"));
    assert.ok(events.some((e) => e.ph === 'i' && e.cat === 'idle' && e.name === 'idle → t=300'));
    // Under the virtual clock slices sit at their loop time (µs).
    assert.ok((b[2]?.ts as number) >= 300_000 && (b[2]?.ts as number) < 301_000);
  });

  test('the real-time layout is valid too', () => {
    validateChromeTrace(record().toChromeTrace({ clock: 'real' }));
    assert.throws(() => new TraceRecorder().toChromeTrace({ clock: 'wall' as never }), {
      name: 'RangeError',
      message: "Expected `clock` to be 'loop' or 'real', got \"wall\"",
    });
  });

  test('formatTimeline() draws one row per task, time across (snapshot)', () => {
    const text = record().formatTimeline({ width: 78 });
    for (const line of text.split('\n')) assert.ok([...line].length <= 78, `too wide: ${line}`);
    matchSnapshot(text, 'trace/timeline.txt');
    assert.throws(() => record().formatTimeline({ width: 10 }), { name: 'RangeError', message: 'Expected `width` to be an integer >= 30, got 10' });
  });

  test('toHtml() embeds the trace so no task name can break out of the page', () => {
    const recorder = new TraceRecorder();
    runSync(
      function* () {
        yield* createTask(sleep(1), { name: '</script><b>x' });
      },
      { trace: recorder },
    );
    const html = recorder.toHtml({ title: 'a <title>' });
    assert.equal(html.split('</script>').length - 1, 2); // the data element and the script, nothing else
    assert.ok(html.includes('\\u003c/script>\\u003cb>x'));
    assert.ok(html.includes('<title>a &lt;title&gt;</title>'));
  });

  test('an empty recorder renders an empty trace and timeline', () => {
    const recorder = new TraceRecorder();
    assert.deepEqual(validateChromeTrace(recorder.toChromeTrace()).filter((e) => e.ph !== 'M'), []);
    assert.match(recorder.formatTimeline(), /\(loop\) +0 timers/);
  });

  test('installed mid-run, it starts tracks for the tasks it meets', () => {
    const recorder = new TraceRecorder();
    runSync(function* () {
      currentTask()?.setName('main');
      getRunningLoop().addInstrument(recorder);
      yield* sleep(10);
    });
    assert.deepEqual(recorder.tracks.map((t) => t.name), ['event loop', 'main']);
    assert.equal(recorder.steps.length, 1); // the step that installed it is not recorded: it began before
    assert.equal(recorder.steps[0]?.wokenBy?.reason, 'timer');
    validateChromeTrace(recorder.toChromeTrace());
  });

  test('an eager first step nests inside its creator on another track', () => {
    const recorder = new TraceRecorder();
    runSync(
      function* () {
        getRunningLoop().setTaskFactory(eagerTaskFactory);
        const child = createTask(
          (function* () {
            yield* sleep(0);
            return 1;
          })(),
          { name: 'eager' },
        );
        return yield* child;
      },
      { trace: recorder },
    );
    const eager = recorder.steps.filter((s) => recorder.tracks[s.track]?.name === 'eager');
    assert.equal(eager.length, 2);
    assert.equal(eager[0]?.wokenBy, null); // ran inline, inside main's step
    assert.equal(eager[1]?.wokenBy?.reason, 'yield');
    const main = recorder.steps[0];
    assert.ok(main !== undefined && main.beginSeq < (eager[0] as { beginSeq: number }).beginSeq && (eager[0] as { endSeq: number }).endSeq < main.endSeq);
    validateChromeTrace(recorder.toChromeTrace());
  });
});

describe('run(main, { trace })', () => {
  test('a TraceRecorder records the whole run, shutdown included', async () => {
    const recorder = new TraceRecorder();
    const result = await run(
      function* () {
        createTask(sleep(Infinity), { name: 'forgotten' });
        yield* sleep(1);
        return 'ok';
      },
      { trace: recorder },
    );
    assert.equal(result, 'ok');
    const forgotten = recorder.tracks.find((t) => t.name === 'forgotten');
    assert.equal(forgotten?.exit?.kind, 'cancelled'); // run()'s shutdown cancelled it, and the recorder saw it
  });

  test('a function receives the recorder when the runner closes', () => {
    let got: TraceRecorder | null = null;
    runSync(sleep(5), {
      trace: (recorder) => {
        got = recorder;
      },
    });
    assert.ok(got !== null);
    assert.equal((got as TraceRecorder).steps.length, 2);
  });

  test('a file name needs a host that writes files: the core says so before running anything', () => {
    const previous = setTraceHost(null);
    try {
      let ran = false;
      assert.throws(
        () =>
          runSync(function* () {
            ran = true;
          }, { trace: 'out.json' }),
        {
          name: 'TypeError',
          message:
            "Runner: `trace: \"out.json\"` writes a file, which the core cannot do: import 'yieldio/node' once (or use runMain), or pass a TraceRecorder or a function that receives one",
        },
      );
      assert.equal(ran, false);
    } finally {
      setTraceHost(previous);
    }
  });

  test('a host writes file targets, and supplies the default target (YIELDIO_TRACE in yieldio/node)', () => {
    const written: [string, number][] = [];
    const host: TraceHost = { write: (path, recorder) => written.push([path, recorder.steps.length]), defaultTarget: () => 'env.json' };
    const previous = setTraceHost(host);
    try {
      runSync(sleep(1), { trace: 'given.json' });
      runSync(sleep(1));
    } finally {
      setTraceHost(previous);
    }
    assert.deepEqual(written, [
      ['given.json', 2],
      ['env.json', 2],
    ]);
  });

  test('a bad trace option is a TypeError', () => {
    assert.throws(() => runSync(sleep(1), { trace: 42 as never }), {
      name: 'TypeError',
      message: 'Runner: expected `trace` to be a TraceRecorder, a function or a file name, got 42',
    });
    assert.throws(() => runSync(sleep(1), { trace: '' }), { name: 'TypeError', message: 'Runner: `trace` is an empty file name' });
  });
});
