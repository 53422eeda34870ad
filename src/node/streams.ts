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
import { CancelledError, IncompleteReadError, LimitOverrunError, RuntimeError, StopAsyncIteration, internalError } from '../exceptions.ts';
import { getRunningLoop } from '../events.ts';
import { sleep, isCoroutine, type Task } from '../tasks.ts';
import { describeValue } from '../internal/repr.ts';
import { checkCallback, functionKind } from '../internal/validate.ts';
import { atLoopShutdown } from './loop-shutdown.ts';
import type { EventLoop } from '../base-events.ts';
import type { Future } from '../futures.ts';
import type { Coroutine } from '../types.ts';

/** The default `limit` of a StreamReader: 64 KiB, asyncio's `_DEFAULT_LIMIT`. */
const DEFAULT_LIMIT = 2 ** 16;
const EMPTY: Buffer = Buffer.alloc(0);

function toBuffer(data: unknown, name: string): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(`${name} argument must be a bytes-like object, not ${describeValue(data)}. Pass a Uint8Array (or a string, written as UTF-8).`);
}

function checkLimit(limit: unknown): number {
  if (typeof limit !== 'number' || Number.isNaN(limit)) {
    throw new TypeError(`Expected \`limit\` to be a number of bytes, got ${describeValue(limit)}`);
  }
  if (limit <= 0) throw new RangeError('Limit cannot be <= 0');
  return limit;
}

// ------------------------------------------------------------------------------------ reader

/**
 * Buffered bytes from a connection, read by coroutines. Usually made by `openConnection` or
 * `startServer`; one constructed by hand is fed with `feedData` / `feedEof` (as in asyncio's tests).
 * Only one coroutine may wait for data at a time.
 * @asyncio asyncio.StreamReader(limit=_DEFAULT_LIMIT)
 * @example
 * const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port });
 * const line = yield* reader.readline(); // Uint8Array, ends with '\n' unless at EOF
 *
 * Fields:
 * - `_limit`      the buffer limit for readuntil/readline; the socket pauses above 2 * limit
 * - `_buffer`     received bytes not read yet (replaced, never mutated in place)
 * - `_eof`        feedEof() was called: no more data will come
 * - `_waiter`     the Future a read is waiting on, or null (at most one reader)
 * - `_exception`  the error every read raises once set, or null
 * - `_transport`  the stream to pause and resume, or null for a hand-fed reader
 * - `_paused`     whether this reader paused the transport
 */
export class StreamReader {
  _limit: number;
  _buffer: Buffer;
  _eof: boolean;
  _waiter: Future<void> | null;
  _exception: unknown;
  _transport: StreamTransport | null;
  _paused: boolean;

  /**
   * A reader with an empty buffer.
   * @param limit the most bytes `readuntil` / `readline` look through for a separator (default 64 KiB).
   * @throws {RangeError} "Limit cannot be <= 0".
   */
  constructor(limit: number = DEFAULT_LIMIT) {
    this._limit = checkLimit(limit);
    this._buffer = EMPTY;
    this._eof = false;
    this._waiter = null;
    this._exception = null;
    this._transport = null;
    this._paused = false;
  }

  /**
   * The error set by `setException` (the connection failed), or null.
   * @asyncio StreamReader.exception()
   */
  exception(): unknown {
    return this._exception;
  }

  /**
   * Makes every read (and the one waiting) raise `exc`. Called when the connection fails.
   * @asyncio StreamReader.set_exception(exc)
   */
  setException(exc: unknown): void {
    this._exception = exc;
    const waiter = this._waiter;
    if (waiter !== null) {
      this._waiter = null;
      if (!waiter.cancelled()) waiter._setExceptionUnchecked(exc);
    }
  }

  private _wakeupWaiter(): void {
    const waiter = this._waiter;
    if (waiter !== null) {
      this._waiter = null;
      if (!waiter.cancelled()) waiter.setResult(undefined);
    }
  }

  /**
   * Marks the end of the stream: reads return what is left, then empty.
   * @asyncio StreamReader.feed_eof()
   */
  feedEof(): void {
    this._eof = true;
    this._wakeupWaiter();
  }

  /**
   * Whether the buffer is empty and `feedEof` was called.
   * @asyncio StreamReader.at_eof()
   */
  atEof(): boolean {
    return this._eof && this._buffer.length === 0;
  }

