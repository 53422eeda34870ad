/**
 * TraceRecorder: an instrument that records a timeline of the loop (every task step, what each
 * suspension awaits, who woke it, timers, idle jumps) and renders it as a Chrome trace (Perfetto,
 * chrome://tracing) or a terminal view.
 * @asyncio none (Trio's instruments; Python has no built-in task timeline)
 *
 * Design notes: the recorder appends small records to one array in the order the hooks fire, and
 * does all the layout when asked for output; nothing is paid while no recorder is installed (the
 * loop's instrument registry is null). Timestamps are the loop's time (ms; the virtual clock makes
 * a trace reproducible) plus real time (`performance.now()`). In the Chrome trace, events are laid
 * out in recording order, each at its loop time or 1 µs after the previous event, whichever is
 * later: under the virtual clock a step takes no loop time, and this keeps slices visible,
 * ordered and properly nested. Each step's real duration is in its `args`.
 * @module
 */
import { CancelledError } from './exceptions.ts';
import { Task, sleeperOfTimer } from './tasks.ts';
import type { EventLoop } from './base-events.ts';
import type { ArmedTimer, Instrument } from './instruments.ts';
import { describeWait, formatTime, taskLabel } from './internal/awaits.ts';
import { shortRepr } from './internal/repr.ts';

/** How a task came to be scheduled: created, its awaited future finished, its sleep's timer fired, or it yielded (`sleep(0)`). */
export type WakeReason = 'spawn' | 'future' | 'timer' | 'yield';

/** How a task ended. */
export type ExitKind = 'result' | 'exception' | 'cancelled';

/** One task's track. `id` 0 is the loop's own track (callbacks, timers, idle). */
export interface TraceTrack {
  readonly id: number;
  name: string;
  /** The track of the task that created it (0: created outside a task). */
  readonly parent: number;
  readonly spawnedAt: number;
  exit: { readonly kind: ExitKind; readonly at: number; readonly detail: string } | null;
}

/** Who put a task on the ready queue: a task's step (`step` is its index in `steps`) or the loop (a callback, a timer; `step` -1). */
export interface TraceWake {
  readonly reason: WakeReason;
  readonly byTrack: number;
  readonly byStep: number;
  readonly at: number;
  readonly seq: number;
}

/** One step of a task: from resuming its coroutine to its next suspension (or its end). */
export interface TraceStep {
  readonly track: number;
  readonly start: number;
  readonly realStart: number;
  end: number;
  realEnd: number;
  /** What the task awaits after this step (`null`: it finished, or it is ready again). */
  awaited: string | null;
  /** What scheduled this step (null: an eager first step). */
  readonly wokenBy: TraceWake | null;
  readonly beginSeq: number;
  endSeq: number;
}

/** A loop event with no duration in the task tracks: a timer armed or due, the loop idling (a virtual-clock jump or a host wait). */
export interface TraceMark {
  readonly kind: 'timer-armed' | 'timer-due' | 'idle';
  readonly at: number;
  readonly realAt: number;
  /** For timers: the deadline; for idle: the loop time it woke at. */
  until: number;
  realUntil: number;
  readonly detail: string;
  readonly seq: number;
  endSeq: number;
}

/** One event of the Chrome Trace Event Format (the subset the recorder writes). */
export interface ChromeTraceEvent {
  name: string;
  ph: 'M' | 'X' | 'i' | 's' | 'f';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: 'e';
  s?: 't' | 'p' | 'g';
  args?: Record<string, unknown>;
}

/** Options of `toChromeTrace`. */
export interface ChromeTraceOptions {
  /** Place events by loop time (default; reproducible under the virtual clock) or by real time. */
  clock?: 'loop' | 'real';
}

/** Options of `formatTimeline`. */
export interface TimelineOptions {
  /** Total width in characters (default 80). */
  width?: number;
}

