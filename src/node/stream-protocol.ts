/**
 * The streams over a transport: StreamReaderProtocol feeds a StreamReader from the transport's
 * callbacks, StreamWriter writes through the transport and waits on the protocol's flow control.
 * @asyncio asyncio.streams (FlowControlMixin, StreamReaderProtocol, StreamWriter)
 *
 * Design notes
 * - One I/O path, as asyncio's: openConnection / startServer / openUnixConnection /
 *   startUnixServer are createConnection / createServer with a StreamReaderProtocol
 *   (streams.ts); a child's pipes (subprocess.ts) are the same transport over a pipe.
 * - Backpressure both ways, as asyncio's: reading pauses when the reader holds more than
 *   2 * limit bytes (the reader calls the transport's pauseReading, asyncio's
 *   `_maybe_pause_transport`); writing, `drain()` waits while the transport has paused the
 *   protocol (`pauseWriting`, over 64 KiB buffered) until `resumeWriting` (16 KiB or less).
 * @module
 */
import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { getRunningLoop } from '../events.ts';
import { sleep, isCoroutine, type Task } from '../tasks.ts';
import { RuntimeError } from '../exceptions.ts';
import { describeValue, inspectSymbol } from '../internal/repr.ts';
import { Protocol } from './protocols.ts';
import { ConnectionAbortedError, ConnectionResetError } from './errors.ts';
import { SSL_HANDSHAKE_TIMEOUT, SSL_SHUTDOWN_TIMEOUT, checkSsl, checkTimeout, clientOptions, serverOptions, type SSLContext } from './tls.ts';
import type { StreamReader } from './stream-reader.ts';
import type { StreamTransport } from './transports.ts';
import type { TimerHandle } from '../events.ts';
import type { EventLoop } from '../base-events.ts';
import type { Future } from '../futures.ts';
import type { Coroutine } from '../types.ts';

/** A reader on a Node transport returns Buffers (a Uint8Array subclass), as Node code expects. */
const allocBuffer = (size: number): Uint8Array => Buffer.allocUnsafe(size);

/** @internal The options object of `fn`: an unknown option is refused, with the list of known ones. */
export function checkOptions(options: unknown, fn: string, names: readonly string[]): Record<string, unknown> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${fn}() expects an options object, got ${describeValue(options)}`);
  }
  // An option we do not know is a mistake (a typo, or asyncio's snake_case): never ignore it.
  for (const key of Object.keys(options)) {
    if (!names.includes(key)) throw new TypeError(`${fn}() got an unexpected option \`${key}\`. Its options are: ${names.join(', ')}.`);
  }
  return options as Record<string, unknown>;
}

/** @internal A non-empty string, or a TypeError naming `name`. */
export function checkString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`Expected \`${name}\` to be a non-empty string, got ${describeValue(value)}`);
  return value;
}

/** @internal The TLS settings of one connection: its context and asyncio's two timeouts (ms). */
export interface TlsSetup {
  context: SSLContext;
  serverHostname: string | null;
  handshakeTimeout: number;
  shutdownTimeout: number;
}

/** @internal The ssl options of openConnection / startServer / startTls, with asyncio's ValueErrors. */
export function tlsSetup(opts: Record<string, unknown>, ssl: SSLContext | null, defaultHostname: string | null): TlsSetup | null {
  if (ssl === null) {
    // asyncio: "server_hostname is only meaningful with ssl", and likewise for the timeouts.
    for (const [key, words] of [['serverHostname', 'server_hostname'], ['sslHandshakeTimeout', 'ssl_handshake_timeout'], ['sslShutdownTimeout', 'ssl_shutdown_timeout']] as const) {
      if (opts[key] !== undefined) throw new RangeError(`${words} is only meaningful with ssl`);
    }
    return null;
  }
  const serverHostname = opts.serverHostname === undefined ? defaultHostname : checkString(opts.serverHostname, 'serverHostname');
  return {
    context: ssl,
    serverHostname,
    handshakeTimeout: checkTimeout(opts.sslHandshakeTimeout, 'sslHandshakeTimeout', SSL_HANDSHAKE_TIMEOUT),
    shutdownTimeout: checkTimeout(opts.sslShutdownTimeout, 'sslShutdownTimeout', SSL_SHUTDOWN_TIMEOUT),
  };
}

/**
 * @internal Waits for the transport's connect (or, with TLS, its handshake): asyncio's
 * ssl_handshake_timeout aborts a handshake that takes too long.
 */
