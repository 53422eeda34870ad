/**
 * `toThread`: run a function exported by an ES module on a worker-thread pool, and await it.
 * @asyncio asyncio.to_thread (and the loop's default executor)
 *
 * Design notes
 * - JavaScript threads share no objects, so the function is named, not passed: `toThread(url,
 *   'fib', 30)` imports `url` in a worker (once per worker; the import is cached) and calls its
 *   export `fib`. Arguments and the result are structured-cloned (plain data, typed arrays, Maps,
 *   Dates...; no functions, no class instances' prototypes). An async function's Promise is awaited
 *   in the worker.
 * - One pool per loop (asyncio's default executor), created on first use, at most
 *   `min(os.availableParallelism(), 16)` workers, each started only when no idle one is free.
 *   Idle workers are unref'd, so they never keep Node alive; a worker is ref'd while it runs a job.
 * - Results come back through `loop.callSoonThreadsafe`. Cancelling the awaiting task cancels
 *   its future at once; the function itself keeps running in its worker (asyncio cannot stop a
 *   thread either) and its result is dropped.
 * - A failing function's error is raised at the await site, with the worker's error as its
 *   `cause` (as concurrent.futures' process pool chains a `_RemoteTraceback`): the raised error's
 *   stack runs through the caller's code, its cause's through the function's. Both keep the
 *   error's `name`, `message`, `code` and own enumerable properties that can be cloned; the
 *   worker's error keeps its own `cause` (rebuilt the same way). A builtin class (TypeError,
 *   RangeError, ...) is rebuilt as that class, one given to `registerErrorClass` as that class (by
 *   name), any other as an `Error` with its name. The await-site stack is taken when the error is
 *   thrown into the caller (its frames are on the stack then), so a call that succeeds pays nothing.
 * - `run()` shuts the pool down at the end (asyncio.run's `shutdown_default_executor()`): it waits
 *   for the jobs still running, then terminates the workers. `shutdownDefaultExecutor()` does it
 *   earlier; `toThread` afterwards raises RuntimeError.
 * - The worker is a plain JavaScript file, `thread-worker.mjs`, shipped next to this module. Module
 *   hooks of the main thread (`--import tsx`) do not apply to it on Node 20, so a TypeScript module
 *   is called through a `.mjs` shim that loads it with tsx's `tsImport` (see `toThread`); a `.ts`
 *   URL that fails to load says so.
 * @module
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { RuntimeError } from '../exceptions.ts';
import { getRunningLoop } from '../events.ts';
import { describeValue } from '../internal/repr.ts';
import { atLoopShutdown } from './loop-shutdown.ts';
import type { EventLoop } from '../base-events.ts';
import type { Future } from '../futures.ts';
import type { Coroutine } from '../types.ts';

const MAX_WORKERS_CAP = 16;

/**
 * The worker's module, a real file (not a `data:` URL, whose 1.4 KB text would be a frame of every
 * stack): plain JavaScript next to this module in src/ and, copied by scripts/build.ts, in dist/.
 */
const WORKER_URL = new URL('./thread-worker.mjs', import.meta.url);

