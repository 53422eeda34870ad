/**
 * StreamReader: buffered bytes read by coroutines; no `node:` import, so it runs (and is tested)
 * anywhere, fed by hand or by a transport.
 * @asyncio asyncio.streams.StreamReader
 *
 * Design notes
 * - The buffer is a list of the chunks fed (`Uint8Array`s, never copied on the way in) with a
 *   head index, and a byte count. A read that fits in the first chunk returns a view of it
 *   (`subarray`); one that spans chunks copies each byte once into a new array. So
 *   `readexactly(32 MiB)` fed in 64 KiB chunks costs one copy of 32 MiB, where joining the buffer
 *   on every `feedData` (a `Buffer.concat` per chunk) would copy quadratically.
 * - `readuntil` searches the chunks where they lie: the separator's first byte with the native
 *   `indexOf` of each chunk, the rest compared byte by byte, across chunk boundaries too; the
 *   search resumes where the last one stopped (asyncio's `offset`).
 * - Flow control, as asyncio's: the transport is paused when more than 2 * limit bytes are
 *   buffered and resumed when a read brings it back to limit or less; a read waiting for more
 *   resumes it. Unlike asyncio, while `readexactly(n)` waits, the transport is not paused again
 *   below `n` bytes: a large read keeps reading instead of pausing and resuming at every chunk.
 * - The arrays a read returns come from `_alloc`: a `Uint8Array` here; a Node transport sets
 *   Node's `Buffer` allocator, so on Node every read is a Buffer (a Uint8Array subclass), as before.
 * @module
 */
import { IncompleteReadError, LimitOverrunError, RuntimeError, StopAsyncIteration, internalError } from '../exceptions.ts';
import { getRunningLoop } from '../events.ts';
import { describeValue, inspectSymbol, shortRepr } from '../internal/repr.ts';
import type { Future } from '../futures.ts';
import type { Coroutine } from '../types.ts';

/** The default `limit` of a StreamReader: 64 KiB, asyncio's `_DEFAULT_LIMIT`. */
export const DEFAULT_LIMIT = 2 ** 16;

const encoder = new TextEncoder();

/** What a StreamReader needs from the transport it reads: flow control, and how it prints. */
export interface ReadTransport {
  pauseReading(): void;
  resumeReading(): void;
  toString(): string;
}

/** @internal A string as its UTF-8 bytes, a Uint8Array as itself; anything else is a TypeError. */
export function toBytes(data: unknown, name: string): Uint8Array {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  throw new TypeError(`${name} argument must be a bytes-like object, not ${describeValue(data)}. Pass a Uint8Array (or a string, written as UTF-8).`);
}

/** @internal asyncio's checks of `limit`. */
export function checkLimit(limit: unknown): number {
  if (typeof limit !== 'number' || Number.isNaN(limit)) {
    throw new TypeError(`Expected \`limit\` to be a number of bytes, got ${describeValue(limit)}`);
  }
  if (limit <= 0) throw new RangeError('Limit cannot be <= 0');
  return limit;
}

function newBytes(size: number): Uint8Array {
  return new Uint8Array(size);
}

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
 * - `_limit`      the buffer limit for readuntil/readline; the transport pauses above 2 * limit
 * - `_chunks`     the chunks fed and not read yet, from `_head` on (the first may be a view of
 *                 what is left of a partly read chunk); never empty arrays
 * - `_head`       the index of the first unread chunk in `_chunks`
 * - `_size`       the bytes in `_chunks[_head..]`
 * - `_eof`        feedEof() was called: no more data will come
 * - `_waiter`     the Future a read is waiting on, or null (at most one reader)
 * - `_exception`  the error every read raises once set, or null
 * - `_transport`  the transport to pause and resume, or null for a hand-fed reader
 * - `_paused`     whether this reader paused the transport
 * - `_wanted`     the bytes a waiting readexactly needs (0 when none waits): no pause below it
 * - `_alloc`      makes the arrays reads return when they join chunks
 */