export function* waitConnected(loop: EventLoop, transport: StreamTransport, secure: TlsSetup | null): Coroutine<void> {
  const waiter = loop.createFuture<void>();
  transport._connectWaiter = waiter;
  let timer: TimerHandle | null = null;
  if (secure !== null) {
    transport._ssl = secure.context;
    transport._shutdownTimeout = secure.shutdownTimeout;
    const ms = secure.handshakeTimeout;
    timer = loop.callLater(ms, () => transport._forceClose(new ConnectionAbortedError(`SSL handshake is taking longer than ${ms} ms: aborting the connection`)));
  }
  try {
    yield* waiter;
  } catch (error) {
    transport.abort(); // cancelled while connecting, or the connection (or handshake) failed
    throw error;
  } finally {
    timer?.cancel();
  }
}

/** What `startServer` calls per connection: a plain function, or a `function*` (run as a Task). */
export type ClientConnected = (reader: StreamReader, writer: StreamWriter) => void | Coroutine<unknown>;

// ------------------------------------------------------------------------------------ protocol

/**
 * A protocol with write flow control a coroutine can wait on: `pauseWriting` / `resumeWriting`
 * from the transport, `_drainHelper()` for the writer's `drain()`.
 * @asyncio asyncio.streams.FlowControlMixin
 *
 * Fields:
 * - `_paused`          the transport called pauseWriting() and not yet resumeWriting()
 * - `_drainWaiters`    the futures of drain() calls waiting for resumeWriting()
 * - `_connectionLost`  connectionLost() was called
 */
export class FlowControlMixin extends Protocol {
  _paused: boolean;
  _drainWaiters: Future<void>[];
  _connectionLost: boolean;

  /** A protocol not paused. */
  constructor() {
    super();
    this._paused = false;
    this._drainWaiters = [];
    this._connectionLost = false;
  }

  /**
   * The transport's buffer is over its high limit: drain() waits from now on.
   * @asyncio FlowControlMixin.pause_writing()
   */
  override pauseWriting(): void {
    this._paused = true;
  }

  /**
   * The buffer is down to its low limit: the waiting drain() calls return.
   * @asyncio FlowControlMixin.resume_writing()
   */
  override resumeWriting(): void {
    this._paused = false;
    const waiters = this._drainWaiters;
    if (waiters.length === 0) return;
    this._drainWaiters = [];
    for (const waiter of waiters) if (!waiter.done()) waiter.setResult(undefined);
  }

  /**
   * The connection is lost: the waiting drain() calls return after a clean close (what they
   * waited for was sent) and raise `exc` after a failure (a child that exits while we write:
   * BrokenPipeError); every later drain() raises ConnectionResetError('Connection lost').
   * @asyncio FlowControlMixin.connection_lost(exc)
   */
  override connectionLost(exc: unknown): void {
    this._connectionLost = true;
    const waiters = this._drainWaiters;
    if (waiters.length === 0) return;
    this._drainWaiters = [];
    for (const waiter of waiters) {
      if (waiter.done()) continue;
      if (exc === null) waiter.setResult(undefined);
      else waiter._setExceptionUnchecked(exc);
    }
  }

  /**
   * @internal Returns at once unless writing is paused; then waits for resumeWriting().
   * @asyncio FlowControlMixin._drain_helper()
   */
  *_drainHelper(): Coroutine<void> {
    if (this._connectionLost) throw new ConnectionResetError('Connection lost');
    if (!this._paused) return;
    const waiter = getRunningLoop().createFuture<void>();
    this._drainWaiters.push(waiter);
    yield* waiter;
  }
}

/**
 * The protocol between a transport and a StreamReader / StreamWriter pair: received bytes and
 * EOF go to the reader, the connection's loss to the reader, the writer's drain() and
 * waitClosed(). With `clientConnected` (a server's protocol), each connection calls it with its
 * reader and writer; a `function*` handler runs as a Task, and what it raises is reported to the
 * loop's exception handler as "Unhandled exception in client_connected_cb" and closes the connection.
 * @asyncio asyncio.StreamReaderProtocol(stream_reader, client_connected_cb=None)
 * @example
 * const reader = new StreamReader();
 * const [transport, protocol] = yield* createConnection(() => new StreamReaderProtocol(reader), { host: '127.0.0.1', port });
 * const writer = new StreamWriter(transport, reader, protocol); // what openConnection returns
 *
 * Fields:
 * - `_reader`          the StreamReader fed, or null (a write-only pipe)
 * - `_clientConnected` the server's callback, or null
 * - `_transport`       the transport, from connectionMade on
 * - `_writer`          the StreamWriter given to clientConnected, or null
 * - `_task`            the Task running clientConnected's coroutine, or null
 * - `_closed`          resolved (or failed) when the connection is lost; waitClosed() awaits it
 * - `_taskDone`        the Task's done callback, bound once
 */
