/**
 * Subprocesses: spawn a program and talk to it through StreamReader / StreamWriter pipes.
 * @asyncio asyncio.subprocess (create_subprocess_exec, create_subprocess_shell, Process, PIPE, STDOUT, DEVNULL)
 *
 * Design notes
 * - Built on `node:child_process` `spawn`. The child's 'spawn', 'error', 'exit' and 'close' events and its
 *   pipes' events reach the loop through `callSoonThreadsafe` (the pipes use the streams bridge).
 * - The constants are strings, Node's own stdio words where they exist: `PIPE = 'pipe'`,
 *   `DEVNULL = 'ignore'`; `STDOUT = 'stdout'` (stderr only). `'inherit'` (asyncio's None, the
 *   default) and a file descriptor number are accepted too.
 * - `stdout: PIPE` / `stderr: PIPE` are real pipes on POSIX, as asyncio's `os.pipe()`: libuv's
 *   stdio "pipes" are Unix socketpairs, which a child cannot reopen (`echo hi > /dev/stdout`,
 *   `tee /dev/stderr` fail with ENXIO). Node has no pipe(2) or mkfifo(3), so each is a FIFO made by
 *   one `mkfifo` run in a private (0700) temporary directory, opened at both ends (the child's
 *   blocking, ours non-blocking, read through a `net.Socket`), then unlinked with the directory
 *   before the child starts: nothing is left in the temporary directory, even when creation is
 *   cancelled. `stdin: PIPE` stays Node's pipe, so reopening /dev/stdin fails (ENXIO): a FIFO's
 *   open waits for a writer (an anonymous pipe's does not), and a child reopening it after
 *   `communicate()` closed stdin would wait forever. Where
 *   FIFOs cannot be made (Windows, no `mkfifo` on PATH, a temporary directory that refuses them,
 *   Bun, whose sockets do not read FIFOs) PIPE falls back to Node's pipes, where reopening
 *   /dev/stdout fails as above.
 * - `stderr: STDOUT` with `stdout: PIPE`: one pipe for both, as asyncio's: the FIFO is given as
 *   fd 1 and fd 2. On Node's pipes (the fallback) `/bin/sh` does the dup2 in the child (`exec 2>&1`,
 *   then `exec` of the program: the pid is the program's) and the kernel keeps the interleaving;
 *   the program is looked up first so a missing one is still FileNotFoundError. On Windows the two
 *   pipes are merged by arrival. With any other `stdout` the child's stderr goes to the same place
 *   (fd 1, 'ignore', or the same descriptor), as with a real dup2.
 * - `wait()` returns once the child has exited and its output pipes are closed (asyncio's
 *   `_try_finish`): a grandchild that holds stdout keeps it waiting.
 * - `returncode`: null while running, the exit code, or minus the signal number when a signal
 *   killed the child (asyncio's convention: -9 after `kill()`).
 * - A child still running when `run()` shuts the loop down is killed (asyncio kills it when its
 *   transport is closed or collected); Node would otherwise wait for it.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as osConstants, tmpdir } from 'node:os';
import { accessSync, closeSync, constants as fsConstants, mkdtempSync, openSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { Socket } from 'node:net';
import { join as joinPath, resolve as resolvePath } from 'node:path';
import { PassThrough, type Duplex } from 'node:stream';
import { getRunningLoop } from '../events.ts';
import { gather } from '../combinators.ts';
import { describeValue } from '../internal/repr.ts';
import { atLoopShutdown } from './loop-shutdown.ts';
import { StreamReader } from './stream-reader.ts';
import { StreamTransport } from './transports.ts';
import { StreamWriter } from './streams.ts';
import { BrokenPipeError, ConnectionResetError, ProcessLookupError, fromNodeError } from './errors.ts';
import type { EventLoop } from '../base-events.ts';
import type { Future } from '../futures.ts';
import type { Coroutine } from '../types.ts';

/**
 * Connect the child's stream to a new pipe: `process.stdin` / `stdout` / `stderr`. On POSIX stdout's
 * and stderr's are real pipes (FIFOs, unlinked before the child starts), so the child may reopen
 * `/dev/stdout`, `/dev/stderr`; without a `mkfifo` program (and on Windows and Bun), and for stdin
 * always, it is Node's pipe, a socketpair, where such a reopen fails with ENXIO (use fd 0 / 1 / 2).
 * @asyncio asyncio.subprocess.PIPE
 */
