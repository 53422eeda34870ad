/**
 * Transports: one Node stream (a `net.Socket`, a `tls.TLSSocket`, a child's pipe) bridged into a
 * loop, driving a protocol. The streams stand on it through a StreamReaderProtocol
 * (stream-protocol.ts), as asyncio's do: streams and protocols share this one I/O path.
 * @asyncio asyncio.selector_events._SelectorSocketTransport
 *
 * Design notes
 * - The bridge: a Node stream calls back outside the loop. Each event ('data', 'end', 'close',
 *   'connect') is posted into the loop with `loop.callSoonThreadsafe`; protocol callbacks and
 *   futures only ever run in loop callbacks. The callbacks are bound once per connection.
 * - Write flow control, as asyncio's: past the high limit (64 KiB) the protocol's `pauseWriting()`
 *   is called; once a write's callback finds Node's buffer at the low limit (16 KiB) or less,
 *   `resumeWriting()` is posted. A StreamWriter's `drain()` waits in between (FlowControlMixin).
 * - Half-close, as asyncio's: when the peer sends EOF the socket stays open for writing (Node's
 *   `allowHalfOpen: true`) if the protocol's `eofReceived()` returns true; `writeEof()` sends ours.
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
import { describeValue, inspectSymbol } from '../internal/repr.ts';
import { atLoopShutdown } from './loop-shutdown.ts';
import { ConnectionResetError, fromNodeError } from './errors.ts';
import { StreamReader, toBytes } from './stream-reader.ts';
import { BufferedProtocol, type StreamProtocol } from './protocols.ts';
import { StreamReaderProtocol } from './stream-protocol.ts';
import type { Server } from './servers.ts';
import { tlsExtraInfo, type SSLContext } from './tls.ts';
import type { TimerHandle } from '../events.ts';
import type { EventLoop } from '../base-events.ts';
import type { Future } from '../futures.ts';

/** asyncio's constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES: writes to a lost connection logged from this many on. */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

// What close() writes to hear when a quiet write (one without a callback) has gone out.
const EMPTY = Buffer.alloc(0);

/** The Node side of a connection: a net.Socket, a child process's pipe, or a merging PassThrough. */
type NodeStream = Duplex;

/** @internal Resolves `future` unless it is done (a waiter that may have been cancelled). */
export function settleOk(future: Future<void>): void {
  if (!future.done()) future.setResult(undefined);
}

