/**
 * Protocols and the socket transport: asyncio's callback layer, for libraries that use it directly.
 * @asyncio asyncio.protocols (BaseProtocol, Protocol, BufferedProtocol), asyncio.transports.Transport
 *
 * Design notes
 * - `SocketTransport` is the transport the streams stand on (transports.ts) with the protocol's
 *   callbacks in place of the reader: the same bridge, close/abort and write-after-loss rules.
 *   The streams themselves are not rebuilt as a StreamReaderProtocol over it (yet): they use the
 *   base transport's own reader path.
 * - Callbacks run in the loop, as asyncio's: `connectionMade(transport)` once connected,
 *   `dataReceived(data)` (or `getBuffer` / `bufferUpdated` for a BufferedProtocol), `eofReceived()`
 *   (return true to keep the connection half-open; anything else closes it, as asyncio does),
 *   `connectionLost(exc)` once (null after a clean close), `pauseWriting()` / `resumeWriting()`
 *   around the write buffer's high and low limits (default 64 KiB and 16 KiB, asyncio's).
 * @module
 */
import { Buffer } from 'node:buffer';
import { describeValue } from '../internal/repr.ts';
import { toBytes } from './stream-reader.ts';
import { StreamTransport, socketExtraInfo } from './transports.ts';
import type { EventLoop } from '../base-events.ts';
import type * as net from 'node:net';

/**
 * What every protocol has: the connection's start and end, and write flow control.
 * @asyncio asyncio.BaseProtocol
 */
export class BaseProtocol {
  /**
   * The connection is made: keep `transport` to write with.
   * @asyncio BaseProtocol.connection_made(transport)
   */
  connectionMade(transport: SocketTransport): void {
    void transport;
  }

  /**
   * The connection is lost or closed: `exc` is null after a clean close, else the error.
   * @asyncio BaseProtocol.connection_lost(exc)
   */
  connectionLost(exc: unknown): void {
    void exc;
  }

  /**
   * The transport's write buffer went over its high limit: stop writing until `resumeWriting`.
   * @asyncio BaseProtocol.pause_writing()
   */
  pauseWriting(): void {}

  /**
   * The write buffer drained to its low limit.
   * @asyncio BaseProtocol.resume_writing()
   */
  resumeWriting(): void {}
}

/**
 * A stream protocol: override what you need; each default does nothing.
 * @asyncio asyncio.Protocol
 * @example
 * class Echo extends Protocol {
 *   transport: SocketTransport | null = null;
 *   override connectionMade(t: SocketTransport) { this.transport = t; }
 *   override dataReceived(data: Uint8Array) { this.transport!.write(data); }
 * }
 * const server = yield* createServer(() => new Echo(), { host: '127.0.0.1', port: 0 });
 */
export class Protocol extends BaseProtocol {
  /**
   * Bytes arrived.
   * @asyncio Protocol.data_received(data)
   */
  dataReceived(data: Uint8Array): void {
    void data;
  }

  /**
   * The peer sent EOF. Return true to keep the connection open for writing (half-close); any
   * other value closes it.
   * @asyncio Protocol.eof_received()
   */
  eofReceived(): boolean | void {
    return undefined;
  }
}

/**
 * A protocol that receives into buffers it provides (no allocation per read).
 * @asyncio asyncio.BufferedProtocol
 */
export class BufferedProtocol extends BaseProtocol {
  /**
   * A buffer to receive into; `sizeHint` is the bytes waiting (-1 when unknown).
   * @asyncio BufferedProtocol.get_buffer(sizehint)
   */
  getBuffer(sizeHint: number): Uint8Array {
    return new Uint8Array(Math.max(sizeHint, 65536));
  }

  /**
   * `nbytes` were written at the start of the last buffer given.
   * @asyncio BufferedProtocol.buffer_updated(nbytes)
   */
  bufferUpdated(nbytes: number): void {
    void nbytes;
  }

  /**
   * The peer sent EOF (see Protocol.eofReceived).
   * @asyncio BufferedProtocol.eof_received()
   */
  eofReceived(): boolean | void {
    return undefined;
  }
}

/** A protocol a SocketTransport drives. */
export type StreamProtocol = Protocol | BufferedProtocol;

/**
 * A TCP or Unix connection driving a protocol: made by `createConnection` / `createServer`.
 * @asyncio asyncio.Transport (the socket transport of selector_events.py)
 *
 * Fields (besides StreamTransport's):
 * - `_protocol`      the protocol it drives
 * - `_reading`       reading is not paused by pauseReading()
 * - `_high`, `_low`  the write buffer limits (asyncio's set_write_buffer_limits)
 * - `_protocolPaused` pauseWriting() was called and resumeWriting() not yet
 * - `_connected`     connectionMade was called (connectionLost comes only after it)
 */