export const PIPE = 'pipe';
/**
 * For `stderr` only: send the child's stderr where its stdout goes.
 * @asyncio asyncio.subprocess.STDOUT
 */
export const STDOUT = 'stdout';
/**
 * Connect the child's stream to /dev/null.
 * @asyncio asyncio.subprocess.DEVNULL
 */
export const DEVNULL = 'ignore';

/** What `stdin`, `stdout`, `stderr` accept: PIPE, DEVNULL, STDOUT (stderr only), 'inherit', a file descriptor; null/undefined is 'inherit' (asyncio's None). */
export type StdioOption = typeof PIPE | typeof DEVNULL | typeof STDOUT | 'inherit' | number | null | undefined;

/** Options of `createSubprocessExec` and `createSubprocessShell`. */
export interface SubprocessOptions {
  /** The child's stdin: PIPE gives `process.stdin` (a StreamWriter). Default 'inherit'. */
  stdin?: StdioOption;
  /** The child's stdout: PIPE gives `process.stdout` (a StreamReader). Default 'inherit'. */
  stdout?: StdioOption;
  /** The child's stderr: PIPE gives `process.stderr`; STDOUT merges it into stdout. Default 'inherit'. */
  stderr?: StdioOption;
  /** The working directory. */
  cwd?: string;
  /** The environment (default: this process's). */
  env?: Record<string, string | undefined>;
  /** The readers' buffer limit in bytes (default 64 KiB). */
  limit?: number;
  /** Start the child in a new session (`setsid`, Node's `detached`). Default false. */
  startNewSession?: boolean;
  /** Close every other descriptor in the child: only `true` (the default) is possible on Node. */
  closeFds?: boolean;
  /** Descriptors the child inherits under the same numbers (each >= 3). */
  passFds?: readonly number[];
  /** Rejected with asyncio's ValueError: the pipes carry bytes (`text must be False`). */
  text?: false;
  /** Rejected with asyncio's ValueError unless null/undefined (`encoding must be None`). */
  encoding?: null;
  /** Rejected with asyncio's ValueError unless null/undefined (`errors must be None`). */
  errors?: null;
  /** Rejected with asyncio's ValueError unless false (`universal_newlines must be False`). */
  universalNewlines?: false;
  /** Rejected with asyncio's ValueError unless 0 (`bufsize must be 0`). */
  bufsize?: 0;
}

/** Every key of SubprocessOptions: anything else is a mistake, never silently ignored. */
const OPTION_NAMES: readonly string[] = [
  'stdin', 'stdout', 'stderr', 'cwd', 'env', 'limit', 'startNewSession', 'closeFds', 'passFds',
  'text', 'encoding', 'errors', 'universalNewlines', 'bufsize',
];

