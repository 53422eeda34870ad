/**
 * Streams: TCP and Unix-socket connections and servers as a StreamReader / StreamWriter pair.
 * @asyncio asyncio.streams (StreamReader, StreamWriter, open_connection, start_server, ...)
 *
 * Design notes
 * - Bytes: every read returns a `Uint8Array` (a Node Buffer at run time), as asyncio returns
 *   `bytes`; `readline()` too. Decode with `new TextDecoder().decode(line)` or `Buffer.from(line)
 *   .toString()`. `write()` takes a `Uint8Array` or, unlike asyncio, a string (written as UTF-8).
 * - The bridge: a Node stream (a `net.Socket`, or a child's pipe) calls back outside the loop. Each
 *   event ('data', 'end', 'drain', 'close') is posted into the loop with `loop.callSoonThreadsafe`;
 *   futures are only ever resolved by loop callbacks. The callbacks are bound once per connection.
 * - Flow control, as asyncio's: the socket is paused when the reader's buffer exceeds 2 * limit
 *   and resumed when a read brings it back to limit or less. `drain()` waits while the socket's
 *   `write()` returned false, until its 'drain' event.
 * - Half-close, as asyncio's StreamReaderProtocol: when the peer sends EOF the socket stays open
 *   for writing (Node's `allowHalfOpen: true`); `writeEof()` sends ours. `close()` flushes what
 *   was written, then closes both directions. TCP_NODELAY is set, as asyncio sets it.
 * - A connection or server still open when `run()` shuts the loop down is closed then (asyncio
 *   leaves that to the garbage collector; in Node an open handle would keep the process alive).
 * @module
 */
import * as net from 'node:net';
import { lstatSync, unlinkSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import type { Duplex } from 'node:stream';
import { CancelledError, RuntimeError } from '../exceptions.ts';
import { getRunningLoop } from '../events.ts';
import { sleep, isCoroutine, type Task } from '../tasks.ts';
import { describeValue, inspectSymbol } from '../internal/repr.ts';
import { DEFAULT_LIMIT, StreamReader, checkLimit } from './stream-reader.ts';

export { StreamReader };
import { checkCallback } from '../internal/validate.ts';
import { atLoopShutdown } from './loop-shutdown.ts';
import { ConnectionResetError, fromNodeError } from './errors.ts';
import type { EventLoop } from '../base-events.ts';
import type { Future } from '../futures.ts';
import type { Coroutine } from '../types.ts';

/** asyncio's constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES: writes to a lost connection logged from this many on. */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

function toBuffer(data: unknown, name: string): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(`${name} argument must be a bytes-like object, not ${describeValue(data)}. Pass a Uint8Array (or a string, written as UTF-8).`);
}

/** A reader on a Node transport returns Buffers (a Uint8Array subclass), as Node code expects. */
const allocBuffer = (size: number): Uint8Array => Buffer.allocUnsafe(size);

// ------------------------------------------------------------------------------------ transport

/** The Node side of a connection: a net.Socket, a child process's pipe, or a merging PassThrough. */
type NodeStream = Duplex;

function settleOk(future: Future<void>): void {
  if (!future.done()) future.setResult(undefined);
}

/**
 * @internal One Node stream bridged into a loop; the StreamReader / StreamWriter pair sits on it
 * (asyncio's transport and StreamReaderProtocol in one object).
 *
 * Fields:
 * - `loop`, `stream`, `reader` (null for a write-only pipe)
 * - `_closing`       close() was called
 * - `_lost`          the stream's 'close' event was handled (connection_lost)
 * - `_error`         the stream's 'error', kept until 'close' delivers it
 * - `_writePaused`   the last write() returned false and no 'drain' came yet
 * - `_drainWaiters`  futures of drain() calls waiting for 'drain'
 * - `_closed`        resolved (or failed) when the connection is lost; waitClosed() awaits it
 * - `_eofWritten`    writeEof() was called
 * - `_connectWaiter` openConnection's future until 'connect'
 * - `_server`        the Server that accepted this connection, or null
 * - `_unixPath`      the socket path of a Unix connection, else null
 * - `_connLost`      asyncio's `_conn_lost`: 0 while writes go out; then 1 + the writes dropped
 * - `_fd`            the descriptor last seen (for the repr once Node has dropped its handle), or -1
 */