export class SocketTransport extends StreamTransport {
  _protocol: StreamProtocol;
  _reading: boolean;
  _high: number;
  _low: number;
  _protocolPaused: boolean;
  _connected: boolean;

  /** @internal Made by createConnection / createServer. */
  constructor(loop: EventLoop, socket: net.Socket, protocol: StreamProtocol) {
    super(loop, socket, null, true);
    this._protocol = protocol;
    this._reading = true;
    this._high = 64 * 1024;
    this._low = 16 * 1024;
    this._protocolPaused = false;
    this._connected = false;
  }

  /** @internal */
  override _deliverData(chunk: Buffer): void {
    if (this._lost) return;
    const protocol = this._protocol;
    if (protocol instanceof BufferedProtocol) {
      // asyncio's _read_ready__get_buffer: copy into the buffers the protocol hands out.
      let offset = 0;
      while (offset < chunk.length) {
        const buffer = protocol.getBuffer(chunk.length - offset);
        if (!(buffer instanceof Uint8Array) || buffer.length === 0) {
          throw new RangeError(`getBuffer() returned ${describeValue(buffer)}: it must return a non-empty Uint8Array`);
        }
        const n = Math.min(buffer.length, chunk.length - offset);
        buffer.set(chunk.subarray(offset, offset + n));
        offset += n;
        protocol.bufferUpdated(n);
      }
    } else protocol.dataReceived(chunk);
  }

  /** @internal asyncio: eof_received() returning a false value closes the transport. */
  override _deliverEof(): void {
    if (this._lost) return;
    const keepOpen = this._protocol.eofReceived();
    if (keepOpen !== true) this.close();
  }

  /** @internal */
  override _made(): void {
    super._made();
    this._connected = true;
    this._protocol.connectionMade(this);
  }

  /** @internal */
  override _lose(error: unknown): void {
    if (this._lost) return;
    super._lose(error);
    // asyncio calls connection_lost only after connection_made (a failed connect is raised instead).
    if (this._connected) this._protocol.connectionLost(error);
  }

  /** @internal asyncio's _maybe_resume_protocol. */
  override _written(): void {
    if (this._protocolPaused && this.getWriteBufferSize() <= this._low) {
      this._protocolPaused = false;
      if (!this._lost) this._protocol.resumeWriting();
    }
  }

  /** @internal */
  override _writeBlocked(): void {
    this._maybePause();
  }

  private _maybePause(): void {
    if (!this._protocolPaused && this.getWriteBufferSize() > this._high) {
      this._protocolPaused = true;
      this._protocol.pauseWriting();
    }
  }

  /**
   * Sends `data` (buffered; never blocks). Past the high limit the protocol's `pauseWriting()` is called.
   * @asyncio WriteTransport.write(data)
   * @throws {RuntimeError} "Cannot call write() after writeEof()".
   */
  override write(data: Uint8Array | string): void {
    const bytes = toBytes(data, 'data');
    super.write(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this._maybePause();
  }

  /**
   * Writes each item in order.
   * @asyncio WriteTransport.writelines(list_of_data)
   */
  writelines(data: Iterable<Uint8Array | string>): void {
    for (const item of data) this.write(item);
  }

  /**
   * Always true for sockets.
   * @asyncio WriteTransport.can_write_eof()
   */
  canWriteEof(): boolean {
    return true;
  }

  /**
   * Stops reading: no `dataReceived` until `resumeReading()`.
   * @asyncio ReadTransport.pause_reading()
   */
  override pauseReading(): void {
    if (this._closing || !this._reading) return;
    this._reading = false;
    super.pauseReading();
  }

  /**
   * Reads again after `pauseReading()`.
   * @asyncio ReadTransport.resume_reading()
   */
  override resumeReading(): void {
    if (this._closing || this._reading) return;
    this._reading = true;
    super.resumeReading();
  }

  /**
   * Whether it is reading (not paused, not closing).
   * @asyncio ReadTransport.is_reading()
   */
  isReading(): boolean {
    return this._reading && !this.isClosing();
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
    this._maybePause();
  }

  /**
   * `[low, high]`.
   * @asyncio WriteTransport.get_write_buffer_limits()
   */
  getWriteBufferLimits(): [number, number] {
    return [this._low, this._high];
  }

  /**
   * The same names as StreamWriter.getExtraInfo: 'peername', 'sockname', 'socket', and with TLS 'peercert', 'cipher', 'sslObject'.
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
  }

  override toString(): string {
    return super.toString().replace(/^<StreamTransport/, '<SocketTransport');
  }
}