function checkStdio(value: unknown, name: 'stdin' | 'stdout' | 'stderr'): 'pipe' | 'ignore' | 'inherit' | 'stdout' | number {
  if (value === null || value === undefined) return 'inherit';
  if (value === PIPE || value === DEVNULL || value === 'inherit') return value;
  if (value === STDOUT) {
    if (name !== 'stderr') throw new RangeError(`STDOUT can only be used for stderr, got \`${name}: STDOUT\``);
    return value;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new TypeError(`Expected \`${name}\` to be PIPE, DEVNULL, 'inherit', a file descriptor${name === 'stderr' ? ' or STDOUT' : ''}, got ${describeValue(value)}`);
}

/**
 * The checks execvp makes, made here because /bin/sh runs the program (stderr: STDOUT): a
 * missing program must still be FileNotFoundError at creation, not the shell's exit status 127.
 */
function findProgram(program: string, cwd: string | undefined, env: Record<string, string | undefined> | undefined): void {
  const candidates = program.includes('/')
    ? [resolvePath(cwd ?? '.', program)]
    : ((env ?? globalThis.process.env).PATH ?? '/usr/bin:/bin').split(':').map((dir) => resolvePath(cwd ?? '.', dir || '.', program));
  let denied: string | null = null;
  for (const candidate of candidates) {
    let isFile: boolean;
    try {
      isFile = statSync(candidate).isFile();
    } catch {
      continue;
    }
    if (!isFile) continue;
    try {
      accessSync(candidate, fsConstants.X_OK);
      return;
    } catch {
      denied ??= candidate;
    }
  }
  const code = denied !== null ? 'EACCES' : 'ENOENT';
  const error = Object.assign(new Error(`spawn ${program} ${code}`), { code, errno: -(osConstants.errno as Record<string, number>)[code]!, syscall: `spawn ${program}`, path: program });
  throw fromNodeError(error);
}

/**
 * Whether PIPE can be a real pipe (a FIFO): POSIX with a `mkfifo` program, on Node or Deno (Bun's
 * `net.Socket` never reads a FIFO's descriptor). Cleared for good when `mkfifo` cannot be run;
 * PIPE then falls back to the runtime's pipes (Unix socketpairs).
 */
let fifosAvailable = globalThis.process.platform !== 'win32' && globalThis.process.versions.bun === undefined;

/**
 * The pipes of one child: the descriptors the child gets (stdio numbers) and our ends, as
 * non-blocking Node sockets. Index 0 is stdin, 1 stdout, 2 stderr; null where there is no pipe.
 */
interface RealPipes {
  childFds: (number | null)[];
  ours: (Socket | null)[];
}

/** Runs `mkfifo -m 600 paths...` (Node has no mkfifo(3)); resolves to whether it made them all. */
function* runMkfifo(loop: EventLoop, paths: string[], dir: string): Coroutine<boolean> {
  const done = loop.createFuture<boolean>();
  const settle = (ok: boolean): void => {
    if (!loop.isClosed()) loop.callSoonThreadsafe(() => { if (!done.done()) done.setResult(ok); });
  };
  let exited = false;
  let child: ChildProcess;
  try {
    child = spawn('mkfifo', ['-m', '600', ...paths], { stdio: 'ignore' });
  } catch {
    fifosAvailable = false; // e.g. Deno without --allow-run for mkfifo: refused at the call
    return false;
  }
  child.once('error', () => {
    exited = true;
    fifosAvailable = false; // no mkfifo on PATH: do not try again
    settle(false);
  });
  child.once('exit', (code) => {
    exited = true;
    settle(code === 0);
  });
  try {
    return yield* done;
  } finally {
    // Cancelled while mkfifo runs: the directory goes once it is done, so no FIFO is left behind.
    if (!exited) child.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
}

/**
 * Makes real pipes for the PIPE output streams (`wanted[i]`: 'out' for stdout/stderr; `mergeStderr`:
 * stderr is the child's stdout pipe, asyncio's dup2). libuv's pipes are Unix
 * socketpairs, and a child that reopens /dev/stdout (`echo hi > /dev/stdout`, `tee /dev/stderr`)
 * fails on them with ENXIO, so each pipe is a FIFO made in a private (0700) temporary directory,
 * opened at both ends, and unlinked with the directory before the child starts. Returns null when
 * FIFOs cannot be made (Windows, no `mkfifo`, a temporary directory that refuses them).
 */
function* makeRealPipes(loop: EventLoop, wanted: ('out' | null)[], mergeStderr: boolean): Coroutine<RealPipes | null> {
  const pipes: RealPipes = { childFds: [null, null, null], ours: [null, null, null] };
  if (!fifosAvailable || wanted.every((w) => w === null)) return null;
  let dir: string;
  try {
    dir = mkdtempSync(joinPath(tmpdir(), 'yieldio-pipes-')); // mode 0700: only we can open them
  } catch {
    return null;
  }
  const opened: number[] = [];
  let ok = false;
  const paths = wanted.map((w, i) => (w === null ? '' : joinPath(dir, String(i)))).filter((path) => path !== '');
  let made = false;
  try {
    made = yield* runMkfifo(loop, paths, dir);
  } finally {
    // Not made, or cancelled (the CancelledError goes on): the directory goes now.
    if (!made) rmSync(dir, { recursive: true, force: true });
  }
  if (!made) return null;
  try {
    const open = (path: string, flags: number): number => {
      const fd = openSync(path, flags);
      opened.push(fd);
      return fd;
    };
    const { O_RDONLY, O_WRONLY, O_NONBLOCK } = fsConstants;
    const ourFds: (number | null)[] = [null, null, null];
    for (let i = 0; i < 3; i++) {
      const path = joinPath(dir, String(i));
      if (wanted[i] === 'out') {
        // Our reading end first (a non-blocking open needs no writer), then the child's blocking
        // writing end, which a reader lets open at once. The child's end stays blocking.
        ourFds[i] = open(path, O_RDONLY | O_NONBLOCK);
        pipes.childFds[i] = open(path, O_WRONLY);
      }
      if (wanted[i] !== null) unlinkSync(path);
    }
    if (mergeStderr) pipes.childFds[2] = pipes.childFds[1]!;
    ok = true; // the sockets own our ends from here
    for (let i = 0; i < 3; i++) {
      const fd = ourFds[i];
      if (fd !== null && fd !== undefined) pipes.ours[i] = new Socket({ fd, readable: true, writable: false });
    }
    return pipes;
  } catch {
    return null; // e.g. a temporary directory on a filesystem without FIFOs: Node's pipes then
  } finally {
    if (!ok) for (const fd of opened) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

interface SpawnExtras {
  startNewSession: boolean;
  passFds: number[];
}

/** asyncio's checks of the Popen arguments it cannot honour (base_events.subprocess_exec), and ours. */
function checkSpawnOptions(opts: Record<string, unknown>): SpawnExtras {
  for (const key of Object.keys(opts)) {
    if (!OPTION_NAMES.includes(key)) {
      throw new TypeError(`Unexpected subprocess option \`${key}\`. The options are: ${OPTION_NAMES.join(', ')}.`);
    }
  }
  // asyncio's ValueErrors, word for word: the pipes carry bytes, unbuffered.
  if (opts.universalNewlines !== undefined && opts.universalNewlines !== false) throw new RangeError('universal_newlines must be False');
  if (opts.bufsize !== undefined && opts.bufsize !== 0) throw new RangeError('bufsize must be 0');
  if (opts.text !== undefined && opts.text !== false) throw new RangeError('text must be False. Decode the bytes read, e.g. new TextDecoder().decode(out).');
  if (opts.encoding !== undefined && opts.encoding !== null) throw new RangeError('encoding must be None. Decode the bytes read, e.g. new TextDecoder().decode(out).');
  if (opts.errors !== undefined && opts.errors !== null) throw new RangeError('errors must be None');
  if (opts.closeFds !== undefined && opts.closeFds !== true) {
    throw new RangeError('closeFds must be true: Node closes every descriptor but stdio in the child. List the ones it needs in `passFds`.');
  }
  const session = opts.startNewSession;
  if (session !== undefined && typeof session !== 'boolean') throw new TypeError(`Expected \`startNewSession\` to be a boolean, got ${describeValue(session)}`);
  const passFds: number[] = [];
  const fds = opts.passFds;
  if (fds !== undefined) {
    if (!Array.isArray(fds)) throw new TypeError(`Expected \`passFds\` to be an array of file descriptors, got ${describeValue(fds)}`);
    for (const fd of fds as unknown[]) {
      if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 3) {
        throw new RangeError(`Expected each of \`passFds\` to be a file descriptor >= 3 (0-2 are stdin, stdout, stderr), got ${describeValue(fd)}`);
      }
      passFds.push(fd);
    }
  }
  return { startNewSession: session === true, passFds };
}

function signalNumber(signal: NodeJS.Signals): number {
  return (osConstants.signals as Record<string, number>)[signal] ?? 0;
}

function checkSignal(sig: unknown): NodeJS.Signals | number {
  if (typeof sig === 'number' && Number.isInteger(sig) && sig >= 0) return sig;
  if (typeof sig === 'string' && Object.hasOwn(osConstants.signals, sig)) return sig as NodeJS.Signals;
  throw new TypeError(`Expected \`sig\` to be a signal name such as 'SIGTERM' or a signal number, got ${describeValue(sig)}`);
}

function isBrokenPipe(error: unknown): boolean {
  return error instanceof BrokenPipeError || error instanceof ConnectionResetError;
}

/**
 * A child process started by `createSubprocessExec` / `createSubprocessShell`.
 * @asyncio asyncio.subprocess.Process
 * @example
 * const proc = yield* createSubprocessExec('ls', ['-l'], { stdout: PIPE });
 * const [out] = yield* proc.communicate();
 * console.log(proc.returncode, new TextDecoder().decode(out!));
 *
 * Fields:
 * - `stdin`, `stdout`, `stderr`  the pipes (null unless PIPE; stderr null when merged into stdout)
 * - `pid`          the child's process id
 * - `returncode`   null while running; the exit code; or -signal number
 * - `_child`       Node's ChildProcess
 * - `_exitWaiters` wait() futures, resolved once the child exited and its output pipes closed
 * - `_pipesClosed` Node's 'close' came and our FIFO readers closed: the child's stdout/stderr are
 *                  closed (by it and its children)
 * - `_pipes`       the transports of the pipes, closed by communicate()
 */
export class Process {
  /** The child's stdin (a StreamWriter) when `stdin: PIPE`, else null. */
  readonly stdin: StreamWriter | null;
  /** The child's stdout (a StreamReader) when `stdout: PIPE`, else null. */
  readonly stdout: StreamReader | null;
  /** The child's stderr (a StreamReader) when `stderr: PIPE`, else null. */
  readonly stderr: StreamReader | null;
  /** The child's process id. */
  readonly pid: number;
  /** The exit status: null while running, the exit code, or minus the signal number that killed it. */
  returncode: number | null;
  /** @internal */
  readonly _child: ChildProcess;
  /** @internal */
  readonly _loop: EventLoop;
  /** @internal */
  _exitWaiters: Future<number>[];
  /** @internal */
  _pipesClosed: boolean;
  /** @internal */
  readonly _pipes: (StreamTransport | null)[];

  /** @internal Made by createSubprocessExec / createSubprocessShell. */
  constructor(loop: EventLoop, child: ChildProcess, pipes: (StreamTransport | null)[]) {
    this._loop = loop;
    this._child = child;
    this._pipes = pipes;
    this.pid = child.pid as number;
    this.returncode = null;
    this._exitWaiters = [];
    this._pipesClosed = false;
    const [stdin, stdout, stderr] = pipes;
    this.stdin = stdin ? new StreamWriter(stdin, null) : null;
    this.stdout = stdout?.reader ?? null;
    this.stderr = stderr?.reader ?? null;
  }

  /** @internal The 'exit' event, in the loop: the returncode is known. */
  _exited(code: number | null, signal: NodeJS.Signals | null): void {
    this.returncode = code ?? -signalNumber(signal as NodeJS.Signals);
    this._maybeFinish();
  }

  /** @internal The 'close' event, in the loop: the output pipes are closed. */
  _closed(): void {
    this._pipesClosed = true;
    this._maybeFinish();
  }

  /**
   * asyncio's _try_finish: wait() returns once the process has exited *and* its pipes are closed
   * (a grandchild that still holds stdout keeps wait() waiting, as in asyncio).
   */
  private _maybeFinish(): void {
    if (this.returncode === null || !this._pipesClosed) return;
    const waiters = this._exitWaiters;
    this._exitWaiters = [];
    for (const waiter of waiters) if (!waiter.done()) waiter.setResult(this.returncode);
  }

  /**
   * Waits for the child to exit and its output pipes to close, and returns its `returncode`. With
   * PIPE output, read it meanwhile (or use `communicate`): a child blocked on a full pipe never exits.
   * @asyncio Process.wait()
   * @returns the returncode.
   * @example
   * const code = yield* proc.wait();
   */
  *wait(): Coroutine<number> {
    if (this.returncode !== null && this._pipesClosed) return this.returncode;
    const waiter = this._loop.createFuture<number>();
    this._exitWaiters.push(waiter);
    return yield* waiter;
  }

  /**
   * Sends `input` to stdin (then closes it), reads stdout and stderr to EOF, waits for the exit.
   * @asyncio Process.communicate(input=None)
   * @param input bytes or a string (UTF-8) for stdin; needs `stdin: PIPE`.
   * @returns `[stdout, stderr]`: the bytes read, or null for a stream that is not PIPE.
   * @throws {RangeError} if `input` is given without `stdin: PIPE`.
   * @example
   * const [out, err] = yield* proc.communicate('some input');
   */
  *communicate(input?: Uint8Array | string | null): Coroutine<[Uint8Array | null, Uint8Array | null]> {
    if (input !== undefined && input !== null && this.stdin === null) {
      throw new RangeError('communicate(input) needs `stdin: PIPE`: this process has no stdin pipe, so the input would be lost.');
    }
    const [, out, err] = yield* gather([
      this._feedStdin(input ?? null),
      this._readStream(1),
      this._readStream(2),
    ]);
    yield* this.wait();
    return [out, err];
  }

  private *_feedStdin(input: Uint8Array | string | null): Coroutine<void> {
    const stdin = this.stdin;
    if (stdin === null) return;
    try {
      if (input !== null) {
        stdin.write(input);
        yield* stdin.drain();
      }
    } catch (error) {
      // The child exited without reading its input: asyncio ignores BrokenPipeError here too.
      if (!isBrokenPipe(error)) throw error;
    }
    stdin.close();
  }

  private *_readStream(fd: 1 | 2): Coroutine<Uint8Array | null> {
    const stream = fd === 1 ? this.stdout : this.stderr;
    if (stream === null) return null;
    const output = yield* stream.read();
    this._pipes[fd]?.close();
    return output;
  }

  /**
   * Sends the signal `sig` to the child.
   * @asyncio Process.send_signal(signal)
   * @param sig a signal name ('SIGTERM', 'SIGINT', ...) or number.
   * @throws {ProcessLookupError} if the child has exited.
   * @throws {TypeError} for an unknown signal.
   * @example
   * proc.sendSignal('SIGINT');
   */
  sendSignal(sig: NodeJS.Signals | number): void {
    const signal = checkSignal(sig);
    if (this.returncode !== null) throw new ProcessLookupError(`process ${this.pid} has already exited (returncode ${this.returncode})`);
    this._child.kill(signal);
  }

  /**
   * Sends SIGTERM.
   * @asyncio Process.terminate()
   * @throws {ProcessLookupError} if the child has exited.
   */
  terminate(): void {
    this.sendSignal('SIGTERM');
  }

  /**
   * Sends SIGKILL.
   * @asyncio Process.kill()
   * @throws {ProcessLookupError} if the child has exited.
   */
  kill(): void {
    this.sendSignal('SIGKILL');
  }

  toString(): string {
    return `<Process ${this.pid}>`;
  }
}

function* spawnProcess(file: string, args: readonly string[], shell: boolean, options: SubprocessOptions | undefined): Coroutine<Process> {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
  const opts = options ?? {};
  const extra = checkSpawnOptions(opts as Record<string, unknown>);
  const stdin = checkStdio(opts.stdin, 'stdin');
  const stdout = checkStdio(opts.stdout, 'stdout');
  const stderr = checkStdio(opts.stderr, 'stderr');
  const limit = opts.limit;
  const loop = getRunningLoop();
  const merge = stderr === STDOUT && stdout === PIPE;
  // Real pipes where the platform has FIFOs: stderr: STDOUT is then the child's stdout pipe
  // passed twice, asyncio's dup2.
  // stdin stays Node's pipe: on Linux a FIFO's open waits for a writer (a pipe's does not), so a
  // child reopening /dev/stdin after we closed stdin would wait forever; here it fails (ENXIO).
  const real = yield* makeRealPipes(loop, [null, stdout === PIPE ? 'out' : null, stderr === PIPE ? 'out' : null], merge);
  // Without them, asyncio's one pipe for stdout and stderr is made in the child on Unix by /bin/sh
  // (`exec 2>&1`, then exec the program: same pid), and the kernel keeps the interleaving.
  // Elsewhere the two pipes are merged by arrival.
  const onePipe = merge && real === null && globalThis.process.platform !== 'win32';
  if (onePipe) {
    if (shell) file = `exec 2>&1; ${file}`;
    else {
      findProgram(file, opts.cwd, opts.env);
      args = ['-c', 'exec 2>&1; exec "$0" "$@"', file, ...args];
      file = '/bin/sh';
    }
  }
  // stderr: STDOUT without a stdout pipe is a dup2 onto whatever stdout is.
  const stderrTarget = stderr !== STDOUT ? stderr : onePipe ? 'ignore' : merge ? PIPE : stdout === 'inherit' ? 1 : stdout;
  // STDOUT was resolved above: only Node's own stdio words and fds remain.
  const stdio = [stdin, stdout, stderrTarget] as ('pipe' | 'ignore' | 'inherit' | number)[];
  if (real !== null) for (let i = 0; i < 3; i++) if (real.childFds[i] !== null) stdio[i] = real.childFds[i]!;
  // pass_fds keeps each descriptor's number: Node's stdio[n] becomes the child's fd n.
  for (const fd of extra.passFds) {
    while (stdio.length < fd) stdio.push('ignore');
    stdio[fd] = fd;
  }
  const spawnOptions: Parameters<typeof spawn>[2] = { stdio, shell, detached: extra.startNewSession };
  if (opts.cwd !== undefined) spawnOptions.cwd = opts.cwd;
  if (opts.env !== undefined) spawnOptions.env = opts.env;
  let child: ChildProcess;
  try {
    child = spawn(file, args as string[], spawnOptions);
  } catch (error) {
    for (const socket of real?.ours ?? []) socket?.destroy();
    throw error;
  } finally {
    // The child has its copies (spawn returns once it has exec'd or failed): ours must go, or
    // our reading ends would never see EOF.
    if (real !== null) for (const fd of new Set(real.childFds)) if (fd !== null) closeSync(fd);
  }
  const ours = real?.ours ?? [null, null, null];
  const ownStdin = ours[0] ?? child.stdin;
  const ownStdout = ours[1] ?? child.stdout;
  const ownStderr = ours[2] ?? child.stderr;

  const started = loop.createFuture<void>();
  let process: Process | null = null;
  const post = (fn: () => void): void => {
    if (!loop.isClosed()) loop.callSoonThreadsafe(fn);
  };
  child.once('spawn', () => post(() => { if (!started.done()) started.setResult(); }));
  child.on('error', (error) => post(() => {
    const exception = fromNodeError(error);
    if (!started.done()) started._setExceptionUnchecked(exception);
    else loop.callExceptionHandler({ message: 'Subprocess error', exception, process });
  }));
  child.once('exit', (code, signal) => post(() => process?._exited(code, signal)));
  // The output pipes are closed when Node's 'close' came (its own pipes) and our FIFO readers closed.
  let closed = false; // may come before the Process exists (checked when it is made)
  const outputs = [ours[1], ours[2]].filter((socket): socket is Socket => socket !== null && socket !== undefined);
  let closesNeeded = 1 + outputs.length;
  const closedOne = (): void => {
    if (--closesNeeded > 0) return;
    closed = true;
    post(() => process?._closed());
  };
  child.once('close', closedOne);
  for (const socket of outputs) socket.once('close', closedOne);
  try {
    yield* started;
  } catch (error) {
    for (const stream of [ownStdin, ownStdout, ownStderr]) stream?.destroy();
    // asyncio: "Exception during subprocess creation, kill the subprocess", then wait for it, so
    // no child outlives a cancelled creation (Node would also stay alive for it).
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = loop.createFuture<void>();
      child.once('exit', () => post(() => { if (!exited.done()) exited.setResult(); }));
      child.kill('SIGKILL');
      yield* exited;
    }
    throw error;
  }

  const pipes: (StreamTransport | null)[] = [null, null, null];
  if (ownStdin !== null) pipes[0] = new StreamTransport(loop, ownStdin as Duplex, null);
  if (merge && !onePipe && real === null) {
    // One reader fed by both pipes; it ends when both have ended.
    const merged = new PassThrough();
    let open = 2;
    const ended = (): void => {
      if (--open === 0) merged.end();
    };
    for (const stream of [child.stdout, child.stderr]) {
      stream!.on('end', ended);
      stream!.pipe(merged, { end: false });
    }
    pipes[1] = new StreamTransport(loop, merged, new StreamReader(limit));
  } else {
    if (ownStdout !== null) pipes[1] = new StreamTransport(loop, ownStdout as Duplex, new StreamReader(limit));
    if (ownStderr !== null && !onePipe) pipes[2] = new StreamTransport(loop, ownStderr as Duplex, new StreamReader(limit));
  }
  process = new Process(loop, child, pipes);
  if (child.exitCode !== null || child.signalCode !== null) process._exited(child.exitCode, child.signalCode);
  if (closed) process._closed();
  const proc = process;
  const unregister = atLoopShutdown(loop, () => {
    if (proc.returncode === null) child.kill('SIGKILL');
  });
  child.once('exit', unregister);
  return process;
}

/**
 * Starts `program` with `args` (no shell).
 * @asyncio asyncio.create_subprocess_exec(program, *args, stdin=None, stdout=None, stderr=None, limit=None, **kwds)
 * Differs from asyncio: `args` is an array.
 * @param program the executable (looked up on PATH).
 * @param args its arguments.
 * @param options `stdin`, `stdout`, `stderr` (PIPE, DEVNULL, STDOUT, 'inherit', an fd), `cwd`, `env`,
 *   `limit`, `startNewSession`, `passFds`; `text`, `encoding`, `errors`, `universalNewlines`,
 *   `bufsize` and `closeFds: false` are refused as asyncio refuses them.
 * @returns the running Process.
 * @throws {FileNotFoundError} / {PermissionError} (OSErrors of errors.ts) when the program cannot be started.
 * @throws {RangeError} "text must be False" (asyncio's ValueError), and likewise for the other refused options.
 * @throws {TypeError} for an option that does not exist.
 * @example
 * const proc = yield* createSubprocessExec(process.execPath, ['-e', 'console.log(1 + 1)'], { stdout: PIPE });
 * const [out] = yield* proc.communicate(); // '2\n'
 */
export function createSubprocessExec(program: string, args: readonly string[] = [], options?: SubprocessOptions): Coroutine<Process> {
  if (typeof program !== 'string' || program === '') throw new TypeError(`Expected \`program\` to be a non-empty string, got ${describeValue(program)}`);
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw new TypeError(`Expected \`args\` to be an array of strings, got ${describeValue(args)}`);
  }
  return spawnProcess(program, args, false, options);
}

/**
 * Runs `cmd` through the shell (`/bin/sh -c` on Unix). Quote anything that comes from users.
 * @asyncio asyncio.create_subprocess_shell(cmd, stdin=None, stdout=None, stderr=None, limit=None, **kwds)
 * @param cmd the command line.
 * @param options as for `createSubprocessExec`.
 * @returns the running Process (its pid is the shell's).
 * @example
 * const proc = yield* createSubprocessShell('echo hi | tr a-z A-Z', { stdout: PIPE });
 */
export function createSubprocessShell(cmd: string, options?: SubprocessOptions): Coroutine<Process> {
  if (typeof cmd !== 'string' || cmd === '') throw new TypeError(`Expected \`cmd\` to be a non-empty string, got ${describeValue(cmd)}`);
  return spawnProcess(cmd, [], true, options);
}