export class StreamTransport {
  readonly loop: EventLoop;
  readonly stream: NodeStream;
  reader: StreamReader | null;
  _closing: boolean;
  _lost: boolean;
  _error: unknown;
  _writePaused: boolean;
  _drainWaiters: Future<void>[];
  _closed: Future<void>;
  _eofWritten: boolean;
  _connectWaiter: Future<void> | null;
  _server: Server | null;
  _unixPath: string | null;
  _connLost: number;
  _fd: number;
  _unregister: () => void;
  // Host-side listeners, bound once.
  private readonly _onData: (chunk: Buffer) => void;
  private readonly _onEnd: () => void;
  private readonly _onError: (error: unknown) => void;
  private readonly _onClose: () => void;
  private readonly _onDrain: () => void;
  private readonly _onConnect: () => void;
  private readonly _onWritten: () => void;
  // Loop-side callbacks, bound once.
  private readonly _dataReceived: (chunk: Buffer) => void;
  private readonly _eofReceived: () => void;
  private readonly _connectionLost: () => void;
  private readonly _resumeWriting: () => void;
  private readonly _connectionMade: () => void;

  constructor(loop: EventLoop, stream: NodeStream, reader: StreamReader | null) {
    this.loop = loop;
    this.stream = stream;
    this.reader = reader;
    this._closing = false;
    this._lost = false;
    this._error = null;
    this._writePaused = false;
    this._drainWaiters = [];
    this._closed = loop.createFuture<void>();
    this._eofWritten = false;
    this._connectWaiter = null;
    this._server = null;
    this._unixPath = null;
    this._connLost = 0;
    this._fd = -1;
    this._dataReceived = (chunk) => {
      const r = this.reader;
      if (r !== null && !r._eof) r.feedData(chunk);
    };
    this._eofReceived = () => this.reader?.feedEof();
    this._connectionLost = () => this._lose(this._error);
    this._resumeWriting = () => this._wakeDrainWaiters();
    this._connectionMade = () => {
      this._seeFd();
      const waiter = this._connectWaiter;
      this._connectWaiter = null;
      if (waiter !== null) settleOk(waiter);
    };
    this._onData = (chunk) => this._post(this._dataReceived, chunk);
    this._onEnd = () => this._post(this._eofReceived, undefined);
    this._onError = (error) => {
      this._error ??= fromNodeError(error); // delivered with 'close', which always follows
    };
    this._onClose = () => this._post(this._connectionLost, undefined);
    this._onDrain = () => this._post(this._resumeWriting, undefined);
    this._onConnect = () => this._post(this._connectionMade, undefined);
    // A write's callback: once close() was called and Node's buffer is empty, close for real
    // (asyncio's _write_ready: `if self._closing: self._call_connection_lost(None)`).
    this._onWritten = () => {
      if (this._closing && this._connLost === 0 && this.stream.writableLength === 0) this._finishClose();
    };
    if (reader !== null) {
      reader._transport = this;
      reader._alloc = allocBuffer;
      stream.on('data', this._onData);
      stream.on('end', this._onEnd);
    }
    stream.on('error', this._onError);
    stream.on('close', this._onClose);
    stream.on('drain', this._onDrain);
    stream.on('connect', this._onConnect);
    this._unregister = atLoopShutdown(loop, () => this.abort());
    this._seeFd();
  }

  /** Remembers the descriptor while Node's handle has it (for the repr after the close). */
  private _seeFd(): void {
    const fd = (this.stream as unknown as { _handle?: { fd?: unknown } | null })._handle?.fd;
    if (typeof fd === 'number' && fd >= 0) this._fd = fd;
  }

  /** Hands a host event to the loop; a stream that outlives its loop is destroyed. */
  private _post<A>(callback: (arg: A) => void, arg: A): void {
    if (this.loop.isClosed()) {
      this.stream.destroy();
      return;
    }
    this.loop.callSoonThreadsafe(callback, arg);
  }