  /**
   * Appends received bytes to the buffer and wakes the waiting read.
   * @asyncio StreamReader.feed_data(data)
   * @throws {RuntimeError} "feedData after feedEof".
   * @throws {TypeError} if `data` is not a Uint8Array or string.
   */
  feedData(data: Uint8Array | string): void {
    if (this._eof) throw new RuntimeError('feedData after feedEof');
    const bytes = toBuffer(data, 'data');
    if (bytes.length === 0) return;
    this._buffer = this._buffer.length === 0 ? bytes : Buffer.concat([this._buffer, bytes]);
    this._wakeupWaiter();
    // asyncio's flow control: stop reading the socket until the buffer is drained to `limit`.
    if (this._transport !== null && !this._paused && this._buffer.length > 2 * this._limit) {
      this._paused = true;
      this._transport.pauseReading();
    }
  }

  private _maybeResumeTransport(): void {
    if (this._paused && this._buffer.length <= this._limit) {
      this._paused = false;
      (this._transport as StreamTransport).resumeReading();
    }
  }

  private _take(n: number): Buffer {
    const buffer = this._buffer;
    if (n >= buffer.length) {
      this._buffer = EMPTY;
      return buffer;
    }
    this._buffer = buffer.subarray(n);
    return buffer.subarray(0, n);
  }

  /** Waits until feedData or feedEof (or an error) wakes this reader. */
  private *_waitForData(funcName: string): Coroutine<void> {
    if (this._waiter !== null) {
      throw new RuntimeError(`${funcName}() called while another coroutine is already waiting for incoming data`);
    }
    if (this._eof) throw internalError('_waitForData after EOF');
    // The buffer may be over the limit with nothing the caller can use (readuntil looking for a
    // separator): resume reading, or it would wait forever.
    if (this._paused) {
      this._paused = false;
      (this._transport as StreamTransport).resumeReading();
    }
    const waiter = getRunningLoop().createFuture<void>();
    this._waiter = waiter;
    try {
      yield* waiter;
    } finally {
      if (this._waiter === waiter) this._waiter = null;
    }
  }

  /**
   * Reads one line: up to and including `'\n'`. At EOF returns what is left (maybe without the
   * newline), then an empty array.
   * @asyncio StreamReader.readline()
   * @returns the line's bytes.
   * @throws {RangeError} when no newline is found within `limit` bytes (the message of the
   *   LimitOverrunError; the line is dropped from the buffer, as asyncio does).
   * @example
   * const line = new TextDecoder().decode(yield* reader.readline());
   */
  *readline(): Coroutine<Uint8Array> {
    try {
      return yield* this.readuntil('\n');
    } catch (error) {
      if (error instanceof IncompleteReadError) return error.partial;
      if (error instanceof LimitOverrunError) {
        const newline = this._buffer[error.consumed] === 0x0a;
        this._take(newline ? error.consumed + 1 : this._buffer.length);
        this._maybeResumeTransport();
        throw new RangeError(error.message);
      }
      throw error;
    }
  }

  /**
   * Reads up to and including `separator`. The separator is looked for in at most `limit` bytes.
   * @asyncio StreamReader.readuntil(separator=b'\n')
   * @param separator a non-empty Uint8Array, or a string (its UTF-8 bytes).
   * @returns the bytes read, separator included.
   * @throws {IncompleteReadError} at EOF before the separator (`partial` holds what was left; the buffer is emptied).
   * @throws {LimitOverrunError} when the separator is not found within `limit` bytes (the data stays buffered).
   * @throws {RangeError} "Separator should be at least one-byte string".
   * @example
   * const header = yield* reader.readuntil('\r\n\r\n');
   */
  *readuntil(separator: Uint8Array | string = '\n'): Coroutine<Uint8Array> {
    const sep = toBuffer(separator, 'separator');
    const seplen = sep.length;
    if (seplen === 0) throw new RangeError('Separator should be at least one-byte string');
    if (this._exception !== null) throw this._exception;
    let offset = 0;
    let isep: number;
    for (;;) {
      const buflen = this._buffer.length;
      if (buflen - offset >= seplen) {
        isep = this._buffer.indexOf(sep, offset);
        if (isep !== -1) break;
        // The separator could start in the last seplen - 1 bytes: look again from there.
        offset = buflen + 1 - seplen;
        if (offset > this._limit) throw new LimitOverrunError('Separator is not found, and chunk exceed the limit', offset);
      }
      if (this._eof) {
        const chunk = this._take(this._buffer.length);
        throw new IncompleteReadError(chunk, null);
      }
      yield* this._waitForData('readuntil');
    }
    if (isep > this._limit) throw new LimitOverrunError('Separator is found, but chunk is longer than limit', isep);
    const chunk = this._take(isep + seplen);
    this._maybeResumeTransport();
    return chunk;
  }