/**
 * @internal One Node stream bridged into a loop, driving a protocol: the transport of streams
 * (with a StreamReaderProtocol), of createConnection / createServer (SocketTransport, the same
 * class under its public name) and of a child's pipes.
 *
 * Fields:
 * - `loop`, `stream`, `_protocol` (the protocol it drives)
 * - `reader`         the StreamReader of a StreamReaderProtocol, else null (a child's stdout)
 * - `_buffered`      the protocol is a BufferedProtocol (getBuffer / bufferUpdated)
 * - `_connected`     connectionMade was called (connectionLost comes only after it)
 * - `_closing`       close() was called
 * - `_lost`          the stream's 'close' event was handled (connection_lost)
 * - `_error`         the stream's 'error', kept until 'close' delivers it
 * - `_reading`       reading is not paused by pauseReading()
 * - `_high`, `_low`  the write buffer limits (asyncio's set_write_buffer_limits)
 * - `_writePaused`   pauseWriting() was called and resumeWriting() not yet
 * - `_resumePosted`  a resume check is posted into the loop and has not run yet
 * - `_quietTail`     the last write went out without a callback (see write()) and may still be buffered
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
  _protocol: StreamProtocol;
  _buffered: boolean;
  _connected: boolean;
  _closing: boolean;
  _lost: boolean;
  _error: unknown;
  _reading: boolean;
  _high: number;
  _low: number;
  _writePaused: boolean;
  _resumePosted: boolean;
  _quietTail: boolean;
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
  private readonly _onConnect: () => void;
  private readonly _onWritten: () => void;
  // Loop-side callbacks, bound once.
  private readonly _dataReceived: (chunk: Buffer) => void;
  private readonly _eofReceived: () => void;
  private readonly _connectionLost: () => void;
  private readonly _resumeWriting: () => void;
  private readonly _connectionMade: () => void;

  /**
   * @param protocol the protocol to drive, made connected at its 'connect' event (or by the
   *   Server that accepted it). Given a StreamReader (or null, for a write-only pipe) instead, the
   *   stream is taken as open (a child's pipe): it drives a StreamReaderProtocol over that reader,
   *   connected at once.
   */
  constructor(loop: EventLoop, stream: NodeStream, protocol: StreamProtocol | StreamReader | null) {
    this.loop = loop;
    this.stream = stream;
    const open = protocol === null || protocol instanceof StreamReader;
    const proto = open ? new StreamReaderProtocol(protocol as StreamReader | null) : (protocol as StreamProtocol);
    this._protocol = proto;
    this.reader = proto instanceof StreamReaderProtocol ? proto._reader : null;
    this._buffered = proto instanceof BufferedProtocol;
    this._connected = false;
    this._closing = false;
    this._lost = false;
    this._error = null;
    this._reading = true;
    this._high = 64 * 1024;
    this._low = 16 * 1024;
    this._writePaused = false;
    this._resumePosted = false;
    this._quietTail = false;
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
    this._readable = !open || protocol !== null;
    this._dataReceived = (chunk) => this._deliverData(chunk);
    this._eofReceived = () => this._deliverEof();
    this._connectionLost = () => this._lose(this._error);
    this._resumeWriting = () => this._maybeResumeProtocol();
    this._connectionMade = () => this._made();
    this._onData = (chunk) => this._post(this._dataReceived, chunk);
    this._onEnd = () => this._post(this._eofReceived, undefined);
    this._onError = (error) => {
      this._error ??= fromNodeError(error); // delivered with 'close', which always follows
    };
    this._onClose = () => this._post(this._connectionLost, undefined);
    this._onConnect = () => this._post(this._connectionMade, undefined);
    // A write's callback (Node's buffer just shrank): once close() was called and the buffer is
    // empty, close for real (asyncio's _write_ready: `if self._closing: self._call_connection_lost(None)`);
    // while writing is paused, check the low limit in the loop (asyncio's _maybe_resume_protocol).
    this._onWritten = () => {
      if (this._closing && this._connLost === 0 && this.stream.writableLength === 0) this._finishClose();
      else if (this._writePaused && !this._resumePosted && this.stream.writableLength <= this._low) {
        this._resumePosted = true;
        this._post(this._resumeWriting, undefined);
      }
    };
    this._listen(stream, true);
    this._unregister = atLoopShutdown(loop, () => this.abort());
    this._seeFd();
    if (open) this._made();
  }

  /** The loop side of 'data': the protocol's dataReceived, or its buffers (BufferedProtocol). */
  private _deliverData(chunk: Buffer): void {
    if (this._lost) return;
    const protocol = this._protocol;
    if (!this._buffered) {
      (protocol as { dataReceived(data: Uint8Array): void }).dataReceived(chunk);
      return;
    }
    // asyncio's _read_ready__get_buffer: copy into the buffers the protocol hands out.
    const buffered = protocol as BufferedProtocol;
    let offset = 0;
    while (offset < chunk.length) {
      const buffer = buffered.getBuffer(chunk.length - offset);
      if (!(buffer instanceof Uint8Array) || buffer.length === 0) {
        throw new RangeError(`getBuffer() returned ${describeValue(buffer)}: it must return a non-empty Uint8Array`);
      }
      const n = Math.min(buffer.length, chunk.length - offset);
      buffer.set(chunk.subarray(offset, offset + n));
      offset += n;
      buffered.bufferUpdated(n);
    }
  }

  /** The loop side of 'end'. asyncio: eof_received() returning a false value closes the transport. */
  private _deliverEof(): void {
    if (this._lost) return;
    const keepOpen = this._protocol.eofReceived();
    if (keepOpen !== true) this.close();
  }

  /** @internal The loop side of 'connect' (or the TLS handshake): openConnection's waiter, then connectionMade. */
  _made(): void {
    this._seeFd();
    const waiter = this._connectWaiter;
    this._connectWaiter = null;
    if (waiter !== null) settleOk(waiter);
    if (this._connected) return; // a startTls handshake: the protocol is connected already
    this._connected = true;
    this._protocol.connectionMade(this as unknown as SocketTransport);
  }

  /** Adds (or removes) the host listeners; a TLS client is connected at 'secureConnect'. */
  private _listen(stream: NodeStream, on: boolean): void {
    const method = on ? 'on' : 'off';
    if (this._readable) {
      stream[method]('data', this._onData);
      stream[method]('end', this._onEnd);
    }
    stream[method]('error', this._onError);
    stream[method]('close', this._onClose);
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
    // callSoonThreadsafe without its argument checks and rest array: `callback` is ours.
    this.loop._callSoonInternal(callback as (arg: never) => void, arg);
  }

  /** @internal asyncio's _call_connection_lost: the connect waiter, the protocol's connectionLost, the server. */
  _lose(error: unknown): void {
    if (this._lost) return;
    this._lost = true;
    this._shutdownTimer?.cancel();
    this._shutdownTimer = null;
    if (this._connLost === 0) this._connLost = 1;
    this._unregister();
    const waiter = this._connectWaiter;
    if (waiter !== null) {
      this._connectWaiter = null;
      if (!waiter.done()) waiter._setExceptionUnchecked(error ?? new ConnectionResetError('Connection lost'));
    }
    // asyncio calls connection_lost only after connection_made (a failed connect is raised instead).
    if (this._connected) this._protocol.connectionLost(error);
    this._server?._detach(this);
  }

  /** The loop side of a write's callback: asyncio's _maybe_resume_protocol. */
  private _maybeResumeProtocol(): void {
    this._resumePosted = false;
    // A destroyed stream emptied its buffer by failing: 'close' follows, and connectionLost wakes drain().
    if (this._writePaused && !this._lost && !this.stream.destroyed && this.getWriteBufferSize() <= this._low) {
      this._writePaused = false;
      this._protocol.resumeWriting();
    }
  }

  /** asyncio's _maybe_pause_protocol. */
  private _maybePauseProtocol(): void {
    if (!this._writePaused && !this._lost && this.getWriteBufferSize() > this._high) {
      this._writePaused = true;
      this._protocol.pauseWriting();
    }
  }

  /**
   * Stops reading: no `dataReceived` until `resumeReading()`.
   * @asyncio ReadTransport.pause_reading()
   */
  pauseReading(): void {
    if (this._closing || !this._reading) return;
    this._reading = false;
    this.stream.pause();
  }

  /**
   * Reads again after `pauseReading()`.
   * @asyncio ReadTransport.resume_reading()
   */
  resumeReading(): void {
    if (this._closing || this._reading) return;
    this._reading = true;
    this.stream.resume();
  }

  /**
   * Whether it is reading (not paused, not closing).
   * @asyncio ReadTransport.is_reading()
   */
  isReading(): boolean {
    return this._reading && !this.isClosing();
  }

  /**
   * Whether `close()` was called or the connection is lost.
   * @asyncio BaseTransport.is_closing()
   */
  isClosing(): boolean {
    // A stream Node destroyed (reset, EPIPE) is closing until its 'close' reaches the loop (asyncio's _force_close).
    return this._closing || this._lost || this.stream.destroyed;
  }

  /**
   * Sends `data` (buffered; never blocks). Past the high limit the protocol's `pauseWriting()` is
   * called. As asyncio's: while close() flushes, a write is still sent; once the connection is
   * lost, writes are dropped, and from the fifth on each is reported as "socket.send() raised exception.".
   * @asyncio WriteTransport.write(data)
   * @throws {TypeError} if `data` is neither a Uint8Array nor a string.
   * @throws {RuntimeError} "Cannot call write() after writeEof()".
   */
  write(data: Uint8Array | string): void {
    if (this._eofWritten) throw new RuntimeError('Cannot call write() after writeEof()');
    let bytes: Uint8Array = data as Uint8Array;
    if (!Buffer.isBuffer(data)) {
      bytes = toBytes(data, 'data');
      bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    if (bytes.length === 0) return;
    // The stream failed and its 'close' is on the way: asyncio's _fatal_error has counted it already.
    if (this._connLost === 0 && this.stream.destroyed) this._connLost = 1;
    if (this._connLost > 0) {
      // asyncio drops writes to a lost connection (drain() reports the loss) and logs the
      // repeated ones, so a writer that never drains still hears of it.
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        this.loop.callExceptionHandler({ message: 'socket.send() raised exception.', transport: this });
      }
      this._connLost++;
      return;
    }
    const stream = this.stream;
    // A write into an empty buffer that is small (at most the low limit) goes without a callback:
    // Node then skips the nextTick and the record it makes per write with one (most writes are
    // sent at once). Its bytes, if they stay buffered, are below the low limit, and every later
    // write has the callback, so pausing and resuming see each completion that matters; close()
    // covers a quiet write still buffered.
    const quiet = stream.writableLength === 0 && bytes.length <= this._low && !this._closing && !this._writePaused;
    this._quietTail = quiet;
    // Past Node's highWaterMark write() returns false; below it the buffer can pass our high
    // limit only if that limit was set lower (setWriteBufferLimits), so the check is skipped then.
    if (!(quiet ? stream.write(bytes) : stream.write(bytes, this._onWritten)) || this._high < stream.writableHighWaterMark) this._maybePauseProtocol();
  }

  /**
   * Writes each item in order.
   * @asyncio WriteTransport.writelines(list_of_data)
   */
  writelines(data: Iterable<Uint8Array | string>): void {
    for (const item of data) this.write(item);
  }

  /**
   * Always true for sockets and pipes.
   * @asyncio WriteTransport.can_write_eof()
   */
  canWriteEof(): boolean {
    return true;
  }

  /**
   * Sends EOF after the buffered data (half-close).
   * @asyncio WriteTransport.write_eof()
   */
  writeEof(): void {
    if (this._closing || this._eofWritten) return;
    this._eofWritten = true;
    this.stream.end();
  }

  /**
   * Bytes written but not yet handed to the OS.
   * @asyncio WriteTransport.get_write_buffer_size()
   */
  getWriteBufferSize(): number {
    return this._lost ? 0 : this.stream.writableLength;
  }

  /**
   * Sets the limits around which `pauseWriting` / `resumeWriting` are called.
   * @asyncio WriteTransport.set_write_buffer_limits(high=None, low=None)
   * @param high bytes (default 64 KiB, or 4 * low).
   * @param low bytes (default high / 4).
   * @throws {RangeError} "high (1) must be >= low (2) must be >= 0".
   */
  setWriteBufferLimits(high: number | null = null, low: number | null = null): void {
    const h = high ?? (low === null ? 64 * 1024 : 4 * low);
    const l = low ?? Math.floor(h / 4);
    if (!(h >= l && l >= 0)) throw new RangeError(`high (${h}) must be >= low (${l}) must be >= 0`);
    this._high = h;
    this._low = l;
    this._maybePauseProtocol();
  }

  /**
   * `[low, high]`.
   * @asyncio WriteTransport.get_write_buffer_limits()
   */
  getWriteBufferLimits(): [number, number] {
    return [this._low, this._high];
  }

  /**
   * asyncio's close(): stop reading; with bytes still buffered, keep sending them (and any
   * written meanwhile) and close once the buffer is empty; else close now and call
   * connection_lost soon (drain() then raises 'Connection lost').
   * @asyncio BaseTransport.close()
   */
  close(): void {
    if (this._closing) return;
    this._closing = true;
    const stream = this.stream;
    if (this._readable) stream.pause();
    if (stream.destroyed || this._lost) return;
    if (this._shutdownTimeout > 0) {
      // asyncio 3.11's ssl_shutdown_timeout: flushing and the TLS shutdown may take this long.
      this._shutdownTimer = this.loop.callLater(this._shutdownTimeout, () => this._forceClose(new TimeoutError('SSL shutdown timed out')));
    }
    if (stream.writable && !stream.writableEnded && stream.writableLength > 0) {
      // _onWritten finishes; a quiet last write has no callback: an empty write after it does.
      if (this._quietTail) stream.write(EMPTY, this._onWritten);
      return;
    }
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

  /**
   * Closes at once, dropping unsent data (asyncio's _force_close(None)).
   * @asyncio Transport.abort()
   */
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

  /**
   * The same names as StreamWriter.getExtraInfo: 'peername', 'sockname', 'socket', 'pipe' (a
   * child's pipe), and with TLS 'peercert', 'cipher', 'sslObject', 'sslcontext'.
   * @asyncio BaseTransport.get_extra_info(name, default=None)
   */
  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    return socketExtraInfo(this, name, defaultValue);
  }

  /**
   * The protocol it drives.
   * @asyncio BaseTransport.get_protocol()
   */
  getProtocol(): StreamProtocol {
    return this._protocol;
  }

  /**
   * Drives another protocol from now on.
   * @asyncio BaseTransport.set_protocol(protocol)
   */
  setProtocol(protocol: StreamProtocol): void {
    this._protocol = protocol;
    this._buffered = protocol instanceof BufferedProtocol;
  }

  /** The class name in the repr. */
  protected _reprName(): string {
    return 'StreamTransport';
  }

  toString(): string {
    // asyncio's _SelectorTransport.__repr__: <... fd=7 read=polling write=<idle, bufsize=0>>
    const stream = this.stream;
    this._seeFd();
    const info = [this._reprName()];
    if (this._lost || stream.destroyed) info.push('closed');
    else if (this._closing) info.push('closing');
    info.push(`fd=${this._fd}`);
    if (!this._lost && !stream.destroyed) {
      const reading = this._readable && !this._closing && this._reading;
      info.push(`read=${reading ? 'polling' : 'idle'}`);
      const size = this.getWriteBufferSize();
      info.push(`write=<${size > 0 ? 'polling' : 'idle'}, bufsize=${size}>`);
    }
    return `<${info.join(' ')}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A TCP or Unix connection driving a protocol: made by `createConnection` / `createServer`. The
 * same transport as the streams' (one I/O path); only its name in the repr differs.
 * @asyncio asyncio.Transport (the socket transport of selector_events.py)
 */
export class SocketTransport extends StreamTransport {
  protected override _reprName(): string {
    return 'SocketTransport';
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