  /** asyncio's connection_lost: EOF or the error to the reader, wake writers, resolve waitClosed. */
  _lose(error: unknown): void {
    if (this._lost) return;
    this._lost = true;
    if (this._connLost === 0) this._connLost = 1;
    this._unregister();
    const reader = this.reader;
    if (reader !== null) {
      if (error === null) reader.feedEof();
      else reader.setException(error);
    }
    const waiter = this._connectWaiter;
    if (waiter !== null) {
      this._connectWaiter = null;
      if (!waiter.done()) waiter._setExceptionUnchecked(error ?? new ConnectionResetError('Connection lost'));
    }
    this._wakeDrainWaiters();
    if (!this._closed.done()) {
      if (error === null) this._closed.setResult(undefined);
      else {
        this._closed._setExceptionUnchecked(error);
        this._closed.exception(); // retrieved: waitClosed() may never be called (asyncio does the same)
      }
    }
    this._server?._detach(this);
  }

  private _wakeDrainWaiters(): void {
    // 'drain' may be stale: a write after it filled the buffer again.
    if (!this._lost && this.stream.writableNeedDrain) return;
    this._writePaused = false;
    const waiters = this._drainWaiters;
    if (waiters.length === 0) return;
    this._drainWaiters = [];
    for (const waiter of waiters) {
      if (waiter.done()) continue;
      if (this._lost) waiter._setExceptionUnchecked(new ConnectionResetError('Connection lost'));
      else waiter.setResult(undefined);
    }
  }

  pauseReading(): void {
    this.stream.pause();
  }

  resumeReading(): void {
    this.stream.resume();
  }

  isClosing(): boolean {
    return this._closing || this._lost;
  }

