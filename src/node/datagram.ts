/**
 * UDP: datagram endpoints over `node:dgram`, with asyncio's protocol callbacks.
 * @asyncio loop.create_datagram_endpoint, asyncio.DatagramProtocol, asyncio.DatagramTransport
 *
 * Design notes
 * - A free function of `yieldio/node` on the running loop (asyncio's `loop.create_datagram_endpoint`;
 *   the core loop has no `node:` import, as with `addSignalHandler`).
 * - Node's socket events ('message', 'error', 'close') are posted into the loop with
 *   `callSoonThreadsafe`, so the protocol's methods run as loop callbacks, as asyncio's do; an
 *   error one of them raises goes to the loop's exception handler.
 * - Addresses are `[host, port]` arrays (Python's tuples). There is no `reuseAddress`: 3.13
 *   removed `reuse_address` (SO_REUSEADDR on UDP lets another process steal the port).
 * - An endpoint still open when `run()` shuts the loop down is closed then (Node would stay alive).
 * @module
 */
import * as dgram from 'node:dgram';
import { isIP } from 'node:net';
import { getRunningLoop } from '../events.ts';
import { describeValue, inspectSymbol } from '../internal/repr.ts';
import { atLoopShutdown } from './loop-shutdown.ts';
import { fromNodeError } from './errors.ts';
import { toBytes } from './stream-reader.ts';
import { nodeHasReusePort } from './streams.ts';
import type { EventLoop } from '../base-events.ts';
import type { Future } from '../futures.ts';
import type { Coroutine } from '../types.ts';

/** A UDP address: `[host, port]` (Python's `(host, port)` tuple). */
export type DatagramAddress = [string, number];

/** asyncio's constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES. */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

/**
 * The callbacks a datagram endpoint calls. Subclass it and override what you need; each default
 * does nothing.
 * @asyncio asyncio.DatagramProtocol
 * @example
 * class Echo extends DatagramProtocol {
 *   transport: DatagramTransport | null = null;
 *   override connectionMade(t: DatagramTransport) { this.transport = t; }
 *   override datagramReceived(data: Uint8Array, addr: DatagramAddress) { this.transport!.sendto(data, addr); }
 * }
 */
export class DatagramProtocol {
  /**
   * The endpoint is ready: keep `transport` to send with.
   * @asyncio BaseProtocol.connection_made(transport)
   */
  connectionMade(transport: DatagramTransport): void {
    void transport;
  }

  /**
   * A datagram arrived from `addr`.
   * @asyncio DatagramProtocol.datagram_received(data, addr)
   */
  datagramReceived(data: Uint8Array, addr: DatagramAddress): void {
    void data;
    void addr;
  }

  /**
   * A send or receive failed (e.g. ConnectionRefusedError after an ICMP "port unreachable").
   * @asyncio DatagramProtocol.error_received(exc)
   */
  errorReceived(exc: unknown): void {
    void exc;
  }

  /**
   * The endpoint is closed: `exc` is null after `close()`, else the error that closed it.
   * @asyncio BaseProtocol.connection_lost(exc)
   */
  connectionLost(exc: unknown): void {
    void exc;
  }

  /**
   * asyncio calls these when the send buffer crosses its limits; Node's UDP sends are not queued
   * in user space, so they are never called (kept for asyncio's shape).
   * @asyncio BaseProtocol.pause_writing()
   */
  pauseWriting(): void {}

  /**
   * See `pauseWriting`.
   * @asyncio BaseProtocol.resume_writing()
   */
  resumeWriting(): void {}
}

/**
 * A UDP endpoint made by `createDatagramEndpoint`.
 * @asyncio asyncio.DatagramTransport
 * @example
 * const [transport] = yield* createDatagramEndpoint(() => new DatagramProtocol(), { remoteAddr: ['127.0.0.1', 9999] });
 * transport.sendto('ping');
 *
 * Fields:
 * - `_loop`, `_socket` (Node's dgram.Socket), `_protocol`
 * - `_address`    the remote address it is connected to, or null (then sendto needs an address)
 * - `_closing`    close()/abort() was called
 * - `_connLost`   asyncio's `_conn_lost`: 0 while open; then 1 + the sends dropped
 * - `_lost`       connectionLost was called
 */
export class DatagramTransport {
  readonly _loop: EventLoop;
  readonly _socket: dgram.Socket;
  readonly _protocol: DatagramProtocol;
  readonly _address: DatagramAddress | null;
  _closing: boolean;
  _connLost: number;
  _lost: boolean;
  private readonly _unregister: () => void;

  /** @internal Made by createDatagramEndpoint. */
  constructor(loop: EventLoop, socket: dgram.Socket, protocol: DatagramProtocol, address: DatagramAddress | null) {
    this._loop = loop;
    this._socket = socket;
    this._protocol = protocol;
    this._address = address;
    this._closing = false;
    this._connLost = 0;
    this._lost = false;
    const post = <A extends unknown[]>(fn: (...args: A) => void, ...args: A): void => {
      if (!loop.isClosed()) loop.callSoonThreadsafe(fn, ...args);
    };
    socket.on('message', (msg: Uint8Array, rinfo: dgram.RemoteInfo) => post(this._received, msg, [rinfo.address, rinfo.port] as DatagramAddress));
    socket.on('error', (error: unknown) => post(this._errorReceived, fromNodeError(error)));
    socket.on('close', () => post(this._connectionLost, null));
    this._unregister = atLoopShutdown(loop, () => this.abort());
  }

