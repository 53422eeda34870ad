/**
 * Servers: a listening socket whose connections each drive a protocol (a StreamReaderProtocol
 * for startServer: a StreamReader / StreamWriter pair).
 * @asyncio asyncio.base_events.Server
 *
 * Design notes
 * - Node binds and listens in one step, so `startServing: false` binds nothing until
 *   `startServing()` / `serveForever()`.
 * - `waitClosed()` has 3.12.1's meaning: it returns once the server is closed and every
 *   connection it accepted has ended.
 * - A server still listening when `run()` shuts the loop down is closed and its clients aborted.
 * @module
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { CancelledError, RuntimeError } from '../exceptions.ts';
import { sleep } from '../tasks.ts';
import { atLoopShutdown } from './loop-shutdown.ts';
import { fromNodeError } from './errors.ts';
import { settleOk, type StreamTransport } from './transports.ts';
import { serverOptions, type SSLContext } from './tls.ts';
import type { StreamProtocol } from './protocols.ts';
import type { EventLoop } from '../base-events.ts';
import type { Future } from '../futures.ts';
import type { Coroutine } from '../types.ts';

/** @internal A TLS server's settings: its context and asyncio's two timeouts (ms). */
export interface ServerTls {
  context: SSLContext;
  handshakeTimeout: number;
  shutdownTimeout: number;
}

/** @internal The transport class of a server's connections (StreamTransport for streams, SocketTransport for protocols). */
export type TransportClass = new (loop: EventLoop, socket: net.Socket, protocol: StreamProtocol) => StreamTransport;

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
 * - `_loop`, `_netServer`, `_listen` (Node's listen options)
 * - `_protocolFactory` makes each connection's protocol; `_Transport` its transport's class
 * - `_listening`     Node's server is listening (false before startServing, and after close)
 * - `_closed`        close() was called (asyncio's `_sockets is None`)
 * - `_serving`       accepting connections
 * - `_clients`       the open connections it accepted
 * - `_waiters`       waitClosed() futures, or null once closed with no connection left
 * - `_servingForever` the future serveForever() awaits, or null
 * - `_unixPath`      the socket path of a Unix server, else null
 * - `_listenPending` a listen() is waiting for 'listening' (its error goes to that caller)
 */
export class Server {
  readonly _loop: EventLoop;
  readonly _netServer: net.Server;
  readonly _listen: net.ListenOptions;
  _listening: boolean;
  _closed: boolean;
  _serving: boolean;
  _clients: Set<StreamTransport>;
  _waiters: Future<void>[] | null;
  _servingForever: Future<void> | null;
  _unixPath: string | null;
  _listenPending: boolean;
  private readonly _ssl: ServerTls | null;
  private readonly _protocolFactory: () => StreamProtocol;
  private readonly _Transport: TransportClass;
  private readonly _accept: (socket: net.Socket) => void;

  /** @internal Made by startServer / startUnixServer / createServer / createUnixServer. */
  constructor(loop: EventLoop, protocolFactory: () => StreamProtocol, Transport: TransportClass, listen: net.ListenOptions, unixPath: string | null, keepAlive = false, ssl: ServerTls | null = null) {
    this._loop = loop;
    this._protocolFactory = protocolFactory;
    this._Transport = Transport;
    this._ssl = ssl;
    const netOptions = { allowHalfOpen: true, noDelay: unixPath === null, keepAlive };
    this._netServer = ssl === null
      ? net.createServer(netOptions)
      : tls.createServer({ ...netOptions, ...serverOptions(ssl.context), handshakeTimeout: ssl.handshakeTimeout });
    this._listen = listen;
    this._listening = false;
    this._closed = false;
    this._serving = false;
    this._clients = new Set();
    this._waiters = [];
    this._servingForever = null;
    this._unixPath = unixPath;
    this._listenPending = false;
    this._accept = (socket) => this._connectionMade(socket);
    // A TLS server hands over connections once their handshake is done.
    this._netServer.on(ssl === null ? 'connection' : 'secureConnection', (socket: net.Socket) => {
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

  /** asyncio's _accept_connection2: a protocol and its transport per connection. */
  private _connectionMade(socket: net.Socket): void {
    if (this._closed) {
      socket.destroy();
      return;
    }
    let protocol: StreamProtocol;
    try {
      protocol = this._protocolFactory();
    } catch (error) {
      socket.destroy();
      this._loop.callExceptionHandler({ message: 'Error on transport creation for incoming connection', exception: error, server: this });
      return;
    }
    const transport = new this._Transport(this._loop, socket, protocol);
    transport._server = this;
    transport._unixPath = this._unixPath;
    if (this._ssl !== null) {
      transport._ssl = this._ssl.context;
      transport._shutdownTimeout = this._ssl.shutdownTimeout;
    }
    this._clients.add(transport);
    transport._made();
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