  write(data: Buffer): void {
    if (this._eofWritten) throw new RuntimeError('Cannot call write() after writeEof()');
    if (data.length === 0) return;
    if (this._connLost > 0) {
      // asyncio drops writes to a lost connection (drain() reports the loss) and logs the
      // repeated ones, so a writer that never drains still hears of it.
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        this.loop.callExceptionHandler({ message: 'socket.send() raised exception.', transport: this });
      }
      this._connLost++;
      return;
    }
    // While close() waits for the buffer to flush, a write is still sent, as asyncio's.
    if (!this.stream.write(data, this._onWritten)) this._writePaused = true;
  }

  writeEof(): void {
    if (this._closing || this._eofWritten) return;
    this._eofWritten = true;
    this.stream.end();
  }

  /** Bytes written but not yet handed to the OS (asyncio's get_write_buffer_size()). */
  getWriteBufferSize(): number {
    return this._lost ? 0 : this.stream.writableLength;
  }

  /**
   * asyncio's close(): stop reading; with bytes still buffered, keep sending them (and any
   * written meanwhile) and close once the buffer is empty; else close now and call
   * connection_lost soon (drain() then raises 'Connection lost').
   */
  close(): void {
    if (this._closing) return;
    this._closing = true;
    const stream = this.stream;
    if (this.reader !== null) stream.pause();
    if (stream.destroyed || this._lost) return;
    if (stream.writable && !stream.writableEnded && stream.writableLength > 0) return; // _onWritten finishes
    this._finishClose();
  }

  /** Ends the stream after what Node buffered, destroys it, and loses the connection soon. */
  private _finishClose(): void {
    this._connLost++;
    const stream = this.stream;
    if (stream.writable && !stream.writableEnded) stream.end();
    if (!stream.writableEnded || stream.writableFinished) stream.destroy();
    else stream.once('finish', () => stream.destroy());
    this._post(this._connectionLost, undefined);
  }

  /** Closes at once, dropping unsent data (asyncio's _force_close(None)). */
  abort(): void {
    this._closing = true;
    if (this._connLost > 0) {
      this.stream.destroy();
      return;
    }
    this._connLost++;
    this.stream.destroy();
    this._post(this._connectionLost, undefined);
  }

  toString(): string {
    // asyncio's _SelectorTransport.__repr__: <... fd=7 read=polling write=<idle, bufsize=0>>
    const stream = this.stream;
    this._seeFd();
    const info = ['StreamTransport'];
    if (this._lost || stream.destroyed) info.push('closed');
    else if (this._closing) info.push('closing');
    info.push(`fd=${this._fd}`);
    if (!this._lost && !stream.destroyed) {
      const reading = this.reader !== null && !this._closing && !stream.isPaused();
      info.push(`read=${reading ? 'polling' : 'idle'}`);
      const size = this.getWriteBufferSize();
      info.push(`write=<${size > 0 ? 'polling' : 'idle'}, bufsize=${size}>`);
    }
    return `<${info.join(' ')}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  *drainHelper(): Coroutine<void> {
    if (this._lost) throw new ConnectionResetError('Connection lost');
    if (!this._writePaused) return;
    const waiter = this.loop.createFuture<void>();
    this._drainWaiters.push(waiter);
    yield* waiter;
  }
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

  /** @internal Made by openConnection, startServer and the subprocess functions. */
  constructor(transport: StreamTransport, reader: StreamReader | null) {
    this._transport = transport;
    this._reader = reader;
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
    yield* this._transport.drainHelper();
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
    yield* this._transport._closed;
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
   * path for a Unix socket), `'socket'` (the Node `net.Socket`); `defaultValue` (null) for anything else.
   * @asyncio StreamWriter.get_extra_info(name, default=None)
   * @example
   * const [host, port] = writer.getExtraInfo('peername') as [string, number];
   */
  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    const transport = this._transport;
    const socket = transport.stream;
    if (!(socket instanceof net.Socket)) return name === 'pipe' ? socket : defaultValue;
    switch (name) {
      case 'socket':
        return socket;
      case 'peername':
        if (transport._unixPath !== null) return transport._server === null ? transport._unixPath : '';
        return socket.remoteAddress === undefined ? defaultValue : [socket.remoteAddress, socket.remotePort];
      case 'sockname':
        if (transport._unixPath !== null) return transport._server === null ? '' : transport._unixPath;
        return socket.localAddress === undefined ? defaultValue : [socket.localAddress, socket.localPort];
      default:
        return defaultValue;
    }
  }

  toString(): string {
    // asyncio's StreamWriter.__repr__
    return `<StreamWriter transport=${this._transport}${this._reader !== null ? ` reader=${this._reader}` : ''}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

// ------------------------------------------------------------------------------------ connections

/** Options of `openConnection`. */
export interface OpenConnectionOptions {
  /** The host to connect to. Default `'localhost'`. */
  host?: string;
  /** The TCP port. */
  port: number;
  /** The reader's buffer limit in bytes (default 64 KiB). */
  limit?: number;
}

/** Options of `openUnixConnection`. */
export interface OpenUnixConnectionOptions {
  /** The Unix socket's path. */
  path: string;
  /** The reader's buffer limit in bytes (default 64 KiB). */
  limit?: number;
}

function checkOptions(options: unknown, fn: string): Record<string, unknown> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${fn}() expects an options object, got ${describeValue(options)}`);
  }
  return options as Record<string, unknown>;
}

function checkPort(port: unknown, min: number): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < min || port > 65535) {
    throw new (typeof port === 'number' ? RangeError : TypeError)(`Expected \`port\` to be an integer in [${min}, 65535], got ${describeValue(port)}`);
  }
  return port;
}

function checkString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`Expected \`${name}\` to be a non-empty string, got ${describeValue(value)}`);
  return value;
}

/** Wraps a connected (or connecting) socket in a transport and the reader/writer pair. */
function makeStreams(loop: EventLoop, socket: net.Socket, limit: number): [StreamReader, StreamWriter, StreamTransport] {
  const reader = new StreamReader(limit);
  const transport = new StreamTransport(loop, socket, reader);
  return [reader, new StreamWriter(transport, reader), transport];
}

function* connect(open: () => net.Socket, limit: number, unixPath: string | null): Coroutine<[StreamReader, StreamWriter]> {
  const loop = getRunningLoop();
  const [reader, writer, transport] = makeStreams(loop, open(), limit);
  transport._unixPath = unixPath;
  const waiter = loop.createFuture<void>();
  transport._connectWaiter = waiter;
  try {
    yield* waiter;
  } catch (error) {
    transport.abort(); // cancelled while connecting, or the connection failed
    throw error;
  }
  return [reader, writer];
}

