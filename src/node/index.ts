/**
 * yieldio/node: the parts of yieldio that need Node.js (>= 20). Only modules under src/node/ may
 * import `node:` modules. Every name is listed explicitly (asyncio's `__all__`).
 * @module
 */
export { AsyncLocalStorageVar, bindAsyncLocalStorage } from './context.ts';
// --- streams, subprocess, signals, threads
export {
  StreamReader,
  StreamWriter,
  Server,
  ServerSocket,
  ConnectionResetError,
  openConnection,
  openUnixConnection,
  startServer,
  startUnixServer,
} from './streams.ts';
export type {
  ClientConnected,
  OpenConnectionOptions,
  OpenUnixConnectionOptions,
  StartServerOptions,
  StartUnixServerOptions,
} from './streams.ts';
export { PIPE, STDOUT, DEVNULL, Process, ProcessLookupError, createSubprocessExec, createSubprocessShell } from './subprocess.ts';
export type { StdioOption, SubprocessOptions } from './subprocess.ts';
export { addSignalHandler, removeSignalHandler } from './signals.ts';
export { runMain, exitOnInterrupt, KeyboardInterrupt } from './runners.ts';
export { toThread, shutdownDefaultExecutor } from './threads.ts';
// --- trace files: run(main, { trace: 'out.json' }) and YIELDIO_TRACE (issue 14)
export { writeTrace } from './trace.ts';
export { requestSnapshot } from './ps.ts';
export type { PsSnapshot } from './ps.ts';
