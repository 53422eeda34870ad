/**
 * Instruments: objects whose optional hooks the loop calls as tasks spawn, step, exit, and as the
 * loop goes idle. For tracing, profiling and tests that assert where control goes.
 * @asyncio none (Trio's `trio.abc.Instrument`, `_core/_instrumentation.py`)
 *
 * Design notes: the loop holds `null` until an instrument is added, so a step pays one comparison
 * when none is installed. Hooks are cached per name (Trio's cache): an instrument with only
 * `taskExited` costs nothing per step. A hook that throws is removed and reported through the
 * exception handler ("Instrument has been disabled"), never up into the task.
 * @module
 */
import type { EventLoop } from './base-events.ts';
import type { Task } from './tasks.ts';
import type { TimerEntry } from './events.ts';

/**
 * What the timer hooks receive: a read-only view of an entry of the loop's timer heap. For
 * `callLater` / `callAt` it is the TimerHandle itself; for `sleep(ms)` it is the sleep's own
 * timer entry (a sleep allocates no TimerHandle), which has the same surface.
 * @asyncio none (asyncio.TimerHandle's when() and cancelled())
 */
export interface ArmedTimer {
  /** The deadline, on the `loop.time()` scale (ms). @asyncio TimerHandle.when() */
  when(): number;
  /** Whether it was cancelled (a sleep's timer: its task was cancelled). @asyncio TimerHandle.cancelled() */
  cancelled(): boolean;
  /** What it runs, in words: the callback, or `wake <Task ...> after <sleep 10 ms>` for a sleep. */
  describeCallback(): string;
  /** @internal The loop whose heap holds it (a sleep's: null once it no longer wakes a task). */
  readonly _loop: EventLoop | null;
}

/**
 * An instrument: every hook is optional; implement the ones you need.
 * @asyncio none (Trio's Instrument: task_spawned, before_task_step, after_task_step, task_exited,
 *   before_io_wait, after_io_wait)
 * @example
 * loop.addInstrument({ beforeTaskStep: (task) => console.log('step', task.getName()) });
 */
export interface Instrument {
  /** A task was created (before its first step). */
  taskSpawned?(task: Task<unknown>): void;
  /** A task's step is about to run; `currentTask()` is the task. */
  beforeTaskStep?(task: Task<unknown>): void;
  /** A task's step ran (it suspended or finished); a suspended task's `_futWaiter`/`_sleep` name what it awaits. */
  afterTaskStep?(task: Task<unknown>): void;
  /** A task finished: result, exception or cancelled. */
  taskExited?(task: Task<unknown>): void;
  /** Nothing is ready: the loop is about to wait for a timer (`timeout` ms; -1: until woken) or jump virtual time. */
  beforeIdle?(timeout: number): void;
  /** The loop woke up from idling. */
  afterIdle?(): void;
  /** A task was put on the ready queue (spawned, woken by a future or timer, or after `sleep(0)`); `loop._currentTask` is the waker, if a task. */
  taskScheduled?(task: Task<unknown>): void;
  /** A timer was armed (`callLater`/`callAt`: its TimerHandle; `sleep(ms)`: the sleep's timer entry). */
  timerArmed?(timer: ArmedTimer): void;
  /** A timer came due: it moves to the ready queue and runs in this pass. */
  timerDue?(timer: ArmedTimer): void;
}

type HookName = keyof Instrument;
const HOOKS: readonly HookName[] = [
  'taskSpawned', 'beforeTaskStep', 'afterTaskStep', 'taskExited', 'beforeIdle', 'afterIdle', 'taskScheduled', 'timerArmed', 'timerDue',
];

/** @internal The loop's instruments, cached per hook. */
export class InstrumentRegistry {
  readonly instruments: Instrument[] = [];
  private readonly loop: EventLoop;
  private taskSpawnedHooks: Instrument[] = [];
  private beforeTaskStepHooks: Instrument[] = [];
  private afterTaskStepHooks: Instrument[] = [];
  private taskExitedHooks: Instrument[] = [];
  private beforeIdleHooks: Instrument[] = [];
  private afterIdleHooks: Instrument[] = [];
  private taskScheduledHooks: Instrument[] = [];
  private timerArmedHooks: Instrument[] = [];
  private timerDueHooks: Instrument[] = [];

  constructor(loop: EventLoop) {
    this.loop = loop;
  }

  add(instrument: Instrument): void {
    if (this.instruments.includes(instrument)) return;
    this.instruments.push(instrument);
    this.rebuild();
  }

  /** Returns false if the instrument was not installed. */
  remove(instrument: Instrument): boolean {
    const index = this.instruments.indexOf(instrument);
    if (index < 0) return false;
    this.instruments.splice(index, 1);
    this.rebuild();
    return true;
  }

  private rebuild(): void {
    const has = (name: HookName): Instrument[] => this.instruments.filter((i) => typeof i[name] === 'function');
    this.taskSpawnedHooks = has('taskSpawned');
    this.beforeTaskStepHooks = has('beforeTaskStep');
    this.afterTaskStepHooks = has('afterTaskStep');
    this.taskExitedHooks = has('taskExited');
    this.beforeIdleHooks = has('beforeIdle');
    this.afterIdleHooks = has('afterIdle');
    this.taskScheduledHooks = has('taskScheduled');
    this.timerArmedHooks = has('timerArmed');
    this.timerDueHooks = has('timerDue');
  }

  taskSpawned(task: Task<unknown>): void {
    if (this.taskSpawnedHooks.length > 0) this.call(this.taskSpawnedHooks, 'taskSpawned', task);
  }

  beforeTaskStep(task: Task<unknown>): void {
    if (this.beforeTaskStepHooks.length > 0) this.call(this.beforeTaskStepHooks, 'beforeTaskStep', task);
  }

  afterTaskStep(task: Task<unknown>): void {
    if (this.afterTaskStepHooks.length > 0) this.call(this.afterTaskStepHooks, 'afterTaskStep', task);
  }

  taskExited(task: Task<unknown>): void {
    if (this.taskExitedHooks.length > 0) this.call(this.taskExitedHooks, 'taskExited', task);
  }

  beforeIdle(timeout: number): void {
    if (this.beforeIdleHooks.length > 0) this.call(this.beforeIdleHooks, 'beforeIdle', timeout);
  }

  afterIdle(): void {
    if (this.afterIdleHooks.length > 0) this.call(this.afterIdleHooks, 'afterIdle', undefined);
  }

  taskScheduled(task: Task<unknown>): void {
    if (this.taskScheduledHooks.length > 0) this.call(this.taskScheduledHooks, 'taskScheduled', task);
  }

  // A TimerEntry (a TimerHandle, or a sleep trap) is an ArmedTimer: the hooks get it as it is.
  timerArmed(timer: TimerEntry): void {
    if (this.timerArmedHooks.length > 0) this.call(this.timerArmedHooks, 'timerArmed', timer);
  }

  timerDue(timer: TimerEntry): void {
    if (this.timerDueHooks.length > 0) this.call(this.timerDueHooks, 'timerDue', timer);
  }

  private call(hooks: Instrument[], name: HookName, arg: unknown): void {
    for (const instrument of hooks.slice()) {
      try {
        (instrument[name] as (this: Instrument, arg: unknown) => void).call(instrument, arg);
      } catch (error) {
        this.remove(instrument);
        this.loop.callExceptionHandler({ message: `Instrument has been disabled: its ${name} hook raised`, exception: error, instrument });
      }
    }
  }
}

/** @internal The names of the hooks, for validation. */
export const INSTRUMENT_HOOKS: readonly string[] = HOOKS;
