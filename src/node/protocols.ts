/**
 * Protocols: asyncio's callback layer, for libraries that use it directly.
 * @asyncio asyncio.protocols (BaseProtocol, Protocol, BufferedProtocol)
 *
 * Design notes
 * - The transport that drives them is transports.ts's (SocketTransport), the one the streams
 *   stand on too: a StreamReader / StreamWriter pair is a StreamReaderProtocol
 *   (stream-protocol.ts) over it, as in asyncio.
 * - Callbacks run in the loop, as asyncio's: `connectionMade(transport)` once connected,
 *   `dataReceived(data)` (or `getBuffer` / `bufferUpdated` for a BufferedProtocol), `eofReceived()`
 *   (return true to keep the connection half-open; anything else closes it, as asyncio does),
 *   `connectionLost(exc)` once (null after a clean close), `pauseWriting()` / `resumeWriting()`
 *   around the write buffer's high and low limits (default 64 KiB and 16 KiB, asyncio's).
 * @module
 */
import type { SocketTransport } from './transports.ts';

export type { SocketTransport };

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