export class StreamReaderProtocol extends FlowControlMixin {
  _reader: StreamReader | null;
  _clientConnected: ClientConnected | null;
  _transport: StreamTransport | null;
  _writer: StreamWriter | null;
  _task: Task<unknown> | null;
  _closed: Future<void> | null;
  private readonly _taskDone: (task: Task<unknown>) => void;

  /**
   * @param streamReader the reader to feed (null for a write-only pipe).
   * @param clientConnected called with the reader and a writer once connected (startServer's callback).
   */
  constructor(streamReader: StreamReader | null, clientConnected: ClientConnected | null = null) {
    super();
    this._reader = streamReader;
    if (streamReader !== null) streamReader._alloc = allocBuffer;
    this._clientConnected = clientConnected;
    this._transport = null;
    this._writer = null;
    this._task = null;
    this._closed = null;
    this._taskDone = (task) => this._clientTaskDone(task);
  }

  /**
   * The reader reads from `transport` (it pauses and resumes it); a server's callback is called.
   * @asyncio StreamReaderProtocol.connection_made(transport)
   */
  override connectionMade(transport: StreamTransport): void {
    this._transport = transport;
    const loop = transport.loop;
    this._closed = loop.createFuture<void>();
    const reader = this._reader;
    if (reader !== null) reader.setTransport(transport);
    const cb = this._clientConnected;
    if (cb === null) return;
    const writer = new StreamWriter(transport, reader, this);
    this._writer = writer;
    let result: unknown;
    try {
      result = cb(reader as StreamReader, writer);
    } catch (error) {
      loop.callExceptionHandler({ message: 'Unhandled exception in client_connected_cb', exception: error, transport });
      transport.close();
      return;
    }
    if (isCoroutine(result)) {
      const task = loop.createTask(result as Coroutine<unknown>);
      this._task = task;
      task.addDoneCallback(this._taskDone);
    }
  }

  /** asyncio's callback on the client_connected_cb task: its failure is reported, and closes the connection. */
  private _clientTaskDone(task: Task<unknown>): void {
    const transport = this._transport as StreamTransport;
    if (task.cancelled()) {
      transport.close();
      return;
    }
    const exception = task.exception();
    if (exception !== null) {
      transport.loop.callExceptionHandler({ message: 'Unhandled exception in client_connected_cb', exception, transport });
      transport.close();
    }
  }

  /**
   * Bytes arrived: fed to the reader.
   * @asyncio StreamReaderProtocol.data_received(data)
   */
  override dataReceived(data: Uint8Array): void {
    const reader = this._reader;
    if (reader !== null && !reader._eof) reader.feedData(data);
  }

  /**
   * The peer sent EOF: the reader's reads end; the connection stays open for writing (half-close).
   * @asyncio StreamReaderProtocol.eof_received()
   * Differs from asyncio: over TLS too the connection stays open for writing (asyncio closes it).
   */
  override eofReceived(): boolean {
    this._reader?.feedEof();
    return true;
  }

  /**
   * The connection is lost: the reader sees EOF (or `exc`), drain() raises, waitClosed() returns (or raises `exc`).
   * @asyncio StreamReaderProtocol.connection_lost(exc)
   */
  override connectionLost(exc: unknown): void {
    const reader = this._reader;
    if (reader !== null) {
      if (exc === null) reader.feedEof();
      else reader.setException(exc);
    }
    super.connectionLost(exc);
    const closed = this._closed;
    if (closed !== null && !closed.done()) {
      if (exc === null) closed.setResult(undefined);
      else {
        closed._setExceptionUnchecked(exc);
        closed.exception(); // retrieved: waitClosed() may never be called (asyncio does the same)
      }
    }
  }

  /** @internal The future waitClosed() awaits (asyncio's _get_close_waiter). */
  _getCloseWaiter(): Future<void> {
    if (this._closed === null) throw new RuntimeError('waitClosed() before the connection was made');
    return this._closed;
  }
}

// ------------------------------------------------------------------------------------ writer

/** @internal A write's data as a Buffer (Node's socket writes take one without a copy). */
export function toBuffer(data: unknown, name: string): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(`${name} argument must be a bytes-like object, not ${describeValue(data)}. Pass a Uint8Array (or a string, written as UTF-8).`);
}