const now: () => number =
  typeof globalThis.performance?.now === 'function' ? () => globalThis.performance.now() : () => Date.now();

/** The task a sleep's timer wakes (its callback is tasks.ts' `wakeSleeper(task)`), else null. */
function sleeperOf(timer: ArmedTimer): Task<unknown> | null {
  return sleeperOfTimer(timer); // a sleep is its own timer entry (no TimerHandle), see tasks.ts
}

/** A sleep's timer is named after its task. */
function describeTimer(timer: ArmedTimer): string {
  const sleeper = sleeperOf(timer);
  return sleeper !== null ? `sleep of ${taskLabel(sleeper)}` : timer.describeCallback();
}

/**
 * Records a timeline of every task step on the loops it is installed on. Install it with
 * `loop.addInstrument(recorder)` or `run(main, { trace: recorder })`; read it with
 * `toChromeTrace()` (load the JSON in https://ui.perfetto.dev or chrome://tracing) or
 * `formatTimeline()`.
 * @asyncio none (an instrument in Trio's sense)
 * @example
 * const recorder = new TraceRecorder();
 * runSync(main, { trace: recorder });
 * console.log(recorder.formatTimeline({ width: 72 }));
 */
export class TraceRecorder implements Instrument {
  /** The tracks, by id; `tracks[0]` is the loop. */
  readonly tracks: TraceTrack[] = [{ id: 0, name: 'event loop', parent: 0, spawnedAt: 0, exit: null }];
  /** The steps, in the order they began. */
  readonly steps: TraceStep[] = [];
  /** Timers and idle periods, in recording order. */
  readonly marks: TraceMark[] = [];
  private readonly trackOf = new WeakMap<Task<unknown>, number>();
  private readonly pendingWake = new Map<number, TraceWake>();
  private readonly sleeping = new Set<number>();
  private readonly unstarted = new Set<number>();
  private loop: EventLoop | null = null;
  private readonly open: TraceStep[] = [];
  private readonly idle: TraceMark[] = [];
  private seq = 0;
  private startReal: number | null = null;

  private time(task: Task<unknown> | null, loop?: EventLoop): number {
    if (this.startReal === null) this.startReal = now();
    const on = loop ?? (task as Task<unknown>)._loop;
    this.loop = on; // the idle hooks receive no loop: they use the last one seen
    return on.time();
  }

  private real(): number {
    if (this.startReal === null) this.startReal = now();
    return now() - this.startReal;
  }

  private track(task: Task<unknown>): number {
    let id = this.trackOf.get(task);
    if (id === undefined) {
      // Installed while the task already existed: give it a track on first sight.
      id = this.tracks.length;
      this.tracks.push({ id, name: task.getName(), parent: 0, spawnedAt: this.time(task), exit: null });
      this.trackOf.set(task, id);
    }
    return id;
  }

  /** @internal Instrument hook. */
  taskSpawned(task: Task<unknown>): void {
    const creator = task._loop._currentTask;
    const parent = creator !== null ? this.track(creator) : 0;
    const id = this.tracks.length;
    this.tracks.push({ id, name: task.getName(), parent, spawnedAt: this.time(task), exit: null });
    this.trackOf.set(task, id);
    this.unstarted.add(id);
  }

  /** @internal Instrument hook. */
  taskScheduled(task: Task<unknown>): void {
    if (!(task instanceof Task)) return;
    const id = this.track(task);
    // The waker is the step on top of the stack: a task finishing, or releasing a lock, schedules
    // its waiters from inside its step (the hooks fire after the dispatch, before the step ends).
    const top = this.open[this.open.length - 1];
    let reason: WakeReason;
    if (this.unstarted.has(id)) reason = 'spawn';
    else if (top !== undefined && top.track === id) reason = 'yield';
    else if (this.sleeping.delete(id)) reason = 'timer';
    else reason = 'future';
    const byStep = top !== undefined ? this.steps.lastIndexOf(top) : -1;
    this.pendingWake.set(id, { reason, byTrack: top !== undefined ? top.track : 0, byStep, at: this.time(task), seq: this.seq++ });
  }