/**
 * Opens a TCP connection and returns its reader and writer.
 * @asyncio asyncio.open_connection(host=None, port=None, *, limit=_DEFAULT_LIMIT)
 * @param options `host` (default 'localhost'), `port`, `limit` (bytes).
 * @returns `[reader, writer]`.
 * @throws Node's error when the connection fails (e.g. `code: 'ECONNREFUSED'`, asyncio's ConnectionRefusedError).
 * @throws {TypeError} / {RangeError} for a bad `host` or `port`.
 * @example
 * const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: 8888 });
 * writer.write('ping\n');
 * const reply = yield* reader.readline();
 */
export function openConnection(options: OpenConnectionOptions): Coroutine<[StreamReader, StreamWriter]> {
  const opts = checkOptions(options, 'openConnection');
  const host = opts.host === undefined ? 'localhost' : checkString(opts.host, 'host');
  const port = checkPort(opts.port, 1);
  const limit = checkLimit(opts.limit ?? DEFAULT_LIMIT);
  // Arguments are checked at the call; the loop lookup and the connect wait for the first step
  // (asyncio's open_connection is a coroutine: nothing happens until it is awaited).
  return connect(() => net.connect({ host, port, allowHalfOpen: true, noDelay: true }), limit, null);
}

/**
 * Opens a Unix-socket connection and returns its reader and writer.
 * @asyncio asyncio.open_unix_connection(path=None, *, limit=_DEFAULT_LIMIT)
 * @param options `path`, `limit` (bytes).
 * @returns `[reader, writer]`.
 * @throws Node's error when the connection fails (`ENOENT`, `ECONNREFUSED`).
 * @example
 * const [reader, writer] = yield* openUnixConnection({ path: '/tmp/app.sock' });
 */
export function openUnixConnection(options: OpenUnixConnectionOptions): Coroutine<[StreamReader, StreamWriter]> {
  const opts = checkOptions(options, 'openUnixConnection');
  const path = checkString(opts.path, 'path');
  const limit = checkLimit(opts.limit ?? DEFAULT_LIMIT);
  return connect(() => net.connect({ path, allowHalfOpen: true }), limit, path);
}

// ------------------------------------------------------------------------------------ servers

/** What `startServer` calls per connection: a plain function, or a `function*` (run as a Task). */
export type ClientConnected = (reader: StreamReader, writer: StreamWriter) => void | Coroutine<unknown>;

/** Options of `startServer`. */
export interface StartServerOptions {
  /** The address to listen on, e.g. `'127.0.0.1'`. Default: every interface (asyncio's None). */
  host?: string;
  /** The TCP port; 0 picks a free one (read it from `server.sockets[0].getsockname()`). */
  port: number;
  /** Each connection's reader limit in bytes (default 64 KiB). */
  limit?: number;
  /** The listen backlog (default: Node's, 511). */
  backlog?: number;
  /** Start listening at once (default true); else call `startServing()` or `serveForever()`. */
  startServing?: boolean;
}

/** Options of `startUnixServer`. */
export interface StartUnixServerOptions {
  /** The socket's path. A stale socket file there is removed first, as asyncio does. */
  path: string;
  /** Each connection's reader limit in bytes (default 64 KiB). */
  limit?: number;
  /** The listen backlog. */
  backlog?: number;
  /** Start listening at once (default true). */
  startServing?: boolean;
}

/**
 * One listening socket of a Server: `getsockname()` gives `[host, port]` (TCP) or the path (Unix).
 * @asyncio asyncio.trsock.TransportSocket (the items of Server.sockets)
 */
export class ServerSocket {
  /** The Node server listening on it. */
  readonly server: net.Server;
  /** @internal */
  constructor(server: net.Server) {
    this.server = server;
  }

  /**
   * The local address: `[host, port]` for TCP, the path for a Unix socket.
   * @asyncio socket.getsockname()
   */
  getsockname(): [string, number] | string {
    const address = this.server.address();
    if (address === null) return '';
    if (typeof address === 'string') return address;
    return [address.address, address.port];
  }

  toString(): string {
    const name = this.getsockname();
    return `<ServerSocket ${typeof name === 'string' ? name : `${name[0]}:${name[1]}`}>`;
  }
}