  private readonly _received = (data: Uint8Array, addr: DatagramAddress): void => {
    if (!this._lost) this._protocol.datagramReceived(data, addr);
  };

  private readonly _errorReceived = (exc: unknown): void => {
    if (!this._lost) this._protocol.errorReceived(exc);
  };

  private readonly _connectionLost = (exc: unknown): void => {
    if (this._lost) return;
    this._lost = true;
    if (this._connLost === 0) this._connLost = 1;
    this._unregister();
    this._protocol.connectionLost(exc);
  };

  /**
   * Sends one datagram, to `addr` or to the remote address the endpoint is connected to.
   * @asyncio DatagramTransport.sendto(data, addr=None)
   * @param data the bytes, or a string (UTF-8).
   * @param addr `[host, port]`; must be omitted (or equal) when connected to a `remoteAddr`.
   * @throws {RangeError} "Invalid address: must be null or [host, port]" on a connected endpoint.
   * @throws {RangeError} when neither `addr` nor a remote address is known.
   * @example
   * transport.sendto('hello', ['127.0.0.1', 9999]);
   */
  sendto(data: Uint8Array | string, addr: DatagramAddress | null = null): void {
    const bytes = toBytes(data, 'data');
    let target = addr;
    const remote = this._address;
    if (remote !== null) {
      if (target !== null && (target[0] !== remote[0] || target[1] !== remote[1])) {
        throw new RangeError(`Invalid address: must be null or ['${remote[0]}', ${remote[1]}]`);
      }
      target = null; // a connected socket sends to its peer
    } else if (target === null) {
      throw new RangeError('sendto() needs an address: this endpoint has no remoteAddr. Pass [host, port].');
    }
    if (this._connLost > 0 || this._closing) {
      // asyncio drops sends after the loss, logging from the fifth on.
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        this._loop.callExceptionHandler({ message: 'socket.send() raised exception.', transport: this });
      }
      this._connLost++;
      return;
    }
    const done = (error: Error | null): void => {
      if (error !== null && !this._loop.isClosed()) this._loop.callSoonThreadsafe(this._errorReceived, fromNodeError(error));
    };
    if (target === null) this._socket.send(bytes, done);
    else this._socket.send(bytes, target[1], target[0], done);
  }

  /**
   * Closes the endpoint; `connectionLost(null)` follows.
   * @asyncio DatagramTransport.close()
   */
  close(): void {
    if (this._closing) return;
    this._closing = true;
    this._connLost++;
    this._socket.close();
  }

  /**
   * Closes at once (UDP has nothing buffered to lose in user space: the same as close()).
   * @asyncio DatagramTransport.abort()
   */
  abort(): void {
    this.close();
  }

  /**
   * Whether close() was called or the endpoint is closed.
   * @asyncio BaseTransport.is_closing()
   */
  isClosing(): boolean {
    return this._closing || this._lost;
  }

  /**
   * Bytes queued in the kernel-bound send queue (Node's `getSendQueueSize()`).
   * @asyncio DatagramTransport.get_write_buffer_size()
   */
  getWriteBufferSize(): number {
    return this._lost ? 0 : this._socket.getSendQueueSize();
  }

  /**
   * `'sockname'` (`[host, port]`), `'peername'` (the remote address, or `defaultValue`), `'socket'`
   * (Node's dgram.Socket); `defaultValue` for anything else.
   * @asyncio BaseTransport.get_extra_info(name, default=None)
   */
  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    if (name === 'socket') return this._socket;
    if (name === 'peername') return this._address ?? defaultValue;
    if (name === 'sockname') {
      if (this._lost) return defaultValue;
      const { address, port } = this._socket.address();
      return [address, port];
    }
    return defaultValue;
  }

  toString(): string {
    return `<DatagramTransport${this._lost ? ' closed' : this._closing ? ' closing' : ''}${this._address !== null ? ` peer=${this._address[0]}:${this._address[1]}` : ''}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/** Options of `createDatagramEndpoint`. */
export interface DatagramEndpointOptions {
  /** Bind here: `[host, port]` (port 0: any free one). asyncio's `local_addr`. */
  localAddr?: DatagramAddress;
  /** Connect to this peer: `sendto(data)` sends there, and only its datagrams arrive. asyncio's `remote_addr`. */
  remoteAddr?: DatagramAddress;
  /** 4 or 6 (asyncio's AF_INET / AF_INET6); default from the addresses, else 4. */
  family?: 0 | 4 | 6;
  /** SO_REUSEPORT (Node >= 22.12 / 23.1). */
  reusePort?: boolean;
  /** SO_BROADCAST: allow sending to broadcast addresses. */
  allowBroadcast?: boolean;
}

// No reuseAddress: 3.13 removed reuse_address (SO_REUSEADDR on UDP lets another process steal
// the port), so it is an unexpected option here too.
const OPTION_NAMES: readonly string[] = ['localAddr', 'remoteAddr', 'family', 'reusePort', 'allowBroadcast'];

function checkAddress(value: unknown, name: string): DatagramAddress | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'number' || !Number.isInteger(value[1]) || value[1] < 0 || value[1] > 65535) {
    throw new TypeError(`Expected \`${name}\` to be [host, port], got ${describeValue(value)}`);
  }
  return [value[0], value[1]];
}