  /** @internal Instrument hook. */
  beforeTaskStep(task: Task<unknown>): void {
    const id = this.track(task);
    const wokenBy = this.pendingWake.get(id) ?? null;
    this.pendingWake.delete(id);
    this.sleeping.delete(id);
    this.unstarted.delete(id);
    (this.tracks[id] as TraceTrack).name = task.getName(); // setName() may have renamed it
    const t = this.time(task);
    const step: TraceStep = { track: id, start: t, realStart: this.real(), end: t, realEnd: 0, awaited: null, wokenBy, beginSeq: this.seq++, endSeq: -1 };
    this.steps.push(step);
    this.open.push(step);
  }

  /** @internal Instrument hook. */
  afterTaskStep(task: Task<unknown>): void {
    const id = this.track(task);
    const step = this.open[this.open.length - 1];
    // A step already running when the recorder was installed has no record: skip its end.
    if (step === undefined || step.track !== id) return;
    this.open.pop();
    step.end = this.time(task);
    step.realEnd = this.real();
    step.endSeq = this.seq++;
    if (!task.done()) {
      step.awaited = describeWait(task) ?? (this.pendingWake.get(step.track)?.reason === 'yield' ? 'sleep(0)' : null);
    }
  }

  /** @internal Instrument hook. */
  taskExited(task: Task<unknown>): void {
    const track = this.tracks[this.track(task)] as TraceTrack;
    track.name = task.getName();
    let kind: ExitKind;
    let detail: string;
    if (task.cancelled()) {
      kind = 'cancelled';
      detail = 'cancelled';
    } else if (task._hasException) {
      kind = 'exception';
      const error = task._exception;
      detail = error instanceof CancelledError ? 'CancelledError' : shortRepr(error);
    } else {
      kind = 'result';
      detail = shortRepr(task._result);
    }
    track.exit = { kind, at: this.time(task), detail };
  }

  /** @internal Instrument hook. */
  timerArmed(timer: ArmedTimer): void {
    const at = this.time(null, timer._loop ?? undefined);
    this.marks.push({ kind: 'timer-armed', at, realAt: this.real(), until: timer.when(), realUntil: 0, detail: describeTimer(timer), seq: this.seq++, endSeq: -1 });
  }

  /** @internal Instrument hook. */
  timerDue(timer: ArmedTimer): void {
    const sleeper = sleeperOf(timer);
    if (sleeper !== null) this.sleeping.add(this.track(sleeper));
    const at = this.time(null, timer._loop ?? undefined);
    this.marks.push({ kind: 'timer-due', at, realAt: this.real(), until: timer.when(), realUntil: 0, detail: describeTimer(timer), seq: this.seq++, endSeq: -1 });
  }

  /** @internal Instrument hook: the loop has nothing ready. The loop is not passed: the last loop seen is used. */
  beforeIdle(timeout: number): void {
    const loop = this.loop;
    const at = loop !== null ? loop.time() : 0;
    const mark: TraceMark = { kind: 'idle', at, realAt: this.real(), until: at, realUntil: 0, detail: timeout < 0 ? 'until woken' : `timeout ${formatTime(timeout)} ms`, seq: this.seq++, endSeq: -1 };
    this.idle.push(mark);
    this.marks.push(mark);
  }

  /** @internal Instrument hook: the host woke the loop (a timer, I/O, a thread-safe callback), or virtual time jumped. */
  afterIdle(): void {
    const mark = this.idle.pop();
    if (mark === undefined) return;
    const loop = this.loop;
    mark.until = loop !== null ? loop.time() : mark.at;
    mark.realUntil = this.real();
    mark.endSeq = this.seq++;
  }

