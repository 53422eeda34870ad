/**
 * The `trace` option of `run` / `runSync` / `Runner`: record the timeline of a whole program.
 * Kept apart from trace.ts so a program that never traces does not carry the recorder and its
 * renderers (a `runSync + sleep` bundle): the option takes a recorder the caller made, or a file
 * name that a host with a file system (yieldio/node) records and writes.
 * @asyncio none
 * @module
 */
import { RuntimeError } from './exceptions.ts';
import type { EventLoop } from './base-events.ts';
import type { TraceRecorder } from './trace.ts';
import { shortRepr } from './internal/repr.ts';

/**
 * Where `run`/`runSync`/`Runner` send the trace of a whole program: a `TraceRecorder` you read
 * afterwards, or a file path (`.json`: Chrome trace, `.txt`: the terminal timeline, `.html`: the
 * page), which only a host with a file system can write: `yieldio/node` registers that writer
 * when loaded (so does `runMain`).
 */
export type TraceOption = TraceRecorder | string;

/** @internal What a host (yieldio/node) provides: a recorder for a file target, writing it, and the default target (`YIELDIO_TRACE`). */
export interface TraceHost {
  createRecorder(): TraceRecorder;
  write(path: string, recorder: TraceRecorder): void;
  defaultTarget(): string | undefined;
  /** A runner created a loop / closed it (yieldio/node answers `yieldio ps` meanwhile). */
  loopOpened?(loop: EventLoop): void;
  loopClosed?(loop: EventLoop): void;
}

let traceHost: TraceHost | null = null;

/** @internal Registers the host that writes trace files (yieldio/node does, on import). Returns the previous one. */
export function setTraceHost(host: TraceHost | null): TraceHost | null {
  const previous = traceHost;
  traceHost = host;
  return previous;
}

/** @internal The trace output format for a file name: by its extension. */
export function traceFormatOf(path: string): 'json' | 'txt' | 'html' {
  return /\.txt$/i.test(path) ? 'txt' : /\.html?$/i.test(path) ? 'html' : 'json';
}

// A recorder by its shape, not `instanceof`: importing the class would pull it into every program.
function isRecorder(value: unknown): value is TraceRecorder {
  return typeof value === 'object' && value !== null && typeof (value as { attach?: unknown }).attach === 'function' && typeof (value as { toChromeTrace?: unknown }).toChromeTrace === 'function';
}

/** @internal Checks a `trace` option up front, so a bad one fails before anything runs. */
export function checkTraceOption(trace: unknown, what: string): void {
  if (trace === undefined || isRecorder(trace)) return;
  if (typeof trace === 'string') {
    if (trace === '') throw new TypeError(`${what}: \`trace\` is an empty file name`);
    if (traceHost === null) {
      throw new TypeError(
        `${what}: \`trace: ${JSON.stringify(trace)}\` writes a file, which the core cannot do: import 'yieldio/node' once ` +
          '(or use runMain), or pass a TraceRecorder and read it afterwards',
      );
    }
    return;
  }
  throw new TypeError(`${what}: expected \`trace\` to be a TraceRecorder or a file name, got ${shortRepr(trace)}`);
}

const sessions = new WeakMap<EventLoop, { recorder: TraceRecorder; option: TraceOption }>();

/** @internal A runner created `loop`: start recording if asked (the option, else the host's `YIELDIO_TRACE`). */
export function startTrace(loop: EventLoop, trace: TraceOption | undefined): void {
  traceHost?.loopOpened?.(loop);
  const option = trace ?? traceHost?.defaultTarget();
  if (option === undefined || option === '') return;
  let recorder: TraceRecorder;
  if (typeof option !== 'string') recorder = option;
  else if (traceHost !== null) recorder = traceHost.createRecorder();
  else throw new RuntimeError(`cannot write the trace to ${JSON.stringify(option)}: no host file writer (import 'yieldio/node')`);
  recorder.attach(loop);
  sessions.set(loop, { recorder, option });
}

/** @internal The runner closed `loop`: hand the recording to its file, if it has one. */
export function endTrace(loop: EventLoop): void {
  traceHost?.loopClosed?.(loop);
  const session = sessions.get(loop);
  if (session === undefined) return;
  sessions.delete(loop);
  const { recorder, option } = session;
  if (typeof option === 'string') {
    if (traceHost === null) throw new RuntimeError(`cannot write the trace to ${JSON.stringify(option)}: no host file writer (import 'yieldio/node')`);
    traceHost.write(option, recorder);
  }
}
