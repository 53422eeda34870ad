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
  StreamReaderProtocol,
  Server,
  ServerSocket,
  openConnection,
  openUnixConnection,
  startServer,
  startUnixServer,
  createConnection,
  createUnixConnection,
  createServer,
  createUnixServer,
  connectAcceptedSocket,
} from './streams.ts';
export { BaseProtocol, Protocol, BufferedProtocol } from './protocols.ts';
export { SocketTransport } from './transports.ts';
export type { StreamProtocol } from './protocols.ts';
export type {
  ClientConnected,
  StartTlsOptions,
  CreateConnectionOptions,
  CreateServerOptions,
  CreateUnixConnectionOptions,
  CreateUnixServerOptions,
  ConnectAcceptedSocketOptions,
  OpenConnectionOptions,
  OpenUnixConnectionOptions,
  StartServerOptions,
  StartUnixServerOptions,
} from './streams.ts';
export {
  OSError,
  ConnectionError,
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileNotFoundError,
  PermissionError,
  ProcessLookupError,
  SSLError,
  SSLCertVerificationError,
} from './errors.ts';
export { SSLContext, createSslContext } from './tls.ts';
export { DatagramProtocol, DatagramTransport, createDatagramEndpoint } from './datagram.ts';
export type { DatagramAddress, DatagramEndpointOptions } from './datagram.ts';
export type { SSLContextOptions } from './tls.ts';
export type { OSErrorDetails } from './errors.ts';
export { PIPE, STDOUT, DEVNULL, Process, createSubprocessExec, createSubprocessShell } from './subprocess.ts';
export type { StdioOption, SubprocessOptions } from './subprocess.ts';
export { addSignalHandler, removeSignalHandler } from './signals.ts';
export { runMain, exitOnInterrupt, KeyboardInterrupt } from './runners.ts';
export { toThread, shutdownDefaultExecutor, registerErrorClass } from './threads.ts';
// --- trace files: run(main, { trace: 'out.json' }) and YIELDIO_TRACE (issue 14)
export { writeTrace } from './trace.ts';
export { requestSnapshot } from './ps.ts';
export type { PsSnapshot } from './ps.ts';