/**
 * Opens a UDP endpoint: binds (and connects, with `remoteAddr`) a socket, then calls the
 * protocol's `connectionMade(transport)` soon.
 * @asyncio loop.create_datagram_endpoint(protocol_factory, local_addr=None, remote_addr=None, *, family=0, reuse_port=None, allow_broadcast=None)
 * Differs from asyncio: a free function on the running loop; `family` is 4 or 6; addresses are arrays.
 * @param protocolFactory makes the protocol (a DatagramProtocol).
 * @param options `localAddr`, `remoteAddr`, `family`, `reusePort`, `allowBroadcast`.
 * @returns `[transport, protocol]`.
 * @throws {RangeError} for a bad family, or when `family` and the addresses disagree.
 * @throws {TypeError} for an option that does not exist (`reuseAddress` among them, as in 3.13).
 * @throws {OSError} when binding or connecting fails (e.g. `code: 'EADDRINUSE'`).
 * @example
 * const [transport, protocol] = yield* createDatagramEndpoint(() => new EchoClient(), { remoteAddr: ['127.0.0.1', 9999] });
 */
export function* createDatagramEndpoint<P extends DatagramProtocol>(protocolFactory: () => P, options: DatagramEndpointOptions = {}): Coroutine<[DatagramTransport, P]> {
  if (typeof protocolFactory !== 'function') throw new TypeError(`Expected \`protocolFactory\` to be a function returning a DatagramProtocol, got ${describeValue(protocolFactory)}`);
  if (options === null || typeof options !== 'object') throw new TypeError(`createDatagramEndpoint() expects an options object, got ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) throw new TypeError(`createDatagramEndpoint() got an unexpected option \`${key}\`. Its options are: ${OPTION_NAMES.join(', ')}.`);
  }
  const opts = options as Record<string, unknown>;
  const local = checkAddress(opts.localAddr, 'localAddr');
  const remote = checkAddress(opts.remoteAddr, 'remoteAddr');
  let family = opts.family ?? 0;
  if (family !== 0 && family !== 4 && family !== 6) throw new RangeError(`Expected \`family\` to be 0, 4 or 6, got ${describeValue(family)}`);
  const hosts = [local?.[0], remote?.[0]].filter((h): h is string => h !== undefined && isIP(h) !== 0);
  if (family === 0) family = hosts.some((h) => isIP(h) === 6) ? 6 : 4;
  for (const h of hosts) {
    if (isIP(h) !== family) throw new RangeError(`family ${family} does not fit the address '${h}'`);
  }
  const socketOptions: dgram.SocketOptions & { reusePort?: boolean } = { type: family === 6 ? 'udp6' : 'udp4' };
  if (opts.reusePort === true) {
    if (!nodeHasReusePort()) throw new RangeError(`reusePort needs Node >= 22.12 or 23.1 (this is ${process.version}, which would ignore it)`);
    socketOptions.reusePort = true;
  }
  const loop = getRunningLoop();
  const socket = dgram.createSocket(socketOptions);
  const ready: Future<void> = loop.createFuture<void>();
  const post = (fn: () => void): void => {
    if (!loop.isClosed()) loop.callSoonThreadsafe(fn);
  };
  const onError = (error: unknown): void => post(() => {
    if (!ready.done()) ready._setExceptionUnchecked(fromNodeError(error));
  });
  socket.once('error', onError);
  const connect = (): void => {
    if (remote === null) post(() => { if (!ready.done()) ready.setResult(); });
    else socket.connect(remote[1], remote[0], () => post(() => { if (!ready.done()) ready.setResult(); }));
  };
  if (local !== null) socket.bind({ port: local[1], address: local[0] }, connect);
  else if (remote !== null) connect(); // connect() binds an ephemeral port
  else socket.bind({ port: 0 }, connect);
  try {
    yield* ready;
  } catch (error) {
    try {
      socket.close(); // cancelled, or the bind/connect failed
    } catch {
      // a socket whose bind failed is closed already
    }
    throw error;
  } finally {
    socket.off('error', onError);
  }
  if (opts.allowBroadcast === true) socket.setBroadcast(true);
  const protocol = protocolFactory();
  const transport = new DatagramTransport(loop, socket, protocol, remote);
  loop.callSoon(() => protocol.connectionMade(transport));
  return [transport, protocol];
}
