/**
 * The transport under a StreamReader / StreamWriter pair: one Node stream (a `net.Socket`, a
 * child's pipe) bridged into a loop.
 * @asyncio asyncio.selector_events._SelectorSocketTransport with streams.StreamReaderProtocol
 *
 * Design notes
 * - The bridge: a Node stream calls back outside the loop. Each event ('data', 'end', 'drain',
 *   'close', 'connect') is posted into the loop with `loop.callSoonThreadsafe`; futures are only
 *   ever resolved by loop callbacks. The callbacks are bound once per connection.
 * - Flow control: the reader pauses and resumes the stream (see stream-reader.ts); `drain()`
 *   waits while the stream's `write()` returned false, until its 'drain' event.
 * - Half-close, as asyncio's StreamReaderProtocol: when the peer sends EOF the socket stays open
 *   for writing (Node's `allowHalfOpen: true`); `writeEof()` sends ours.
 * - Closing, as asyncio's: `close()` stops reading, keeps sending what is buffered (and what is
 *   written meanwhile), then closes; `abort()` drops it. Once the connection is lost, writes are
 *   dropped and counted (`_connLost`), and logged from the fifth on.
 * - A connection still open when `run()` shuts the loop down is aborted then (asyncio leaves
 *   that to the garbage collector; in Node an open handle would keep the process alive).
 * @module
 */
import { Buffer } from 'node:buffer';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import * as net from 'node:net';
import { RuntimeError, TimeoutError } from '../exceptions.ts';
import { inspectSymbol } from '../internal/repr.ts';
import { atLoopShutdown } from './loop-shutdown.ts';
import { ConnectionResetError, fromNodeError } from './errors.ts';
import type { StreamReader } from './stream-reader.ts';
import type { Server } from './servers.ts';
import { tlsExtraInfo, type SSLContext } from './tls.ts';
import type { TimerHandle } from '../events.ts';
import type { EventLoop } from '../base-events.ts';
import type { Future } from '../futures.ts';
import type { Coroutine } from '../types.ts';

/** asyncio's constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES: writes to a lost connection logged from this many on. */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

/** A reader on a Node transport returns Buffers (a Uint8Array subclass), as Node code expects. */
const allocBuffer = (size: number): Uint8Array => Buffer.allocUnsafe(size);

/** The Node side of a connection: a net.Socket, a child process's pipe, or a merging PassThrough. */
type NodeStream = Duplex;

/** @internal Resolves `future` unless it is done (a waiter that may have been cancelled). */
export function settleOk(future: Future<void>): void {
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
 * - `_ssl`           the SSLContext of a TLS connection, else null
 * - `_shutdownTimeout` ms a closing TLS connection may take to flush before it is aborted (0: none)
 * - `_shutdownTimer` that timer while it runs, else null
 * - `_connectEvent`  the stream's event that means connected ('connect', or TLS's handshake events)
 * - `_readable`      the stream's data is delivered (false for a write-only pipe)
 */
export class StreamTransport {
  readonly loop: EventLoop;
  stream: NodeStream;
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
  _ssl: SSLContext | null;
  _shutdownTimeout: number;
  _shutdownTimer: TimerHandle | null;
  _connectEvent: 'connect' | 'secureConnect' | 'secure';
  readonly _readable: boolean;
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

  /**
   * @param readable whether the stream's data is delivered (a reader, or a protocol's subclass);
   *   false for a write-only pipe.
   */
  constructor(loop: EventLoop, stream: NodeStream, reader: StreamReader | null, readable: boolean = reader !== null) {
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
    this._ssl = null;
    this._shutdownTimeout = 0;
    this._shutdownTimer = null;
    // A TLS client is connected when its handshake is done and the certificate checked.
    this._connectEvent = stream instanceof tls.TLSSocket ? 'secureConnect' : 'connect';
    this._readable = readable;
    this._dataReceived = (chunk) => this._deliverData(chunk);
    this._eofReceived = () => this._deliverEof();
    this._connectionLost = () => this._lose(this._error);
    this._resumeWriting = () => this._wakeDrainWaiters();
    this._connectionMade = () => this._made();
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
      else this._written();
    };
    if (reader !== null) {
      reader._transport = this;
      reader._alloc = allocBuffer;
    }
    this._listen(stream, true);
    this._unregister = atLoopShutdown(loop, () => this.abort());
    this._seeFd();
  }

  /** The loop side of 'data': the reader's (a protocol transport overrides it). */
  _deliverData(chunk: Buffer): void {
    const r = this.reader;
    if (r !== null && !r._eof) r.feedData(chunk);
  }

  /** The loop side of 'end'. */
  _deliverEof(): void {
    this.reader?.feedEof();
  }

  /** The loop side of 'connect' (or the TLS handshake): openConnection's waiter. */
  _made(): void {
    this._seeFd();
    const waiter = this._connectWaiter;
    this._connectWaiter = null;
    if (waiter !== null) settleOk(waiter);
  }

  /** After a write was handed to the OS (a protocol transport resumes writing from here). */
  _written(): void {}

  /** write() found Node's buffer full (a protocol transport pauses writing from here). */
  _writeBlocked(): void {}

  /** Adds (or removes) the host listeners; a TLS client is connected at 'secureConnect'. */
  private _listen(stream: NodeStream, on: boolean): void {
    const method = on ? 'on' : 'off';
    if (this._readable) {
      stream[method]('data', this._onData);
      stream[method]('end', this._onEnd);
    }
    stream[method]('error', this._onError);
    stream[method]('close', this._onClose);
    stream[method]('drain', this._onDrain);
    stream[method](this._connectEvent, this._onConnect);
  }

  /**
   * @internal start_tls: the same transport now reads and writes through `secure`, a TLSSocket
   * over the old socket; `_connectWaiter` settles at its handshake.
   */
  _upgrade(secure: tls.TLSSocket, serverSide: boolean): void {
    this._listen(this.stream, false);
    this.stream = secure;
    // A server-side TLSSocket says 'secure' when its handshake is done (a client's 'secure' comes
    // before the certificate is checked: only its 'secureConnect' means connected).
    this._connectEvent = serverSide ? 'secure' : 'secureConnect';
    this._listen(secure, true);
  }

  /** @internal Aborts with `error` as the reason the connection was lost (handshake/shutdown timeouts). */
  _forceClose(error: unknown): void {
    this._error ??= error;
    this.abort();
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
    this._shutdownTimer?.cancel();
    this._shutdownTimer = null;
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

  _wakeDrainWaiters(): void {
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
    if (!this.stream.write(data, this._onWritten)) {
      this._writePaused = true;
      this._writeBlocked();
    }
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
    if (this._shutdownTimeout > 0) {
      // asyncio 3.11's ssl_shutdown_timeout: flushing and the TLS shutdown may take this long.
      this._shutdownTimer = this.loop.callLater(this._shutdownTimeout, () => this._forceClose(new TimeoutError('SSL shutdown timed out')));
    }
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

/**
 * @internal `get_extra_info` of a connection's transport: 'peername' / 'sockname' (`[host, port]`,
 * or the path of a Unix socket), 'socket', 'pipe' (a child's pipe), and the TLS names of tls.ts.
 */
export function socketExtraInfo(transport: StreamTransport, name: string, defaultValue: unknown): unknown {
  const socket = transport.stream;
  if (!(socket instanceof net.Socket)) return name === 'pipe' ? socket : defaultValue;
  if (socket instanceof tls.TLSSocket) {
    const info = tlsExtraInfo(socket, transport._ssl, name);
    if (info !== undefined) return info;
  }
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