// ------------------------------------------------------------------------------------ writer

/**
 * Writes bytes to a connection. `write()` buffers; `yield* drain()` waits until the socket has
 * room again (backpressure), and raises if the connection was lost.
 * @asyncio asyncio.StreamWriter
 * @example
 * writer.write('hello\n');
 * yield* writer.drain();
 * writer.close();
 * yield* writer.waitClosed();
 */
export class StreamWriter {
  /** @internal */
  readonly _transport: StreamTransport;
  /** @internal */
  readonly _reader: StreamReader | null;
  /** @internal The protocol whose flow control drain() waits on and whose close waitClosed() awaits. */
  readonly _protocol: StreamReaderProtocol;

  /**
   * @internal Made by openConnection, startServer and the subprocess functions.
   * @asyncio StreamWriter(transport, protocol, reader, loop)
   */
  constructor(transport: StreamTransport, reader: StreamReader | null, protocol: StreamReaderProtocol = transport._protocol as StreamReaderProtocol) {
    this._transport = transport;
    this._reader = reader;
    this._protocol = protocol;
  }

  /**
   * Buffers `data` for sending; never blocks. Follow with `yield* drain()` to respect backpressure.
   * As asyncio's: after `close()`, a write is still sent while earlier bytes are being flushed;
   * once the connection is closed or lost, writes are dropped (`drain()` raises
   * ConnectionResetError), and from the fifth dropped write on, each is reported through the
   * loop's exception handler as "socket.send() raised exception.".
   * @asyncio StreamWriter.write(data)
   * Differs from asyncio: a string is accepted and written as UTF-8.
   * @param data the bytes (a Uint8Array) or a string.
   * @throws {TypeError} if `data` is neither.
   * @throws {RuntimeError} "Cannot call write() after writeEof()".
   * @example
   * writer.write(new Uint8Array([1, 2, 3]));
   */
  write(data: Uint8Array | string): void {
    this._transport.write(toBuffer(data, 'data'));
  }