/**
 * A listening server made by `startServer` / `startUnixServer`. An async context manager: leaving
 * `asyncWith(server, ...)` closes it and waits for its connections to end.
 * @asyncio asyncio.Server
 * @example
 * const server = yield* startServer(handle, { host: '127.0.0.1', port: 0 });
 * yield* asyncWith(server, function* () { yield* server.serveForever(); });
 *
 * Fields:
 * - `_loop`, `_netServer`, `_clientConnected`, `_limit`, `_listen` (Node's listen options)
 * - `_listening`     Node's server is listening (false before startServing, and after close)
 * - `_closed`        close() was called (asyncio's `_sockets is None`)
 * - `_serving`       accepting connections
 * - `_clients`       the open connections it accepted
 * - `_waiters`       waitClosed() futures, or null once closed with no connection left
 * - `_servingForever` the future serveForever() awaits, or null
 * - `_tasks`         the client_connected tasks still running (kept alive, as asyncio does)
 * - `_unixPath`      the socket path of a Unix server, else null
 * - `_listenPending` a listen() is waiting for 'listening' (its error goes to that caller)
 */
export class Server {
  readonly _loop: EventLoop;
  readonly _netServer: net.Server;
  readonly _clientConnected: ClientConnected;
  readonly _limit: number;
  readonly _listen: net.ListenOptions;
  _listening: boolean;
  _closed: boolean;
  _serving: boolean;
  _clients: Set<StreamTransport>;
  _waiters: Future<void>[] | null;
  _servingForever: Future<void> | null;
  _tasks: Set<Task<unknown>>;
  _unixPath: string | null;
  _listenPending: boolean;
  private readonly _accept: (socket: net.Socket) => void;
  private readonly _taskDone: (task: Task<unknown>) => void;

  /** @internal Made by startServer / startUnixServer. */
  constructor(loop: EventLoop, clientConnected: ClientConnected, limit: number, listen: net.ListenOptions, unixPath: string | null) {
    this._loop = loop;
    this._netServer = net.createServer({ allowHalfOpen: true, noDelay: unixPath === null });
    this._clientConnected = clientConnected;
    this._limit = limit;
    this._listen = listen;
    this._listening = false;
    this._closed = false;
    this._serving = false;
    this._clients = new Set();
    this._waiters = [];
    this._servingForever = null;
    this._tasks = new Set();
    this._unixPath = unixPath;
    this._listenPending = false;
    this._accept = (socket) => this._connectionMade(socket);
    this._taskDone = (task) => this._clientTaskDone(task);
    this._netServer.on('connection', (socket: net.Socket) => {
      if (loop.isClosed()) socket.destroy();
      else loop.callSoonThreadsafe(this._accept, socket);
    });
    this._netServer.on('error', (error: unknown) => {
      // A listen error is raised by startServer / startServing; report only later ones.
      if (this._listenPending) return;
      if (!loop.isClosed()) loop.callSoonThreadsafe(() => loop.callExceptionHandler({ message: 'Server error', exception: fromNodeError(error), server: this }));
    });
    atLoopShutdown(loop, () => {
      this.close();
      this.abortClients();
    });
  }

  private _connectionMade(socket: net.Socket): void {
    if (this._closed) {
      socket.destroy();
      return;
    }
    const [reader, writer, transport] = makeStreams(this._loop, socket, this._limit);
    transport._server = this;
    transport._unixPath = this._unixPath;
    this._clients.add(transport);
    let result: unknown;
    try {
      result = this._clientConnected(reader, writer);
    } catch (error) {
      this._loop.callExceptionHandler({ message: 'Unhandled exception in client_connected_cb', exception: error, transport });
      transport.close();
      return;
    }
    if (isCoroutine(result)) {
      const task = this._loop.createTask(result as Coroutine<unknown>);
      this._tasks.add(task);
      task.addDoneCallback(this._taskDone);
      (task as unknown as { _transport: StreamTransport })._transport = transport;
    }
  }

  private _clientTaskDone(task: Task<unknown>): void {
    this._tasks.delete(task);
    const transport = (task as unknown as { _transport: StreamTransport })._transport;
    if (task.cancelled()) {
      transport.close();
      return;
    }
    const exception = task.exception();
    if (exception !== null) {
      this._loop.callExceptionHandler({ message: 'Unhandled exception in client_connected_cb', exception, transport });
      transport.close();
    }
  }