export class StreamReader {
  _limit: number;
  _chunks: Uint8Array[];
  _head: number;
  _size: number;
  _eof: boolean;
  _waiter: Future<void> | null;
  _exception: unknown;
  _transport: ReadTransport | null;
  _paused: boolean;
  _wanted: number;
  _alloc: (size: number) => Uint8Array;

  /**
   * A reader with an empty buffer.
   * @param limit the most bytes `readuntil` / `readline` look through for a separator (default 64 KiB).
   * @throws {RangeError} "Limit cannot be <= 0".
   */
  constructor(limit: number = DEFAULT_LIMIT) {
    this._limit = checkLimit(limit);
    this._chunks = [];
    this._head = 0;
    this._size = 0;
    this._eof = false;
    this._waiter = null;
    this._exception = null;
    this._transport = null;
    this._paused = false;
    this._wanted = 0;
    this._alloc = newBytes;
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
   * Sets the transport this reader pauses and resumes (asyncio's `set_transport`, once).
   * @asyncio StreamReader.set_transport(transport)
   * @throws {RuntimeError} "Transport already set".
   */
  setTransport(transport: ReadTransport): void {
    if (this._transport !== null) throw new RuntimeError('Transport already set');
    this._transport = transport;
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
    return this._eof && this._size === 0;
  }

  /**
   * Appends received bytes to the buffer (without copying them) and wakes the waiting read.
   * @asyncio StreamReader.feed_data(data)
   * @throws {RuntimeError} "feedData after feedEof".
   * @throws {TypeError} if `data` is not a Uint8Array or string.
   */
  feedData(data: Uint8Array | string): void {
    if (this._eof) throw new RuntimeError('feedData after feedEof');
    const bytes = toBytes(data, 'data');
    if (bytes.length === 0) return;
    this._chunks.push(bytes);
    this._size += bytes.length;
    this._wakeupWaiter();
    // asyncio's flow control: stop reading until the buffer is drained to `limit` (or, while a
    // readexactly waits, until it has what that read needs).
    if (this._transport !== null && !this._paused && this._size > 2 * this._limit && this._size >= this._wanted) {
      this._paused = true;
      this._transport.pauseReading();
    }
  }

  private _maybeResumeTransport(): void {
    if (this._paused && this._size <= this._limit) {
      this._paused = false;
      (this._transport as ReadTransport).resumeReading();
    }
  }

  /** Removes the first `n` bytes (n <= _size) and returns them: a view when one chunk holds them. */
  private _take(n: number): Uint8Array {
    if (n === 0) return this._alloc(0);
    const chunks = this._chunks;
    const first = chunks[this._head] as Uint8Array;
    let out: Uint8Array;
    if (n <= first.length) {
      if (n === first.length) {
        out = first;
        this._dropHead();
      } else {
        out = first.subarray(0, n);
        chunks[this._head] = first.subarray(n);
      }
    } else {
      out = this._alloc(n);
      let filled = 0;
      while (filled < n) {
        const chunk = chunks[this._head] as Uint8Array;
        const need = n - filled;
        if (chunk.length <= need) {
          out.set(chunk, filled);
          filled += chunk.length;
          this._dropHead();
        } else {
          out.set(chunk.subarray(0, need), filled);
          chunks[this._head] = chunk.subarray(need);
          filled = n;
        }
      }
    }
    this._size -= n;
    return out;
  }

  private _dropHead(): void {
    const chunks = this._chunks;
    chunks[this._head] = undefined as never;
    this._head++;
    if (this._head === chunks.length) {
      // pop() keeps the array's backing store (`length = 0` drops it): the next push allocates none.
      if (chunks.length === 1) chunks.pop();
      else chunks.length = 0;
      this._head = 0;
    } else if (this._head >= 64 && this._head * 2 >= chunks.length) {
      // Compact now and then, so the array does not grow with every chunk ever fed.
      chunks.splice(0, this._head);
      this._head = 0;
    }
  }

  private _clear(): Uint8Array {
    return this._take(this._size);
  }

  /** The byte at `index` of the buffer (index < _size). */
  private _byteAt(index: number): number {
    let i = index;
    for (let c = this._head; ; c++) {
      const chunk = this._chunks[c] as Uint8Array;
      if (i < chunk.length) return chunk[i] as number;
      i -= chunk.length;
    }
  }

  /** Where `sep` first starts at or after `from` in the buffer, or -1 (asyncio's bytearray.find). */
  private _find(sep: Uint8Array, from: number): number {
    const chunks = this._chunks;
    const first = sep[0] as number;
    let base = 0;
    for (let c = this._head; c < chunks.length; c++) {
      const chunk = chunks[c] as Uint8Array;
      let i = from > base ? from - base : 0;
      while (i < chunk.length) {
        i = chunk.indexOf(first, i);
        if (i === -1) break;
        if (this._matchesAt(sep, c, i)) return base + i;
        i++;
      }
      base += chunk.length;
    }
    return -1;
  }

  /** Whether `sep` lies at chunk `c`, position `i` (its first byte already matched), across chunks. */
  private _matchesAt(sep: Uint8Array, c: number, i: number): boolean {
    const chunks = this._chunks;
    let chunk = chunks[c] as Uint8Array;
    let at = i;
    let index = c;
    for (let k = 1; k < sep.length; k++) {
      at++;
      while (at >= chunk.length) {
        index++;
        if (index >= chunks.length) return false;
        at = 0;
        chunk = chunks[index] as Uint8Array;
      }
      if (chunk[at] !== sep[k]) return false;
    }
    return true;
  }

  /**
   * The Future a read waits on until feedData or feedEof (or an error) wakes this reader; the
   * caller awaits it and clears `_waiter` after (read and readexactly do that inline, so a wait
   * starts no second generator).
   */
  private _newWaiter(funcName: string): Future<void> {
    if (this._waiter !== null) {
      throw new RuntimeError(`${funcName}() called while another coroutine is already waiting for incoming data`);
    }
    if (this._eof) throw internalError('_waitForData after EOF');
    // The buffer may be over the limit with nothing the caller can use (readuntil looking for a
    // separator): resume reading, or it would wait forever.
    if (this._paused) {
      this._paused = false;
      (this._transport as ReadTransport).resumeReading();
    }
    const waiter = getRunningLoop().createFuture<void>();
    this._waiter = waiter;
    return waiter;
  }

  /** Waits until feedData or feedEof (or an error) wakes this reader. */
  private *_waitForData(funcName: string): Coroutine<void> {
    const waiter = this._newWaiter(funcName);
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
      return yield* this.readuntil(NEWLINE);
    } catch (error) {
      if (error instanceof IncompleteReadError) return error.partial;
      if (error instanceof LimitOverrunError) {
        const newline = error.consumed < this._size && this._byteAt(error.consumed) === 0x0a;
        this._take(newline ? error.consumed + 1 : this._size);
        this._maybeResumeTransport();
        throw new RangeError(error.message);
      }
      throw error;
    }
  }

  /**
   * Reads up to and including a separator, looked for in at most `limit` bytes. Given several
   * separators, returns the shortest data that ends with any of them (3.13).
   * @asyncio StreamReader.readuntil(separator=b'\n')
   * Differs from asyncio: several separators are an array (Python's tuple).
   * @param separator a non-empty Uint8Array or string (its UTF-8 bytes), or an array of them.
   * @returns the bytes read, separator included.
   * @throws {IncompleteReadError} at EOF before a separator (`partial` holds what was left; the buffer is emptied).
   * @throws {LimitOverrunError} when no separator is found within `limit` bytes (the data stays buffered).
   * @throws {RangeError} "Separator should be at least one-byte string", "Separator should contain at least one element".
   * @example
   * const header = yield* reader.readuntil('\r\n\r\n');
   * const token = yield* reader.readuntil([' ', '\n']);
   */
  *readuntil(separator: Uint8Array | string | readonly (Uint8Array | string)[] = NEWLINE): Coroutine<Uint8Array> {
    // asyncio: sorted by length, so the shortest separator wins a tie on the end.
    const seps = Array.isArray(separator)
      ? (separator as readonly unknown[]).map((s) => toBytes(s, 'separator')).sort((a, b) => a.length - b.length)
      : [toBytes(separator, 'separator')];
    if (seps.length === 0) throw new RangeError('Separator should contain at least one element');
    const minSeplen = (seps[0] as Uint8Array).length;
    const maxSeplen = (seps[seps.length - 1] as Uint8Array).length;
    if (minSeplen === 0) throw new RangeError('Separator should be at least one-byte string');
    if (this._exception !== null) throw this._exception;
    let offset = 0;
    let matchStart = -1;
    let matchEnd = -1;
    for (;;) {
      const buflen = this._size;
      if (buflen - offset >= minSeplen) {
        for (const sep of seps) {
          const isep = this._find(sep, offset);
          if (isep !== -1) {
            const end = isep + sep.length;
            if (matchEnd === -1 || end < matchEnd) {
              matchEnd = end;
              matchStart = isep;
            }
          }
        }
        if (matchEnd !== -1) break;
        // A separator could start in the last maxSeplen - 1 bytes: look again from there.
        offset = Math.max(0, buflen + 1 - maxSeplen);
        if (offset > this._limit) throw new LimitOverrunError('Separator is not found, and chunk exceed the limit', offset);
      }
      // The last chunk may have completed a separator, so EOF is checked after the search.
      if (this._eof) throw new IncompleteReadError(this._clear(), null);
      yield* this._waitForData('readuntil');
    }
    if (matchStart > this._limit) throw new LimitOverrunError('Separator is found, but chunk is longer than limit', matchStart);
    const chunk = this._take(matchEnd);
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
    if (n === 0) return this._alloc(0);
    if (n < 0) {
      // Read in limit-sized blocks so the transport is resumed between them (asyncio does this).
      const blocks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const block = yield* this.read(this._limit);
        if (block.length === 0) break;
        blocks.push(block);
        total += block.length;
      }
      if (blocks.length === 1) return blocks[0] as Uint8Array;
      const all = this._alloc(total);
      let at = 0;
      for (const block of blocks) {
        all.set(block, at);
        at += block.length;
      }
      return all;
    }
    if (this._size === 0 && !this._eof) {
      const waiter = this._newWaiter('read');
      try {
        yield* waiter;
      } finally {
        if (this._waiter === waiter) this._waiter = null;
      }
    }
    const data = this._take(Math.min(n, this._size));
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
    if (n === 0) return this._alloc(0);
    try {
      while (this._size < n) {
        if (this._eof) throw new IncompleteReadError(this._clear(), n);
        this._wanted = n;
        const waiter = this._newWaiter('readexactly');
        try {
          yield* waiter;
        } finally {
          if (this._waiter === waiter) this._waiter = null;
        }
      }
    } finally {
      this._wanted = 0;
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
    // asyncio's StreamReader.__repr__, field for field
    const info = [`StreamReader`];
    if (this._size > 0) info.push(`${this._size} bytes`);
    if (this._eof) info.push('eof');
    if (this._limit !== DEFAULT_LIMIT) info.push(`limit=${this._limit}`);
    if (this._waiter !== null) info.push(`waiter=${String(this._waiter)}`);
    if (this._exception !== null) info.push(`exception=${shortRepr(this._exception)}`);
    if (this._transport !== null) info.push(`transport=${String(this._transport)}`);
    if (this._paused) info.push('paused');
    return `<${info.join(' ')}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

const NEWLINE: Uint8Array = new Uint8Array([0x0a]);