  /**
   * Reads up to `n` bytes; with `n` < 0 (the default), reads until EOF. Returns an empty array
   * at EOF, and at once if bytes are buffered (it does not wait for `n` of them).
   * @asyncio StreamReader.read(n=-1)
   * @param n the most bytes to return; -1 for everything until EOF.
   * @returns the bytes read.
   * @throws the connection's error, once set.
   * @example
   * const all = yield* reader.read(); // until the peer closes
   */
  *read(n = -1): Coroutine<Uint8Array> {
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`Expected \`n\` to be an integer number of bytes, got ${describeValue(n)}`);
    if (this._exception !== null) throw this._exception;
    if (n === 0) return EMPTY;
    if (n < 0) {
      // Read in limit-sized blocks so the transport is resumed between them (asyncio does this).
      const blocks: Buffer[] = [];
      for (;;) {
        const block = (yield* this.read(this._limit)) as Buffer;
        if (block.length === 0) break;
        blocks.push(block);
      }
      return blocks.length === 1 ? (blocks[0] as Buffer) : Buffer.concat(blocks);
    }
    if (this._buffer.length === 0 && !this._eof) yield* this._waitForData('read');
    const data = this._take(n);
    this._maybeResumeTransport();
    return data;
  }

  /**
   * Reads exactly `n` bytes.
   * @asyncio StreamReader.readexactly(n)
   * @returns `n` bytes.
   * @throws {IncompleteReadError} if EOF comes first (`partial` holds what was read, `expected` is `n`).
   * @throws {RangeError} "readexactly size can not be less than zero".
   * @example
   * const header = yield* reader.readexactly(4);
   * const body = yield* reader.readexactly(new DataView(header.buffer, header.byteOffset).getUint32(0));
   */
  *readexactly(n: number): Coroutine<Uint8Array> {
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`Expected \`n\` to be an integer number of bytes, got ${describeValue(n)}`);
    if (n < 0) throw new RangeError('readexactly size can not be less than zero');
    if (this._exception !== null) throw this._exception;
    if (n === 0) return EMPTY;
    while (this._buffer.length < n) {
      if (this._eof) {
        const incomplete = this._take(this._buffer.length);
        throw new IncompleteReadError(incomplete, n);
      }
      yield* this._waitForData('readexactly');
    }
    const data = this._take(n);
    this._maybeResumeTransport();
    return data;
  }

  /**
   * The next line, for `asyncFor(reader, function* (line) { ... })`: ends at EOF.
   * @asyncio StreamReader.__anext__()
   * @throws {StopAsyncIteration} at EOF.
   */
  *anext(): Coroutine<Uint8Array> {
    const line = yield* this.readline();
    if (line.length === 0) throw new StopAsyncIteration();
    return line;
  }

  /**
   * The reader itself: its lines, for `asyncFor`.
   * @asyncio StreamReader.__aiter__()
   */
  aiter(): this {
    return this;
  }

  toString(): string {
    const info = [`StreamReader`];
    if (this._buffer.length > 0) info.push(`${this._buffer.length} bytes`);
    if (this._eof) info.push('eof');
    if (this._limit !== DEFAULT_LIMIT) info.push(`limit=${this._limit}`);
    if (this._waiter !== null) info.push('waiter');
    if (this._exception !== null) info.push(`exception=${String(this._exception)}`);
    if (this._paused) info.push('paused');
    return `<${info.join(' ')}>`;
  }
}

// ------------------------------------------------------------------------------------ transport

/**
 * The peer went away (or the connection was closed) while `drain()` was waiting or was called.
 * @asyncio ConnectionResetError (the builtin)
 * @example
 * try { yield* writer.drain(); } catch (e) { if (e instanceof ConnectionResetError) return; throw e; }
 */