  /** @internal A connection it accepted was lost. */
  _detach(transport: StreamTransport): void {
    this._clients.delete(transport);
    if (this._clients.size === 0 && this._closed) this._wakeup();
  }

  private _wakeup(): void {
    const waiters = this._waiters;
    this._waiters = null;
    if (waiters === null) return;
    for (const waiter of waiters) settleOk(waiter);
  }

  /** @internal Starts listening and waits for Node's 'listening' (or its error). */
  *_startListening(): Coroutine<void> {
    if (this._listening || this._closed) return;
    const loop = this._loop;
    const netServer = this._netServer;
    const waiter = loop.createFuture<void>();
    const onListening = (): void => {
      netServer.off('error', onError);
      if (!loop.isClosed()) loop.callSoonThreadsafe(settleOk, waiter);
    };
    const onError = (error: unknown): void => {
      netServer.off('listening', onListening);
      if (!loop.isClosed()) loop.callSoonThreadsafe(() => { if (!waiter.done()) waiter._setExceptionUnchecked(fromNodeError(error)); });
    };
    netServer.once('listening', onListening);
    netServer.once('error', onError);
    this._listening = true;
    this._listenPending = true;
    netServer.listen(this._listen);
    try {
      yield* waiter;
    } catch (error) {
      this._listening = false;
      // Cancelled before 'listening': close it when it comes, or it would keep Node alive.
      if (netServer.listening) netServer.close();
      else if (!(error instanceof Error && 'code' in error)) netServer.once('listening', () => netServer.close());
      throw error;
    } finally {
      this._listenPending = false;
    }
    this._serving = !this._closed;
  }

  /**
   * The listening sockets (one per address); empty once closed.
   * @asyncio Server.sockets
   */
  get sockets(): ServerSocket[] {
    return this._closed || !this._listening ? [] : [new ServerSocket(this._netServer)];
  }

  /**
   * The loop the server runs on.
   * @asyncio Server.get_loop()
   */
  getLoop(): EventLoop {
    return this._loop;
  }

  /**
   * Whether it accepts connections.
   * @asyncio Server.is_serving()
   */
  isServing(): boolean {
    return this._serving;
  }

  /**
   * Starts accepting connections (a no-op if it already does).
   * @asyncio Server.start_serving()
   * Differs from asyncio: with `startServing: false` nothing is bound until this call (Node binds
   * and listens in one step), so `sockets` is empty and the port unknown until then.
   * @example
   * const server = yield* startServer(handle, { host: '127.0.0.1', port: 0, startServing: false });
   * yield* server.startServing();
   */
  *startServing(): Coroutine<void> {
    yield* this._startListening();
    yield* sleep(0);
  }

  /**
   * Accepts connections until cancelled; then closes the server and waits for it.
   * @asyncio Server.serve_forever()
   * @throws {RuntimeError} "server <Server ...> is already being awaited on serveForever()", or "server <Server ...> is closed".
   * @example
   * yield* server.serveForever(); // until the task is cancelled
   */
  *serveForever(): Coroutine<void> {
    if (this._servingForever !== null) throw new RuntimeError(`server ${this} is already being awaited on serveForever()`);
    if (this._closed) throw new RuntimeError(`server ${this} is closed`);
    const future = this._loop.createFuture<void>();
    this._servingForever = future;
    try {
      yield* this._startListening();
      yield* future;
    } catch (error) {
      // Cancelled (the task, or close() cancelled the future): close and wait, then re-raise.
      if (error instanceof CancelledError) {
        this.close();
        yield* this.waitClosed();
      }
      throw error;
    } finally {
      if (this._servingForever === future) this._servingForever = null;
    }
  }

