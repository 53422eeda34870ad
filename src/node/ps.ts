/**
 * `yieldio ps <pid>` / `yieldio pstree <pid>`: the task table and await tree of another Node
 * process running yieldio, as Python 3.14's `python -m asyncio ps PID` / `pstree PID`.
 * @asyncio asyncio.tools (3.14)
 *
 * Design and security: no network at all. While a runner's loop is open (run, runSync, Runner,
 * runMain, with yieldio/node loaded), the process listens for SIGUSR2 and announces that with a
 * marker file `<tmpdir>/yieldio-ps-<pid>.ready`. The CLI checks the marker (so it never signals a
 * process that would die of SIGUSR2), sends the signal, and the process answers by writing
 * `<tmpdir>/yieldio-ps-<pid>.json` (mode 0600, created exclusively, then renamed into place).
 * Only the same user (or root) can signal a process and read those files. The snapshot holds task
 * names and the reprs of what they await (which may show queue items). `YIELDIO_PS=0` turns it off.
 * (Node's own SIGUSR1 inspector was not used: it opens a debugger port that any local user can
 * connect to while it is open, with full control of the process.)
 * @module
 */
import { existsSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTaskTable, formatTaskTree, taskTable, type TaskRow } from '../diagnostics.ts';
import type { EventLoop } from '../base-events.ts';
import { recordCreationTimes } from '../internal/creations.ts';

/** What the process writes when asked. */
export interface PsSnapshot {
  readonly pid: number;
  readonly rows: TaskRow[];
  readonly tree: string;
}

const SIGNAL = 'SIGUSR2';
const openLoops = new Set<EventLoop>();

function markerPath(pid: number): string {
  return join(tmpdir(), `yieldio-ps-${pid}.ready`);
}

function answerPath(pid: number): string {
  return join(tmpdir(), `yieldio-ps-${pid}.json`);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function answer(): void {
  // A diagnostic must never kill the program it inspects: if the answer cannot be written, the
  // CLI reports that the process did not answer in time.
  try {
    const snapshot: PsSnapshot = { pid: process.pid, rows: taskTable(), tree: formatTaskTree() };
    const temp = join(tmpdir(), `.yieldio-ps-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
    writeFileSync(temp, JSON.stringify(snapshot), { flag: 'wx', mode: 0o600 });
    renameSync(temp, answerPath(process.pid));
  } catch {
    // no answer file: the CLI's timeout message names this case
  }
}

// Set when this process cannot serve `yieldio ps` (no write access to the temporary directory,
// as under Deno without --allow-write): the program runs on, only the diagnostic is off.
let unavailable = false;

function removeMarker(): void {
  unlinkQuietly(markerPath(process.pid));
}

/** @internal A runner opened a loop: serve `yieldio ps` while any is open. */
export function psLoopOpened(loop: EventLoop): void {
  if (unavailable || process.env['YIELDIO_PS'] === '0') return;
  recordCreationTimes(loop); // each task's age in the table: one WeakMap entry per task, from now on
  openLoops.add(loop);
  if (openLoops.size !== 1) return;
  try {
    writeFileSync(markerPath(process.pid), String(process.pid), { mode: 0o600 });
    process.on(SIGNAL, answer);
    process.on('exit', removeMarker);
  } catch {
    unavailable = true;
    openLoops.clear();
    process.off(SIGNAL, answer);
    removeMarker();
  }
}

/** @internal A runner closed its loop. */
export function psLoopClosed(loop: EventLoop): void {
  if (!openLoops.delete(loop) || openLoops.size !== 0) return;
  process.off(SIGNAL, answer);
  process.off('exit', removeMarker);
  removeMarker();
}

/**
 * Asks process `pid` for its tasks; waits up to `timeoutMs` for the answer.
 * @throws {Error} naming the problem: no such process, not a yieldio program with an open loop,
 *   not yours, or no answer in time.
 */
export function requestSnapshot(pid: number, timeoutMs = 5000): PsSnapshot {
  if (!Number.isInteger(pid) || pid <= 0) throw new RangeError(`Expected a process id, got ${String(pid)}`);
  const marker = markerPath(pid);
  if (!existsSync(marker)) {
    throw new Error(
      `process ${pid} is not serving yieldio ps: it must run a yieldio loop (run/runMain) with yieldio/node loaded (a program that imports only 'yieldio': start it with node --import yieldio/node), not set YIELDIO_PS=0, and be able to write ${tmpdir()}`,
    );
  }
  if (typeof process.getuid === 'function' && statSync(marker).uid !== process.getuid()) {
    throw new Error(`process ${pid} belongs to another user: yieldio ps only inspects your own processes`);
  }
  const out = answerPath(pid);
  unlinkQuietly(out);
  try {
    process.kill(pid, SIGNAL);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ESRCH') throw new Error(`no process ${pid} (a stale ${marker}: remove it)`);
    if (code === 'EPERM') throw new Error(`not allowed to signal process ${pid}: yieldio ps only inspects your own processes`);
    throw error;
  }
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(out)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} did not answer within ${timeoutMs} ms (is its loop blocked in a long callback?)`);
    Atomics.wait(pause, 0, 0, 20);
  }
  const snapshot = JSON.parse(readFileSync(out, 'utf8')) as PsSnapshot;
  unlinkQuietly(out);
  return snapshot;
}

/** The CLI: `yieldio ps <pid>` or `yieldio pstree <pid>`; returns the exit code. */
export function cli(argv: readonly string[], print: (text: string) => void = console.log, printError: (text: string) => void = console.error): number {
  const [command, pidText] = argv;
  if ((command !== 'ps' && command !== 'pstree') || pidText === undefined || !/^\d+$/.test(pidText)) {
    printError('usage: yieldio ps <pid>      the task table of a running yieldio program\n       yieldio pstree <pid>  its await tree');
    return 2;
  }
  try {
    const snapshot = requestSnapshot(Number(pidText));
    if (command === 'ps') print(snapshot.rows.length === 0 ? 'no tasks' : formatTaskTable(snapshot.rows));
    else print(snapshot.tree === '' ? 'no tasks' : snapshot.tree);
    return 0;
  } catch (error) {
    printError(`yieldio ${command}: ${(error as Error).message}`);
    return 1;
  }
}