  /**
   * Installs the recorder on `loop`: the same as `loop.addInstrument(recorder)`, and the loop's
   * first idle period is timed even before a task steps.
   */
  attach(loop: EventLoop): this {
    this.loop = loop;
    loop.addInstrument(this);
    return this;
  }

  /** The loop time span of what was recorded: `[first, last]`. */
  span(): [number, number] {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of this.steps) {
      if (s.start < lo) lo = s.start;
      if (s.end > hi) hi = s.end;
    }
    for (const m of this.marks) {
      if (m.at < lo) lo = m.at;
      if (m.kind !== 'timer-armed' && m.until > hi) hi = m.until;
    }
    for (const t of this.tracks) {
      if (t.id === 0) continue;
      if (t.spawnedAt < lo) lo = t.spawnedAt;
      if (t.exit !== null && t.exit.at > hi) hi = t.exit.at;
    }
    return lo === Infinity ? [0, 0] : [lo, hi];
  }

  /**
   * The trace in the Chrome Trace Event Format: a `thread_name` per task track, an `X` slice per
   * step (args: what it awaited next, who woke it, real duration), `s`/`f` flow arrows from the
   * waker to the woken step, instant events for timers, idle jumps and task exits.
   * Write it with `JSON.stringify` and open it in https://ui.perfetto.dev or chrome://tracing.
   * @asyncio none
   */
  toChromeTrace(options: ChromeTraceOptions = {}): { traceEvents: ChromeTraceEvent[]; displayTimeUnit: 'ms' } {
    const clock = options.clock ?? 'loop';
    if (clock !== 'loop' && clock !== 'real') throw new RangeError(`Expected \`clock\` to be 'loop' or 'real', got ${JSON.stringify(clock)}`);
    const pid = 1;
    const events: ChromeTraceEvent[] = [{ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: 'yieldio' } }];
    for (const track of this.tracks) {
      events.push({ name: 'thread_name', ph: 'M', pid, tid: track.id, args: { name: track.id === 0 ? track.name : `Task '${track.name}'` } });
      events.push({ name: 'thread_sort_index', ph: 'M', pid, tid: track.id, args: { sort_index: track.id } });
    }
    // Place every recorded moment (by sequence number) in µs, strictly increasing.
    const moments: { seq: number; loop: number; real: number }[] = [];
    for (const s of this.steps) {
      moments.push({ seq: s.beginSeq, loop: s.start, real: s.realStart });
      if (s.endSeq >= 0) moments.push({ seq: s.endSeq, loop: s.end, real: s.realEnd });
      if (s.wokenBy !== null) moments.push({ seq: s.wokenBy.seq, loop: s.wokenBy.at, real: s.realStart });
    }
    for (const m of this.marks) {
      moments.push({ seq: m.seq, loop: m.at, real: m.realAt });
      if (m.endSeq >= 0) moments.push({ seq: m.endSeq, loop: m.until, real: m.realUntil });
    }
    moments.sort((a, b) => a.seq - b.seq);
    const ts = new Map<number, number>();
    let cursor = -1;
    for (const m of moments) {
      const base = Math.round((clock === 'loop' ? m.loop : m.real) * 1000);
      cursor = Math.max(base, cursor + 1);
      ts.set(m.seq, cursor);
    }
    const at = (seq: number): number => ts.get(seq) as number;
    let flow = 0;
    const counts = new Map<number, number>();
    for (const s of this.steps) {
      const n = (counts.get(s.track) ?? 0) + 1;
      counts.set(s.track, n);
      const start = at(s.beginSeq);
      const end = s.endSeq >= 0 ? at(s.endSeq) : start + 1;
      const args: Record<string, unknown> = { step: n, loopTime: s.start, realMs: round3(s.realEnd - s.realStart) };
      if (s.awaited !== null) args['awaits'] = s.awaited;
      if (s.wokenBy !== null) args['wokenBy'] = this.describeWake(s.wokenBy);
      events.push({ name: `Task '${(this.tracks[s.track] as TraceTrack).name}'`, cat: 'step', ph: 'X', pid, tid: s.track, ts: start, dur: end - start, args });
      const wake = s.wokenBy;
      if (wake !== null && wake.reason !== 'yield' && wake.byTrack !== s.track) {
        const id = ++flow;
        const name = wake.reason === 'spawn' ? 'spawn' : 'wake';
        events.push({ name, cat: 'wake', ph: 's', id, pid, tid: wake.byTrack, ts: at(wake.seq) });
        events.push({ name, cat: 'wake', ph: 'f', bp: 'e', id, pid, tid: s.track, ts: start });
        // A flow starts inside a slice: a wake by the loop (a callback, a timer) gets a marker slice on the loop track.
        if (wake.byTrack === 0) events.push({ name: wake.reason === 'timer' ? 'timer fired' : 'callback', cat: 'loop', ph: 'X', pid, tid: 0, ts: at(wake.seq), dur: 0 });
      }
    }
    for (const m of this.marks) {
      if (m.kind === 'idle') {
        const jumped = m.until - m.at;
        const args = { from: m.at, to: m.until, wait: m.detail, realMs: round3(m.realUntil - m.realAt) };
        events.push({ name: jumped > 0 ? `idle → t=${formatTime(m.until)}` : 'idle', cat: 'idle', ph: 'i', s: 'g', pid, tid: 0, ts: at(m.seq), args });
      } else {
        const name = m.kind === 'timer-armed' ? `timer armed: ${m.detail}` : `timer due: ${m.detail}`;
        events.push({ name, cat: 'timer', ph: 'i', s: 't', pid, tid: 0, ts: at(m.seq), args: { when: m.until } });
      }
    }
    for (const track of this.tracks) {
      if (track.exit === null) continue;
      const last = this.lastStepOf(track.id);
      const t = last !== null && last.endSeq >= 0 ? at(last.endSeq) : Math.round(track.exit.at * 1000);
      events.push({ name: `exit: ${track.exit.kind}`, cat: 'exit', ph: 'i', s: 't', pid, tid: track.id, ts: t, args: { detail: track.exit.detail } });
    }
    return { traceEvents: events, displayTimeUnit: 'ms' };
  }

  /**
   * One self-contained HTML page (inline data and script; no network) drawing the timeline:
   * a track per task, a bar per step, wake arrows; the mouse wheel zooms, dragging pans, hovering a
   * step shows what it awaited next and who woke it. Write it to a file and open it in a browser.
   * @asyncio none
   */
  toHtml(options: { title?: string } = {}): string {
    const trace = this.toChromeTrace();
    const title = options.title ?? 'yieldio timeline';
    // `<` escaped, so no string in the data can close the script element.
    const data = JSON.stringify(trace).replace(/</g, '\\u003c');
    return HTML_PAGE.replace('%TITLE%', escapeHtml(title)).replace('%TITLE%', escapeHtml(title)).replace('%DATA%', () => data);
  }

  private lastStepOf(track: number): TraceStep | null {
    for (let i = this.steps.length - 1; i >= 0; i--) if ((this.steps[i] as TraceStep).track === track) return this.steps[i] as TraceStep;
    return null;
  }

  private describeWake(wake: TraceWake): string {
    const by = wake.byTrack === 0 ? 'the loop' : `Task '${(this.tracks[wake.byTrack] as TraceTrack).name}'`;
    switch (wake.reason) {
      case 'spawn':
        return `created by ${wake.byTrack === 0 ? 'the loop' : by}`;
      case 'timer':
        return 'its sleep timer';
      case 'yield':
        return 'itself (sleep(0))';
      default:
        return wake.byTrack === 0 ? 'a callback' : by;
    }
  }

  /**
   * A terminal view: one row per task (time across in loop time, `█` a step, `─` alive between
   * steps, `✓`/`✗`/`⊘` its end: result, exception, cancelled), plus a loop row (`^` a timer due,
   * `»` an idle jump of the clock).
   * @asyncio none
   */
  formatTimeline(options: TimelineOptions = {}): string {
    const width = options.width ?? 80;
    if (!Number.isInteger(width) || width < 30) throw new RangeError(`Expected \`width\` to be an integer >= 30, got ${String(width)}`);
    const tasks = this.tracks.filter((t) => t.id !== 0);
    const labelWidth = Math.min(16, Math.max(6, ...tasks.map((t) => t.name.length)));
    const summaryWidth = 14;
    const cols = width - labelWidth - summaryWidth - 2;
    const [lo, hi] = this.span();
    const col = (t: number): number => (hi === lo ? 0 : Math.min(cols - 1, Math.floor(((t - lo) / (hi - lo)) * (cols - 1) + 0.5)));
    const pad = (s: string, n: number): string => (s.length > n ? s.slice(0, n - 1) + '…' : s.padEnd(n));
    const lines: string[] = [];
    lines.push(`${' '.repeat(labelWidth + 1)}${axis(lo, hi, cols)}`);
    for (const track of tasks) {
      const row: string[] = Array<string>(cols).fill(' ');
      const end = track.exit !== null ? track.exit.at : hi;
      for (let c = col(track.spawnedAt); c <= col(end); c++) row[c] = '─';
      let steps = 0;
      for (const s of this.steps) {
        if (s.track !== track.id) continue;
        steps++;
        for (let c = col(s.start); c <= col(s.end); c++) row[c] = '█';
      }
      if (track.exit !== null) row[col(track.exit.at)] = track.exit.kind === 'result' ? '✓' : track.exit.kind === 'exception' ? '✗' : '⊘';
      const summary = `${steps} step${steps === 1 ? '' : 's'}${track.exit === null ? ', pending' : ''}`;
      lines.push(`${pad(track.name, labelWidth)} ${row.join('')} ${summary}`.trimEnd());
    }
    const loopRow: string[] = Array<string>(cols).fill(' ');
    let timers = 0;
    let jumps = 0;
    for (const m of this.marks) {
      if (m.kind === 'timer-due') {
        loopRow[col(m.at)] = '^';
        timers++;
      } else if (m.kind === 'idle' && m.until > m.at) {
        for (let c = col(m.at) + 1; c < col(m.until); c++) if (loopRow[c] === ' ') loopRow[c] = '»';
        jumps++;
      }
    }
    lines.push(`${pad('(loop)', labelWidth)} ${loopRow.join('')} ${timers} timer${timers === 1 ? '' : 's'}`.trimEnd());
    const legend = `█ step  ─ waiting  ✓ result  ✗ exception  ⊘ cancelled  ^ timer  » idle jump (${jumps})`;
    lines.push(legend.length <= width ? legend : `█ step ─ wait ✓ ok ✗ error ⊘ cancel ^ timer » idle (${jumps})`);
    return lines.join('\n');
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** `t=0 ... t=450` spread over `cols` characters. */
function axis(lo: number, hi: number, cols: number): string {
  const left = `t=${formatTime(lo)}`;
  const right = `t=${formatTime(hi)} ms`;
  const mid = (lo + hi) / 2;
  const middle = `t=${formatTime(Math.round(mid * 1000) / 1000)}`;
  const line = Array<string>(cols).fill(' ');
  const put = (text: string, at: number): void => {
    for (let i = 0; i < text.length && at + i < cols; i++) line[at + i] = text[i] as string;
  };
  put(left, 0);
  if (cols > left.length + middle.length + right.length + 4 && hi > lo) put(middle, Math.floor(cols / 2 - middle.length / 2));
  put(right, Math.max(left.length + 1, cols - right.length));
  return line.join('').trimEnd();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

// The page of toHtml(): plain DOM and SVG, so it works offline in any browser.
const HTML_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>%TITLE%</title>
<style>
body{margin:0;font:13px system-ui,sans-serif;background:#fff;color:#222}
header{padding:8px 12px;border-bottom:1px solid #ddd}
h1{font-size:15px;margin:0 0 2px}
#hint{color:#666}
#chart{display:block;width:100%;cursor:grab;user-select:none}
.label{font:12px ui-monospace,monospace;fill:#222}
.lane{fill:#f6f7f9}
.alive{stroke:#b8c0cc;stroke-width:1}
.step{fill:#3b7dd8}
.step.exception{fill:#d84b3b}
.step.cancelled{fill:#999}
.step:hover{fill:#f0a020}
.flow{stroke:#8a5cd0;stroke-width:1;fill:none;opacity:.55}
.timer{fill:#e08a00}
.axis{font:11px ui-monospace,monospace;fill:#666}
#tip{position:fixed;display:none;background:#222;color:#fff;padding:6px 8px;border-radius:4px;font:12px ui-monospace,monospace;white-space:pre;pointer-events:none;max-width:60ch}
</style></head>
<body>
<header><h1>%TITLE%</h1><div id="hint">wheel: zoom · drag: pan · hover a step: what it awaited, who woke it · double-click: reset</div></header>
<svg id="chart" xmlns="http://www.w3.org/2000/svg"></svg>
<div id="tip"></div>
<script id="trace-data" type="application/json">%DATA%</script>
<script>
(function () {
  var trace = JSON.parse(document.getElementById('trace-data').textContent);
  var events = trace.traceEvents;
  var names = {}, tids = [];
  events.forEach(function (e) {
    if (e.ph === 'M' && e.name === 'thread_name') { names[e.tid] = e.args.name; tids.push(e.tid); }
  });
  var steps = events.filter(function (e) { return e.ph === 'X' && e.cat === 'step'; });
  var exits = {};
  events.forEach(function (e) { if (e.cat === 'exit') exits[e.tid] = e; });
  var timers = events.filter(function (e) { return e.ph === 'i' && e.cat === 'timer' && e.name.indexOf('timer due') === 0; });
  var flowStart = {}, flows = [];
  events.forEach(function (e) {
    if (e.ph === 's') flowStart[e.id] = e;
    else if (e.ph === 'f' && flowStart[e.id]) flows.push([flowStart[e.id], e]);
  });
  var lo = Infinity, hi = -Infinity;
  events.forEach(function (e) {
    if (e.ph === 'M') return;
    lo = Math.min(lo, e.ts); hi = Math.max(hi, e.ts + (e.dur || 0));
  });
  if (lo === Infinity) { lo = 0; hi = 1; }
  if (hi === lo) hi = lo + 1;
  var svg = document.getElementById('chart'), tip = document.getElementById('tip');
  var NS = 'http://www.w3.org/2000/svg', LABEL = 150, ROW = 26, TOP = 24, PAD = 12;
  var view = { lo: lo, hi: hi };
  var row = {};
  tids.forEach(function (tid, i) { row[tid] = i; });
  function el(name, attrs, parent) {
    var n = document.createElementNS(NS, name);
    for (var k in attrs) n.setAttribute(k, attrs[k]);
    (parent || svg).appendChild(n);
    return n;
  }
  function width() { return Math.max(300, svg.clientWidth || window.innerWidth); }
  function x(ts) { return LABEL + (ts - view.lo) / (view.hi - view.lo) * (width() - LABEL - PAD); }
  function y(tid) { return TOP + row[tid] * ROW; }
  function ms(ts) { return Math.round(ts / 100) / 10; }
  function draw() {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var h = TOP + tids.length * ROW + 8;
    svg.setAttribute('height', h);
    svg.setAttribute('data-tracks', String(tids.length));
    svg.setAttribute('data-steps', String(steps.length));
    for (var t = 0; t <= 4; t++) {
      var ts = view.lo + (view.hi - view.lo) * t / 4;
      el('text', { x: x(ts), y: 14, class: 'axis', 'text-anchor': t === 0 ? 'start' : t === 4 ? 'end' : 'middle' }).textContent = 't=' + ms(ts) + ' ms';
    }
    tids.forEach(function (tid) {
      var lane = el('g', { class: 'track', 'data-name': names[tid] });
      el('rect', { x: 0, y: y(tid), width: width(), height: ROW - 4, class: 'lane' }, lane);
      el('text', { x: 6, y: y(tid) + 15, class: 'label' }, lane).textContent = names[tid];
      var mine = steps.filter(function (s) { return s.tid === tid; });
      if (mine.length > 0) {
        var end = exits[tid] ? exits[tid].ts : view.hi;
        el('line', { x1: Math.max(LABEL, x(mine[0].ts)), x2: Math.min(width() - PAD, x(end)), y1: y(tid) + 11, y2: y(tid) + 11, class: 'alive' }, lane);
      }
      mine.forEach(function (s, i) {
        var kind = i === mine.length - 1 && exits[tid] ? exits[tid].name.replace('exit: ', '') : '';
        var r = el('rect', { x: x(s.ts), y: y(tid) + 3, width: Math.max(3, x(s.ts + s.dur) - x(s.ts)), height: ROW - 10, class: 'step ' + kind }, lane);
        var a = s.args || {};
        r.setAttribute('data-awaits', a.awaits || '');
        r.setAttribute('data-woken-by', a.wokenBy || '');
        r.addEventListener('mousemove', function (ev) {
          tip.textContent = names[tid] + ' · step ' + a.step + '\\nloop time ' + a.loopTime + ' ms (' + a.realMs + ' ms real)' +
            '\\nwoken by: ' + (a.wokenBy || '-') + '\\nthen awaits: ' + (a.awaits || (kind ? 'nothing: ' + kind : '-'));
          tip.style.display = 'block'; tip.style.left = (ev.clientX + 12) + 'px'; tip.style.top = (ev.clientY + 12) + 'px';
        });
        r.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
      });
    });
    timers.forEach(function (e) { el('circle', { cx: x(e.ts), cy: y(0) + 11, r: 3, class: 'timer' }); });
    flows.forEach(function (p) {
      var x1 = x(p[0].ts), y1 = y(p[0].tid) + 11, x2 = x(p[1].ts), y2 = y(p[1].tid) + 11;
      el('path', { d: 'M' + x1 + ' ' + y1 + ' C' + (x1 + 20) + ' ' + y1 + ' ' + (x2 - 20) + ' ' + y2 + ' ' + x2 + ' ' + y2, class: 'flow' });
    });
  }
  svg.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var at = view.lo + (ev.offsetX - LABEL) / (width() - LABEL - PAD) * (view.hi - view.lo);
    var k = ev.deltaY < 0 ? 0.8 : 1.25;
    view.lo = at - (at - view.lo) * k; view.hi = at + (view.hi - at) * k;
    draw();
  }, { passive: false });
  var drag = null;
  svg.addEventListener('mousedown', function (ev) { drag = { x: ev.clientX, lo: view.lo, hi: view.hi }; });
  window.addEventListener('mouseup', function () { drag = null; });
  window.addEventListener('mousemove', function (ev) {
    if (!drag) return;
    var d = (ev.clientX - drag.x) / (width() - LABEL - PAD) * (drag.hi - drag.lo);
    view.lo = drag.lo - d; view.hi = drag.hi - d; draw();
  });
  svg.addEventListener('dblclick', function () { view.lo = lo; view.hi = hi; draw(); });
  window.addEventListener('resize', draw);
  draw();
  document.body.setAttribute('data-ready', 'true');
})();
</script>
</body></html>
`;