  /**
   * Stops listening. Open connections stay open (see `closeClients`); `waitClosed()` waits for them.
   * @asyncio Server.close()
   */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    this._serving = false;
    if (this._listening) this._netServer.close();
    this._listening = false;
    const forever = this._servingForever;
    if (forever !== null && !forever.done()) {
      this._servingForever = null;
      forever.cancel();
    }
    if (this._clients.size === 0) this._wakeup();
  }

  /**
   * Closes every open connection it accepted (buffered data is sent first).
   * @asyncio Server.close_clients() (3.13)
   */
  closeClients(): void {
    for (const transport of [...this._clients]) transport.close();
  }

  /**
   * Closes every open connection at once, dropping unsent data.
   * @asyncio Server.abort_clients() (3.13)
   */
  abortClients(): void {
    for (const transport of [...this._clients]) transport.abort();
  }

  /**
   * Waits until the server is closed and every connection it accepted has ended.
   * @asyncio Server.wait_closed() (3.12.1 semantics)
   * @example
   * server.close(); yield* server.waitClosed();
   */
  *waitClosed(): Coroutine<void> {
    if (this._waiters === null) return;
    const waiter = this._loop.createFuture<void>();
    this._waiters.push(waiter);
    yield* waiter;
  }

  /**
   * `asyncWith(server, body)`: the server itself.
   * @asyncio Server.__aenter__()
   */
  *aenter(): Coroutine<this> {
    return this;
  }

  /**
   * Closes the server and waits for it.
   * @asyncio Server.__aexit__(*exc)
   */
  *aexit(): Coroutine<void> {
    this.close();
    yield* this.waitClosed();
  }

  /** `await using server = ...` from native code: closes it (without waiting for connections). */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  toString(): string {
    return `<Server sockets=[${this.sockets.map(String).join(', ')}]>`;
  }
}

function checkClientConnected(cb: unknown): ClientConnected {
  checkCallback(cb, 'clientConnected');
  return cb as ClientConnected;
}

/**
 * Starts a TCP server: `clientConnected(reader, writer)` is called for each connection; when it is
 * a `function*`, its coroutine runs as a Task (an error it raises is reported to the loop's
 * exception handler and the connection is closed).
 * @asyncio asyncio.start_server(client_connected_cb, host=None, port=None, *, limit=_DEFAULT_LIMIT, backlog=100, start_serving=True)
 * @param clientConnected called with each connection's reader and writer.
 * @param options `host`, `port` (0: any free port), `limit`, `backlog`, `startServing`.
 * @returns the Server, listening (unless `startServing: false`).
 * @throws Node's error when it cannot listen (e.g. `code: 'EADDRINUSE'`).
 * @example
 * const server = yield* startServer(function* (reader, writer) {
 *   writer.write(yield* reader.readline());
 *   writer.close();
 * }, { host: '127.0.0.1', port: 0 });
 * const [, port] = server.sockets[0]!.getsockname() as [string, number];
 */
export function* startServer(clientConnected: ClientConnected, options: StartServerOptions): Coroutine<Server> {
  const cb = checkClientConnected(clientConnected);
  const opts = checkOptions(options, 'startServer');
  const port = checkPort(opts.port, 0);
  const limit = checkLimit(opts.limit ?? DEFAULT_LIMIT);
  const listen: net.ListenOptions = { port };
  if (opts.host !== undefined) listen.host = checkString(opts.host, 'host');
  if (opts.backlog !== undefined) listen.backlog = opts.backlog as number;
  const server = new Server(getRunningLoop(), cb, limit, listen, null);
  if (opts.startServing !== false) yield* server._startListening();
  return server;
}

/**
 * Starts a Unix-socket server (see `startServer`). A stale socket file at `path` is removed first.
 * @asyncio asyncio.start_unix_server(client_connected_cb, path=None, *, limit=_DEFAULT_LIMIT, ...)
 * @param clientConnected called with each connection's reader and writer.
 * @param options `path`, `limit`, `backlog`, `startServing`.
 * @returns the Server.
 * @throws Node's error when it cannot listen (`EADDRINUSE` if a file that is not a socket is at `path`).
 * @example
 * const server = yield* startUnixServer(handle, { path: '/tmp/app.sock' });
 */
export function* startUnixServer(clientConnected: ClientConnected, options: StartUnixServerOptions): Coroutine<Server> {
  const cb = checkClientConnected(clientConnected);
  const opts = checkOptions(options, 'startUnixServer');
  const path = checkString(opts.path, 'path');
  const limit = checkLimit(opts.limit ?? DEFAULT_LIMIT);
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  const listen: net.ListenOptions = { path };
  if (opts.backlog !== undefined) listen.backlog = opts.backlog as number;
  const server = new Server(getRunningLoop(), cb, limit, listen, path);
  if (opts.startServing !== false) yield* server._startListening();
  return server;
}