  /**
   * Writes each item of `data` in order.
   * @asyncio StreamWriter.writelines(data)
   * @param data an iterable of Uint8Array or strings.
   * @example
   * writer.writelines(['a\n', 'b\n']);
   */
  writelines(data: Iterable<Uint8Array | string>): void {
    const parts: Buffer[] = [];
    for (const item of data) parts.push(toBuffer(item, 'data'));
    this._transport.write(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts));
  }

  /**
   * Waits until the socket's buffer has room (its `write()` returned false and 'drain' has not
   * come yet); returns at once otherwise.
   * @asyncio StreamWriter.drain()
   * @throws the connection's error (from the reader), or {ConnectionResetError} "Connection lost".
   * @example
   * for (const chunk of chunks) { writer.write(chunk); yield* writer.drain(); }
   */
  *drain(): Coroutine<void> {
    const reader = this._reader;
    if (reader !== null) {
      const exc = reader.exception();
      if (exc !== null) throw exc;
    }
    // Let a pending 'close' arrive, so drain() after close() reports a lost connection.
    if (this._transport.isClosing()) yield* sleep(0);
    const protocol = this._protocol;
    // Not paused, not lost (the common case): return without starting _drainHelper's generator.
    if (protocol._paused || protocol._connectionLost) yield* protocol._drainHelper();
  }

  /**
   * Sends what is buffered, then closes the connection. Await `waitClosed()` to know it is done.
   * @asyncio StreamWriter.close()
   * @example
   * writer.close(); yield* writer.waitClosed();
   */
  close(): void {
    this._transport.close();
  }

  /**
   * Upgrades the connection to TLS in place (after what was written is drained); the same reader
   * and writer then carry the encrypted stream. On a connection a server accepted, this side
   * is the TLS server (asyncio's `server_side`), and `sslContext` must be a server context.
   * @asyncio StreamWriter.start_tls(sslcontext, *, server_hostname=None, ssl_handshake_timeout=None, ssl_shutdown_timeout=None)
   * @param sslContext `true` (the default verifying client context) or an SSLContext.
   * @param options `serverHostname`, `sslHandshakeTimeout`, `sslShutdownTimeout` (ms).
   * @throws {SSLCertVerificationError} / {SSLError} when the handshake fails.
   * @throws {ConnectionAbortedError} "SSL handshake is taking longer than 60000 ms: aborting the connection".
   * @throws {RuntimeError} "Transport is already using TLS".
   * @example
   * writer.write('STARTTLS\n'); yield* reader.readline();
   * yield* writer.startTls(createSslContext({ ca }), { serverHostname: 'mail.example.org' });
   */
  *startTls(sslContext: true | SSLContext, options: StartTlsOptions = {}): Coroutine<void> {
    const ssl = checkSsl(sslContext, 'sslContext');
    if (ssl === null) throw new TypeError(`Expected \`sslContext\` to be true or an SSLContext (from createSslContext), got ${describeValue(sslContext)}`);
    const opts = checkOptions(options, 'startTls', ['serverHostname', 'sslHandshakeTimeout', 'sslShutdownTimeout']);
    const transport = this._transport;
    const socket = transport.stream;
    if (socket instanceof tls.TLSSocket || transport._ssl !== null) throw new RuntimeError('Transport is already using TLS');
    if (!(socket instanceof net.Socket)) throw new RuntimeError('startTls() needs a socket connection, not a pipe');
    const serverSide = transport._server !== null;
    if (serverSide && !ssl.server) throw new RangeError('startTls() on a connection a server accepted needs a server SSLContext: createSslContext({ server: true, cert, key }).');
    const peer = socket.remoteAddress ?? null;
    const secure = tlsSetup(opts, ssl, serverSide ? null : peer) as TlsSetup;
    yield* this.drain();
    const upgraded = serverSide
      ? new tls.TLSSocket(socket, { ...serverOptions(ssl), isServer: true })
      : tls.connect({ socket, ...clientOptions(ssl, secure.serverHostname) });
    transport._upgrade(upgraded, serverSide);
    yield* waitConnected(transport.loop, transport, secure);
  }

  /**
   * Closes the connection at once, dropping what is buffered; the reader sees EOF.
   * @asyncio StreamWriter.transport.abort()
   * @example
   * writer.abort(); // no goodbye: the peer's reads end (or fail with ECONNRESET)
   */
  abort(): void {
    this._transport.abort();
  }

  /**
   * The bytes written but not yet handed to the operating system.
   * @asyncio StreamWriter.transport.get_write_buffer_size()
   * @returns a byte count (0 once the connection is closed).
   * @example
   * if (writer.getWriteBufferSize() > 1 << 20) yield* writer.drain();
   */
  getWriteBufferSize(): number {
    return this._transport.getWriteBufferSize();
  }

  /**
   * Whether `close()` was called or the connection is lost.
   * @asyncio StreamWriter.is_closing()
   */
  isClosing(): boolean {
    return this._transport.isClosing();
  }

  /**
   * Waits until the connection is closed.
   * @asyncio StreamWriter.wait_closed()
   * @throws the error the connection failed with, if any.
   * @example
   * writer.close(); yield* writer.waitClosed();
   */
  *waitClosed(): Coroutine<void> {
    yield* this._protocol._getCloseWaiter();
  }

  /**
   * Whether `writeEof()` is supported: always true for sockets and pipes.
   * @asyncio StreamWriter.can_write_eof()
   */
  canWriteEof(): boolean {
    return true;
  }

  /**
   * Sends EOF after the buffered data (half-close): the peer's reads end, this side can still read.
   * @asyncio StreamWriter.write_eof()
   * @example
   * writer.write(request); writer.writeEof(); const reply = yield* reader.read();
   */
  writeEof(): void {
    this._transport.writeEof();
  }

  /**
   * Information about the connection: `'peername'` and `'sockname'` (`[host, port]` for TCP, the
   * path for a Unix socket), `'socket'` (the Node `net.Socket`); with TLS, `'peercert'` (Node's
   * `getPeerCertificate()`, `{}` when not verified, as Python), `'cipher'` (`[name, version, bits]`),
   * `'sslObject'` (the `tls.TLSSocket`), `'sslcontext'`; `defaultValue` (null) for anything else.
   * @asyncio StreamWriter.get_extra_info(name, default=None)
   * @example
   * const [host, port] = writer.getExtraInfo('peername') as [string, number];
   */
  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    return this._transport.getExtraInfo(name, defaultValue);
  }

  toString(): string {
    // asyncio's StreamWriter.__repr__
    return `<StreamWriter transport=${this._transport}${this._reader !== null ? ` reader=${this._reader}` : ''}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/** Options of `writer.startTls`. */
export interface StartTlsOptions {
  /** The name the server's certificate must match, and the SNI sent (a client upgrade). */
  serverHostname?: string;
  /** ms the handshake may take (default 60 000). */
  sslHandshakeTimeout?: number;
  /** ms a closing connection may take to flush (default 30 000). */
  sslShutdownTimeout?: number;
}