const BUILTIN_ERRORS: Record<string, ErrorConstructor> = { TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

interface ErrorInfo {
  name?: string;
  message?: string;
  stack?: string;
  code?: unknown;
  thrown?: unknown;
  props?: Record<string, unknown>;
  cause?: ErrorInfo;
}

/** Error classes rebuilt by name (registerErrorClass), besides the builtins. */
const registeredErrors = new Map<string, new (...args: never[]) => Error>();

/**
 * Makes errors named `name` (default: the class's `name`) that come back from `toThread` be
 * instances of `errorClass` on this thread (the class cannot cross threads: it is rebuilt by name,
 * without calling its constructor, with the worker's message, stack and own properties).
 * @asyncio (none: Python pickles exceptions by class; JavaScript has no such registry)
 * @param errorClass the class to rebuild.
 * @param name the error's `name` in the worker, if it differs from the class name.
 * @example
 * class QuotaError extends Error { override name = 'QuotaError'; }
 * registerErrorClass(QuotaError);
 * try { yield* toThread(url, 'work'); } catch (e) { if (e instanceof QuotaError) retry(); else throw e; }
 */
export function registerErrorClass(errorClass: new (...args: never[]) => Error, name: string = errorClass.name): void {
  if (typeof errorClass !== 'function' || !(errorClass.prototype instanceof Error || errorClass === Error)) {
    throw new TypeError(`Expected \`errorClass\` to be a subclass of Error, got ${describeValue(errorClass)}`);
  }
  registeredErrors.set(name, errorClass);
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: ErrorInfo;
}

/** The errors rebuilt from a worker's reply: raised at the await site with them as cause. */
const remoteErrors = new WeakSet<Error>();

/**
 * Rebuilds a worker's error on this thread: its class (a builtin, or one registered by name),
 * name, message, stack, own enumerable properties that clone, and its cause, recursively.
 */
function rebuildError(info: ErrorInfo): unknown {
  const error = rebuildOne(info);
  if (error instanceof Error) remoteErrors.add(error);
  return error;
}

function rebuildOne(info: ErrorInfo): unknown {
  if ('thrown' in info) return info.thrown;
  const name = info.name ?? '';
  const Registered = registeredErrors.get(name);
  // A registered class is not constructed (its constructor's signature is unknown): the object
  // gets its prototype, as Python's unpickling does without calling __init__.
  const error: Error = Registered !== undefined
    ? (Reflect.construct(Error, [info.message ?? ''], Registered) as Error)
    : new (BUILTIN_ERRORS[name] ?? Error)(info.message ?? '');
  if (error.name !== info.name && info.name !== undefined) {
    Object.defineProperty(error, 'name', { value: info.name, writable: true, configurable: true, enumerable: false });
  }
  if (info.stack) error.stack = info.stack;
  if (info.code !== undefined) (error as { code?: unknown }).code = info.code;
  if (info.props !== undefined) Object.assign(error, info.props);
  if (info.cause !== undefined) Object.defineProperty(error, 'cause', { value: rebuildOne(info.cause), writable: true, configurable: true, enumerable: false });
  return error;
}

/**
 * The error a caller of toThread sees: the worker's error's class, name, message and own
 * properties, with a stack taken here (the caller's frames are on the stack while the error is
 * thrown into it) and the worker's error as `cause`.
 */
function raisedAtAwaitSite(remote: Error): Error {
  const error = Reflect.construct(Error, [remote.message], remote.constructor as new () => Error) as Error;
  for (const key of Object.getOwnPropertyNames(remote)) {
    if (key === 'stack' || key === 'cause' || key === 'message') continue;
    Object.defineProperty(error, key, Object.getOwnPropertyDescriptor(remote, key)!);
  }
  Error.captureStackTrace(error, callInThread); // after `name`: the first line uses it. From the caller down.
  Object.defineProperty(error, 'cause', { value: remote, writable: true, configurable: true, enumerable: false });
  return error;
}

/** One queued or running call. */
class Job {
  readonly id: number;
  readonly url: string;
  readonly name: string;
  readonly args: unknown[];
  readonly future: Future<unknown>;
  constructor(id: number, url: string, name: string, args: unknown[], future: Future<unknown>) {
    this.id = id;
    this.url = url;
    this.name = name;
    this.args = args;
    this.future = future;
  }
}

/** A worker and the job it runs (null when idle). */
class PoolWorker {
  readonly worker: Worker;
  job: Job | null;
  constructor(worker: Worker) {
    this.worker = worker;
    this.job = null;
  }
}

/**
 * @internal The worker pool of one loop.
 *
 * Fields:
 * - `loop`, `maxWorkers`
 * - `workers`   every live worker; `idle` those without a job
 * - `queue`     jobs waiting for a worker, FIFO
 * - `running`   jobs handed to a worker and not answered yet
 * - `shutdownCalled`, `drained` (resolved when `running` drops to 0 during shutdown)
 */
class ThreadPool {
  readonly loop: EventLoop;
  readonly maxWorkers: number;
  readonly workers: Set<PoolWorker>;
  idle: PoolWorker[];
  queue: Job[];
  running: number;
  nextId: number;
  shutdownCalled: boolean;
  drained: Future<void> | null;
  private readonly _onReply: (pw: PoolWorker, reply: Reply) => void;
  private readonly _onCrash: (pw: PoolWorker, error: unknown) => void;

  constructor(loop: EventLoop) {
    this.loop = loop;
    this.maxWorkers = Math.max(1, Math.min(availableParallelism(), MAX_WORKERS_CAP));
    this.workers = new Set();
    this.idle = [];
    this.queue = [];
    this.running = 0;
    this.nextId = 0;
    this.shutdownCalled = false;
    this.drained = null;
    this._onReply = (pw, reply) => this._reply(pw, reply);
    this._onCrash = (pw, error) => this._crash(pw, error);
  }

  submit(url: string, name: string, args: unknown[]): Future<unknown> {
    if (this.shutdownCalled) throw new RuntimeError('Executor shutdown has been called');
    const future = this.loop.createFuture<unknown>();
    this.queue.push(new Job(this.nextId++, url, name, args, future));
    this._dispatch();
    return future;
  }

  private _spawn(): PoolWorker {
    const worker = new Worker(WORKER_URL);
    const pw = new PoolWorker(worker);
    const loop = this.loop;
    worker.on('message', (reply: Reply) => {
      if (loop.isClosed()) void worker.terminate();
      else loop.callSoonThreadsafe(this._onReply, pw, reply);
    });
    worker.on('error', (error: unknown) => {
      if (!loop.isClosed()) loop.callSoonThreadsafe(this._onCrash, pw, error);
    });
    worker.on('exit', (code: number) => {
      if (!loop.isClosed()) loop.callSoonThreadsafe(this._onCrash, pw, new RuntimeError(`toThread(): the worker thread exited with code ${code}`));
    });
    this.workers.add(pw);
    return pw;
  }

  private _dispatch(): void {
    while (this.queue.length > 0) {
      const job = this.queue[0] as Job;
      if (job.future.done()) {
        this.queue.shift(); // cancelled while queued: never started
        continue;
      }
      let pw = this.idle.pop();
      if (pw === undefined) {
        if (this.workers.size >= this.maxWorkers) return;
        pw = this._spawn();
      }
      this.queue.shift();
      try {
        pw.worker.postMessage({ id: job.id, url: job.url, name: job.name, args: job.args });
      } catch (error) {
        this.idle.push(pw);
        job.future._setExceptionUnchecked(
          new TypeError(`toThread(): the arguments of ${job.name}() must be structured-cloneable: ${(error as Error).message}`, { cause: error }),
        );
        continue;
      }
      pw.job = job;
      pw.worker.ref(); // a running job keeps Node alive, as a pending socket does
      this.running++;
    }
  }

  private _finish(pw: PoolWorker): Job | null {
    const job = pw.job;
    if (job === null) return null;
    pw.job = null;
    this.running--;
    if (this.running === 0 && this.drained !== null && !this.drained.done()) this.drained.setResult(undefined);
    return job;
  }

  private _reply(pw: PoolWorker, reply: Reply): void {
    const job = this._finish(pw);
    if (job === null || job.id !== reply.id) return;
    if (this.workers.has(pw)) {
      pw.worker.unref();
      this.idle.push(pw);
    }
    // A cancelled caller dropped the result (asyncio: the thread's result is discarded).
    if (!job.future.done()) {
      if (reply.ok) job.future.setResult(reply.value);
      else job.future._setExceptionUnchecked(rebuildError(reply.error ?? {}));
    }
    this._dispatch();
  }

  private _crash(pw: PoolWorker, error: unknown): void {
    if (!this.workers.delete(pw)) return;
    const index = this.idle.indexOf(pw);
    if (index !== -1) this.idle.splice(index, 1);
    const job = this._finish(pw);
    if (job !== null && !job.future.done()) job.future._setExceptionUnchecked(error);
    void pw.worker.terminate();
    if (!this.shutdownCalled) this._dispatch();
  }

  /** Refuses new jobs, drops queued ones, waits for running ones, terminates the workers. */
  *shutdown(): Coroutine<void> {
    this.shutdownCalled = true;
    for (const job of this.queue) if (!job.future.done()) job.future.cancel();
    this.queue = [];
    if (this.running > 0) {
      this.drained ??= this.loop.createFuture<void>();
      yield* this.drained;
    }
    const workers = [...this.workers];
    this.workers.clear();
    this.idle = [];
    for (const pw of workers) void pw.worker.terminate();
  }
}

const pools = new WeakMap<EventLoop, ThreadPool>();

function poolFor(loop: EventLoop): ThreadPool {
  let pool = pools.get(loop);
  if (pool === undefined) {
    const created = new ThreadPool(loop);
    pool = created;
    pools.set(loop, created);
    atLoopShutdown(loop, () => created.shutdown());
  }
  return pool;
}

function toModuleUrl(moduleUrl: unknown): string {
  if (moduleUrl instanceof URL) return moduleUrl.href;
  if (typeof moduleUrl === 'string') {
    if (moduleUrl.startsWith('/')) return pathToFileURL(moduleUrl).href;
    if (URL.canParse(moduleUrl)) return moduleUrl;
  }
  throw new TypeError(
    `Expected \`moduleUrl\` to be an absolute URL or file path, got ${describeValue(moduleUrl)}. ` +
      "A relative specifier cannot be resolved in the worker: pass new URL('./module.js', import.meta.url).",
  );
}

/**
 * Calls `exportName(...args)` from the ES module at `moduleUrl` on a worker thread and returns
 * its result (an async function's Promise is awaited there). Arguments and result are
 * structured-cloned. Cancelling the awaiting task does not stop the function; its result is dropped.
 * @asyncio asyncio.to_thread(func, /, *args, **kwargs)
 * Differs from asyncio: the function is named by module URL and export (threads share no objects),
 *   runs on a worker_threads pool, and does not see the caller's contextvars.
 * @param moduleUrl the module's absolute URL (`new URL('./work.js', import.meta.url)`) or file path.
 * @param exportName the exported function's name.
 * @param args its arguments (structured-cloned).
 *
 * A TypeScript module under tsx: worker threads do not get the main thread's module hooks
 * (`node --import tsx`) on Node 20, so a `.ts` URL fails to load (with a TypeError saying this).
 * Name a small `.mjs` shim instead, which loads the module with tsx's `tsImport` and re-exports
 * the functions (examples/threads/):
 * ```js
 * // primes-shim.mjs
 * import { tsImport } from 'tsx/esm/api';
 * export const { primesBelow } = await tsImport('./primes.ts', import.meta.url);
 * ```
 * then `toThread<typeof primesBelow>(new URL('./primes-shim.mjs', import.meta.url), 'primesBelow', 1e5)`.
 * @returns the function's result.
 * @throws the function's error, raised at the await site (its stack runs through the caller) with
 *   the worker's error as `cause` (the worker's stack); both keep the class (builtins and
 *   `registerErrorClass` classes), name, message, code and own enumerable properties. A TypeError
 *   if the export is not a function or the arguments cannot be cloned; RuntimeError "Executor
 *   shutdown has been called".
 * @example
 * // work.js: export function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
 * const n = yield* toThread<typeof fib>(new URL('./work.js', import.meta.url), 'fib', 30);
 */
export function toThread<F extends (...args: never[]) => unknown = (...args: unknown[]) => unknown>(
  moduleUrl: string | URL,
  exportName: string,
  ...args: Parameters<F>
): Coroutine<Awaited<ReturnType<F>>> {
  const url = toModuleUrl(moduleUrl);
  if (typeof exportName !== 'string' || exportName === '') {
    throw new TypeError(`Expected \`exportName\` to be a non-empty string, got ${describeValue(exportName)}`);
  }
  return callInThread(url, exportName, args as unknown[]) as Coroutine<Awaited<ReturnType<F>>>;
}

function* callInThread(url: string, name: string, args: unknown[]): Coroutine<unknown> {
  const future = poolFor(getRunningLoop()).submit(url, name, args);
  try {
    return yield* future;
  } catch (error) {
    throw error instanceof Error && remoteErrors.has(error) ? raisedAtAwaitSite(error) : error;
  }
}

/**
 * Shuts down the running loop's worker pool: waits for the calls still running, then terminates
 * the workers. Later `toThread` calls on this loop raise RuntimeError. `run()` does this at the end.
 * @asyncio loop.shutdown_default_executor()
 * @example
 * yield* shutdownDefaultExecutor();
 */
export function* shutdownDefaultExecutor(): Coroutine<void> {
  const loop = getRunningLoop();
  const pool = pools.get(loop);
  if (pool === undefined) {
    // Nothing started yet: refuse later calls all the same.
    const refused = new ThreadPool(loop);
    refused.shutdownCalled = true;
    pools.set(loop, refused);
    return;
  }
  yield* pool.shutdown();
}