export class ConnectionResetError extends Error {
  override name = 'ConnectionResetError';
  /** Node's error code for a reset connection. */
  readonly code = 'ECONNRESET';
}

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
  _unregister: () => void;
  // Host-side listeners, bound once.
  private readonly _onData: (chunk: Buffer) => void;
  private readonly _onEnd: () => void;
  private readonly _onError: (error: unknown) => void;
  private readonly _onClose: () => void;
  private readonly _onDrain: () => void;
  private readonly _onConnect: () => void;
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
    this._dataReceived = (chunk) => {
      const r = this.reader;
      if (r !== null && !r._eof) r.feedData(chunk);
    };
    this._eofReceived = () => this.reader?.feedEof();
    this._connectionLost = () => this._lose(this._error);
    this._resumeWriting = () => this._wakeDrainWaiters();
    this._connectionMade = () => {
      const waiter = this._connectWaiter;
      this._connectWaiter = null;
      if (waiter !== null) settleOk(waiter);
    };
    this._onData = (chunk) => this._post(this._dataReceived, chunk);
    this._onEnd = () => this._post(this._eofReceived, undefined);
    this._onError = (error) => {
      this._error ??= error; // delivered with 'close', which always follows
    };
    this._onClose = () => this._post(this._connectionLost, undefined);
    this._onDrain = () => this._post(this._resumeWriting, undefined);
    this._onConnect = () => this._post(this._connectionMade, undefined);
    if (reader !== null) {
      reader._transport = this;
      stream.on('data', this._onData);
      stream.on('end', this._onEnd);
    }
    stream.on('error', this._onError);
    stream.on('close', this._onClose);
    stream.on('drain', this._onDrain);
    stream.on('connect', this._onConnect);
    this._unregister = atLoopShutdown(loop, () => this.abort());
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
    // asyncio drops writes to a closed or lost connection; drain() reports the loss.
    if (this._closing || this._lost) return;
    if (!this.stream.write(data)) this._writePaused = true;
  }

  writeEof(): void {
    if (this._closing || this._eofWritten) return;
    this._eofWritten = true;
    this.stream.end();
  }

  /** Flushes what was written, then closes both directions. */
  close(): void {
    if (this._closing) return;
    this._closing = true;
    const stream = this.stream;
    if (this.reader !== null) stream.pause();
    if (stream.destroyed) return;
    if (stream.writable && !stream.writableEnded) stream.end();
    if (!stream.writableEnded || stream.writableFinished) stream.destroy();
    else stream.once('finish', () => stream.destroy());
  }

  /** Closes at once, dropping unsent data. */
  abort(): void {
    this._closing = true;
    this.stream.destroy();
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
   * Writes after `close()` or after the connection was lost are dropped, as asyncio does.
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
    return `<StreamWriter${this.isClosing() ? ' closing' : ''}${this._reader !== null ? ` reader=${this._reader}` : ''}>`;
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

function* connect(socket: net.Socket, limit: number, unixPath: string | null): Coroutine<[StreamReader, StreamWriter]> {
  const loop = getRunningLoop();
  const [reader, writer, transport] = makeStreams(loop, socket, limit);
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
  getRunningLoop();
  return connect(net.connect({ host, port, allowHalfOpen: true, noDelay: true }), limit, null);
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
  getRunningLoop();
  return connect(net.connect({ path, allowHalfOpen: true }), limit, path);
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
      if (!loop.isClosed()) loop.callSoonThreadsafe(() => loop.callExceptionHandler({ message: 'Server error', exception: error, server: this }));
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
      if (!loop.isClosed()) loop.callSoonThreadsafe(() => { if (!waiter.done()) waiter._setExceptionUnchecked(error); });
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

// A native async handler is refused at the call: its body could not `yield*` the streams, and its
// rejection would escape the loop instead of reaching "Unhandled exception in client_connected_cb".
function checkClientConnected(cb: unknown): ClientConnected {
  checkCallback(cb, 'clientConnected');
  const kind = functionKind(cb);
  if (kind === 'async function' || kind === 'async generator function') {
    throw new TypeError(
      `Expected \`clientConnected\` to be a function* (reader, writer) handler or a plain function, got the native ${kind} ${cb.name || '(anonymous)'}: ` +
        'its failures would escape the loop as unhandled rejections. Write it as function* (reader, writer) { ... } with yield* where it has await; it then runs as a task.',
    );
  }
  return cb as ClientConnected;
}

/**
 * Starts a TCP server: `clientConnected(reader, writer)` is called for each connection; when it is
 * a `function*`, its coroutine runs as a Task (an error it raises is reported to the loop's
 * exception handler and the connection is closed). A native `async` handler is refused with a
 * TypeError: write it as a `function*`.
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
