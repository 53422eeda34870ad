/**
 * Streams: TCP and Unix-socket connections and servers as a StreamReader / StreamWriter pair.
 * @asyncio asyncio.streams (StreamWriter, open_connection, start_server, ...)
 *
 * Design notes
 * - Layout, as asyncio splits it: the reader is stream-reader.ts (no `node:` import), the
 *   StreamReaderProtocol and the writer stream-protocol.ts (streams.py), the transport under
 *   them transports.ts (selector_events.py), the Server servers.ts (base_events.Server), the
 *   errors errors.ts; this module holds the functions.
 * - One I/O path, as asyncio's: `openConnection` is `createConnection(() => new
 *   StreamReaderProtocol(reader))` and `startServer` is `createServer(() => new
 *   StreamReaderProtocol(new StreamReader(limit), clientConnected))`.
 * - Bytes: every read returns a `Uint8Array` (a Node Buffer at run time), as asyncio returns
 *   `bytes`; `readline()` too. Decode with `new TextDecoder().decode(line)` or `Buffer.from(line)
 *   .toString()`. `write()` takes a `Uint8Array` or, unlike asyncio, a string (written as UTF-8).
 * - `openConnection()` is a lazy coroutine, as asyncio's: its arguments are checked at the call;
 *   the loop lookup and the connect wait until it is awaited. TCP_NODELAY is set, as asyncio sets it.
 * @module
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as dns from 'node:dns';
import { lstatSync, unlinkSync } from 'node:fs';
import { getRunningLoop } from '../events.ts';
import { describeValue } from '../internal/repr.ts';
import { checkCallback, functionKind } from '../internal/validate.ts';
import { DEFAULT_LIMIT, StreamReader, checkLimit } from './stream-reader.ts';
import { SocketTransport, StreamTransport } from './transports.ts';
import { checkSsl, clientOptions, serverOptions, type SSLContext } from './tls.ts';
import { OSError, fromNodeError } from './errors.ts';
import { Server, ServerSocket, type ServerTls } from './servers.ts';
import { StreamReaderProtocol, StreamWriter, checkOptions, checkString, tlsSetup, waitConnected, type ClientConnected, type TlsSetup } from './stream-protocol.ts';
import type { StreamProtocol } from './protocols.ts';
import type { EventLoop } from '../base-events.ts';
import type { Coroutine } from '../types.ts';

export { StreamReader, StreamWriter, StreamReaderProtocol, StreamTransport, Server, ServerSocket };
export type { ClientConnected, StartTlsOptions } from './stream-protocol.ts';

// ------------------------------------------------------------------------------------ connections

/** Options of `openConnection`. */
export interface OpenConnectionOptions {
  /** The host to connect to. Default `'localhost'`. */
  host?: string;
  /** The TCP port (not with `sock`). */
  port?: number;
  /** A connected `net.Socket` to use instead of connecting (not with `host` / `port`): asyncio's `sock`, e.g. one a Node server accepted. */
  sock?: net.Socket;
  /** The reader's buffer limit in bytes (default 64 KiB). */
  limit?: number;
  /** Bind the socket here first: `[host, port]` (port 0: any). asyncio's `local_addr`. */
  localAddr?: readonly [string, number];
  /** The address family to resolve `host` to: 0 (either, the default), 4 or 6 (asyncio's AF_UNSPEC / AF_INET / AF_INET6). */
  family?: 0 | 4 | 6;
  /** Happy Eyeballs (RFC 8305): the ms to wait for one address before also trying the next (Node's minimum is 10). */
  happyEyeballsDelay?: number;
  /** How addresses are reordered by family: only 1 (one of each in turn, Node's only order) is possible. */
  interleave?: 1;
  /** Turn on TCP keep-alive probes (SO_KEEPALIVE). */
  keepAlive?: boolean;
  /** TLS: `true` for the default verifying context (asyncio's `ssl=True`), or an SSLContext. */
  ssl?: boolean | SSLContext;
  /** The name the server's certificate must match, and the SNI sent (default: `host`). Needs `ssl`. */
  serverHostname?: string;
  /** ms the TLS handshake may take before the connection is aborted (default 60 000). Needs `ssl`. */
  sslHandshakeTimeout?: number;
  /** ms a closing TLS connection may take to flush before it is aborted (default 30 000). Needs `ssl`. */
  sslShutdownTimeout?: number;
}

const OPEN_CONNECTION_OPTIONS: readonly string[] = [
  'host', 'port', 'limit', 'localAddr', 'family', 'happyEyeballsDelay', 'interleave', 'keepAlive',
  'ssl', 'serverHostname', 'sslHandshakeTimeout', 'sslShutdownTimeout',
  'sock',
];
const TLS_OPTIONS: readonly string[] = ['ssl', 'sslHandshakeTimeout', 'sslShutdownTimeout'];
const OPEN_UNIX_CONNECTION_OPTIONS: readonly string[] = ['path', 'limit', 'serverHostname', ...TLS_OPTIONS];
const CREATE_UNIX_CONNECTION_OPTIONS: readonly string[] = ['path', 'serverHostname', ...TLS_OPTIONS];
const CONNECT_ACCEPTED_SOCKET_OPTIONS: readonly string[] = TLS_OPTIONS;
const START_SERVER_OPTIONS: readonly string[] = [
  'host', 'port', 'limit', 'backlog', 'startServing', 'reuseAddress', 'reusePort', 'keepAlive',
  'ssl', 'sslHandshakeTimeout', 'sslShutdownTimeout',
  'family',
];
const START_UNIX_SERVER_OPTIONS: readonly string[] = ['path', 'limit', 'backlog', 'startServing', ...TLS_OPTIONS];
const CREATE_CONNECTION_OPTIONS: readonly string[] = OPEN_CONNECTION_OPTIONS.filter((o) => o !== 'limit');
const CREATE_SERVER_OPTIONS: readonly string[] = START_SERVER_OPTIONS.filter((o) => o !== 'limit');
const CREATE_UNIX_SERVER_OPTIONS: readonly string[] = ['path', 'backlog', 'startServing', ...TLS_OPTIONS];

/** Options of `createUnixConnection`: openUnixConnection's, without `limit`. */
export type CreateUnixConnectionOptions = Omit<OpenUnixConnectionOptions, 'limit'>;
/** Options of `createUnixServer`: startUnixServer's, without `limit`. */
export type CreateUnixServerOptions = Omit<StartUnixServerOptions, 'limit'>;

/** Options of `connectAcceptedSocket`. */
export interface ConnectAcceptedSocketOptions {
  /** TLS, this side as the server: a server SSLContext (`createSslContext({ server: true, cert, key })`). */
  ssl?: SSLContext;
  /** ms the TLS handshake may take (default 60 000). Needs `ssl`. */
  sslHandshakeTimeout?: number;
  /** ms a closing TLS connection may take to flush (default 30 000). Needs `ssl`. */
  sslShutdownTimeout?: number;
}

/** Options of `createConnection`: openConnection's, without `limit` (there is no reader). */
export type CreateConnectionOptions = Omit<OpenConnectionOptions, 'limit'>;
/** Options of `createServer`: startServer's, without `limit`. */
export type CreateServerOptions = Omit<StartServerOptions, 'limit'>;

/** Options of `openUnixConnection`. */
export interface OpenUnixConnectionOptions {
  /** The Unix socket's path. */
  path: string;
  /** The reader's buffer limit in bytes (default 64 KiB). */
  limit?: number;
  /** TLS over the Unix socket: `true` (the default verifying context) or an SSLContext. Needs `serverHostname`. */
  ssl?: boolean | SSLContext;
  /** The name the server's certificate must match (required with `ssl`: a path names no host, as asyncio says). */
  serverHostname?: string;
  /** ms the TLS handshake may take (default 60 000). Needs `ssl`. */
  sslHandshakeTimeout?: number;
  /** ms a closing TLS connection may take to flush (default 30 000). Needs `ssl`. */
  sslShutdownTimeout?: number;
}

function checkBoolean(value: unknown, name: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new TypeError(`Expected \`${name}\` to be a boolean, got ${describeValue(value)}`);
  return value;
}

/** @internal asyncio's create_connection address options, mapped onto Node's net.connect options. */
export function connectOptions(opts: Record<string, unknown>, host: string, port: number): net.TcpNetConnectOpts {
  const connect: net.TcpNetConnectOpts = { host, port, allowHalfOpen: true, noDelay: true };
  const local = opts.localAddr;
  if (local !== undefined) {
    if (!Array.isArray(local) || local.length !== 2 || typeof local[0] !== 'string' || typeof local[1] !== 'number') {
      throw new TypeError(`Expected \`localAddr\` to be [host, port], got ${describeValue(local)}`);
    }
    connect.localAddress = local[0] as string;
    const localPort = checkPort(local[1], 0);
    if (localPort !== 0) connect.localPort = localPort;
  }
  const family = checkFamily(opts.family);
  if (opts.family !== undefined) connect.family = family;
  const delay = opts.happyEyeballsDelay;
  if (delay !== undefined) {
    if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) {
      throw new RangeError(`Expected \`happyEyeballsDelay\` to be a finite number of milliseconds >= 0, got ${describeValue(delay)}`);
    }
    connect.autoSelectFamily = true;
    connect.autoSelectFamilyAttemptTimeout = Math.max(10, delay);
  }
  if (opts.interleave !== undefined && opts.interleave !== 1) {
    throw new RangeError(`Expected \`interleave\` to be 1, got ${describeValue(opts.interleave)}: Node's Happy Eyeballs alternates the families one address at a time, and has no other order.`);
  }
  if (checkBoolean(opts.keepAlive, 'keepAlive') === true) connect.keepAlive = true;
  return connect;
}

function checkFamily(family: unknown): 0 | 4 | 6 {
  if (family === undefined) return 0;
  if (family !== 0 && family !== 4 && family !== 6) throw new RangeError(`Expected \`family\` to be 0, 4 or 6, got ${describeValue(family)}`);
  return family;
}

/**
 * The address to listen on for `host` in `family` (asyncio's getaddrinfo(host, family=...)): an
 * IP of that family as it is, a name looked up (Node's dns.lookup, off the loop).
 */
function* resolveHost(host: string, family: 4 | 6): Coroutine<string> {
  const literal = net.isIP(host);
  if (literal !== 0) {
    if (literal === family) return host;
    throw new OSError(`[Errno -9] Address family for hostname not supported (${host} is not an IPv${family} address)`, { code: 'EAI_ADDRFAMILY', errno: -9 });
  }
  const loop = getRunningLoop();
  const waiter = loop.createFuture<string>();
  dns.lookup(host, { family }, (error, address) => {
    if (loop.isClosed()) return;
    loop.callSoonThreadsafe(() => {
      if (waiter.done()) return;
      if (error !== null) waiter._setExceptionUnchecked(fromNodeError(error));
      else waiter.setResult(address);
    });
  });
  return yield* waiter;
}

function checkPort(port: unknown, min: number): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < min || port > 65535) {
    throw new (typeof port === 'number' ? RangeError : TypeError)(`Expected \`port\` to be an integer in [${min}, 65535], got ${describeValue(port)}`);
  }
  return port;
}

/** openConnection and openUnixConnection: createConnection with a StreamReaderProtocol, as asyncio's. */
function* connect(open: () => net.Socket, limit: number, unixPath: string | null, secure: TlsSetup | null = null): Coroutine<[StreamReader, StreamWriter]> {
  const reader = new StreamReader(limit);
  const [transport, protocol] = yield* connectProtocol(open, () => new StreamReaderProtocol(reader), unixPath, secure, StreamTransport);
  return [reader, new StreamWriter(transport, reader, protocol)];
}

/** The `sock` of openConnection / createConnection, alone (asyncio's ValueErrors), and its TLS settings (a client). */
function sockSetup(opts: Record<string, unknown>, fn: string): [net.Socket, TlsSetup | null] {
  if (opts.host !== undefined || opts.port !== undefined) throw new RangeError('host/port and sock can not be specified at the same time');
  for (const name of ['localAddr', 'family', 'happyEyeballsDelay', 'interleave', 'keepAlive']) {
    if (opts[name] !== undefined) throw new RangeError(`${fn}(): \`${name}\` has no meaning with \`sock\` (the socket is connected already)`);
  }
  const sock = checkSock(opts.sock, fn);
  const ssl = checkSsl(opts.ssl);
  if (ssl !== null && opts.serverHostname === undefined) throw new RangeError('You must set server_hostname when using ssl without a host');
  return [sock, tlsSetup(opts, ssl, null)];
}

/** asyncio's check of a `sock` argument: a connected stream socket, not yet TLS. */
function checkSock(sock: unknown, fn: string): net.Socket {
  if (!(sock instanceof net.Socket) || sock instanceof tls.TLSSocket) {
    throw new TypeError(`A Stream Socket was expected, got ${describeValue(sock)}: ${fn}() takes a connected net.Socket (not a TLSSocket: pass \`ssl\` to have it upgraded).`);
  }
  if (sock.destroyed || sock.connecting || sock.readyState === 'closed') {
    throw new RangeError(`${fn}() needs a connected socket, got one that is ${sock.destroyed ? 'destroyed' : sock.connecting ? 'still connecting (wait for its \'connect\' event)' : 'closed'}`);
  }
  return sock;
}

/**
 * A socket connected elsewhere, driving a protocol: the transport takes it as it is (its
 * 'connect' came already); with `secure`, TLS is set up over it first, as startTls does, this
 * side the server when `serverSide`.
 */
function* adoptSocket<P extends StreamProtocol, T extends StreamTransport>(sock: net.Socket, factory: () => P, secure: TlsSetup | null, serverSide: boolean, Transport: new (loop: EventLoop, socket: net.Socket, protocol: P) => T): Coroutine<[T, P]> {
  const loop = getRunningLoop();
  // Half-close is the protocol's choice (eofReceived), as on the sockets we make; TCP_NODELAY as asyncio sets it.
  sock.allowHalfOpen = true;
  const unix = sock.remoteAddress === undefined;
  if (!unix) sock.setNoDelay(true);
  const protocol = factory();
  const transport = new Transport(loop, sock, protocol);
  if (unix) transport._unixPath = ''; // the path of a socket accepted elsewhere is not known
  // A socket another server paused (http's upgrade does) reads again: the protocol's flow control rules now.
  sock.resume();
  if (secure === null) {
    transport._made();
    return [transport, protocol];
  }
  const upgraded = serverSide
    ? new tls.TLSSocket(sock, { ...serverOptions(secure.context), isServer: true })
    : tls.connect({ socket: sock, ...clientOptions(secure.context, secure.serverHostname) });
  transport._upgrade(upgraded, serverSide);
  yield* waitConnected(loop, transport, secure);
  return [transport, protocol];
}

/**
 * Opens a TCP connection and returns its reader and writer.
 * @asyncio asyncio.open_connection(host=None, port=None, *, limit=_DEFAULT_LIMIT, family=0, local_addr=None, happy_eyeballs_delay=None, interleave=None)
 * Differs from asyncio: `family` is 4 or 6 (Node's words for AF_INET / AF_INET6); `keepAlive`
 * is ours (asyncio sets SO_KEEPALIVE by hand); nothing is looked up or connected until awaited.
 * @param options `host` (default 'localhost'), `port`, `limit` (bytes), `localAddr`, `family`,
 *   `happyEyeballsDelay` (ms), `interleave`, `keepAlive`; or `sock`, a socket connected (or
 *   accepted) elsewhere, instead of `host` / `port` (asyncio's `sock`); `ssl` and its options.
 * @returns `[reader, writer]`.
 * @throws {ConnectionRefusedError} (and the other OSErrors of errors.ts) when the connection fails.
 * @throws {TypeError} for an option that does not exist.
 * @throws {TypeError} / {RangeError} for a bad `host` or `port`.
 * @example
 * const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: 8888 });
 * writer.write('ping\n');
 * const reply = yield* reader.readline();
 */
export function openConnection(options: OpenConnectionOptions): Coroutine<[StreamReader, StreamWriter]> {
  const opts = checkOptions(options, 'openConnection', OPEN_CONNECTION_OPTIONS);
  const limit = checkLimit(opts.limit ?? DEFAULT_LIMIT);
  if (opts.sock !== undefined) {
    const [sock, secure] = sockSetup(opts, 'openConnection');
    return (function* (): Coroutine<[StreamReader, StreamWriter]> {
      const reader = new StreamReader(limit);
      const [transport, protocol] = yield* adoptSocket(sock, () => new StreamReaderProtocol(reader), secure, false, StreamTransport);
      return [reader, new StreamWriter(transport, reader, protocol)];
    })();
  }
  const host = opts.host === undefined ? 'localhost' : checkString(opts.host, 'host');
  const port = checkPort(opts.port, 1);
  const connectOpts = connectOptions(opts, host, port);
  const secure = tlsSetup(opts, checkSsl(opts.ssl), host);
  // Arguments are checked at the call; the loop lookup and the connect wait for the first step
  // (asyncio's open_connection is a coroutine: nothing happens until it is awaited).
  if (secure === null) return connect(() => net.connect(connectOpts), limit, null);
  const open = (): net.Socket => {
    const socket = tls.connect({ ...connectOpts, ...clientOptions(secure.context, secure.serverHostname) });
    socket.setNoDelay(true);
    return socket;
  };
  return connect(open, limit, null, secure);
}

/**
 * Opens a Unix-socket connection and returns its reader and writer.
 * @asyncio asyncio.open_unix_connection(path=None, *, limit=_DEFAULT_LIMIT, ssl=None, server_hostname=None, ssl_handshake_timeout=None, ssl_shutdown_timeout=None)
 * @param options `path`, `limit` (bytes); TLS over the socket with `ssl` and `serverHostname`
 *   (required with `ssl`, as asyncio), `sslHandshakeTimeout`, `sslShutdownTimeout`.
 * @throws {RangeError} "you have to pass server_hostname when using ssl".
 * @returns `[reader, writer]`.
 * @throws {FileNotFoundError} / {ConnectionRefusedError} (OSErrors of errors.ts) when the connection fails.
 * @example
 * const [reader, writer] = yield* openUnixConnection({ path: '/tmp/app.sock' });
 */
export function openUnixConnection(options: OpenUnixConnectionOptions): Coroutine<[StreamReader, StreamWriter]> {
  const opts = checkOptions(options, 'openUnixConnection', OPEN_UNIX_CONNECTION_OPTIONS);
  const path = checkString(opts.path, 'path');
  const limit = checkLimit(opts.limit ?? DEFAULT_LIMIT);
  const secure = unixTlsSetup(opts);
  return connect(unixOpener(path, secure), limit, path, secure);
}

/** The TLS settings of a Unix connection: asyncio wants `server_hostname` (a path names no host). */
function unixTlsSetup(opts: Record<string, unknown>): TlsSetup | null {
  const ssl = checkSsl(opts.ssl);
  if (ssl !== null && opts.serverHostname === undefined) throw new RangeError('you have to pass server_hostname when using ssl');
  return tlsSetup(opts, ssl, null);
}

/** Connects to a Unix socket, through TLS with `secure`. */
function unixOpener(path: string, secure: TlsSetup | null): () => net.Socket {
  const connectOpts: net.IpcNetConnectOpts = { path, allowHalfOpen: true };
  if (secure === null) return () => net.connect(connectOpts);
  return () => tls.connect({ ...connectOpts, ...clientOptions(secure.context, secure.serverHostname) });
}

// ------------------------------------------------------------------------------------ servers

/** Options of `startServer`. */
export interface StartServerOptions {
  /** The address to listen on, e.g. `'127.0.0.1'`. Default: every interface (asyncio's None). */
  host?: string;
  /** The TCP port; 0 picks a free one (read it from `server.sockets[0].getsockname()`). */
  port: number;
  /** The address family: 0 (any, the default), 4 or 6 (asyncio's AF_INET / AF_INET6). 6 listens on IPv6 only (IPV6_V6ONLY, as asyncio). */
  family?: 0 | 4 | 6;
  /** Each connection's reader limit in bytes (default 64 KiB). */
  limit?: number;
  /** The listen backlog (default 100, asyncio's). */
  backlog?: number;
  /** Start listening at once (default true); else call `startServing()` or `serveForever()`. */
  startServing?: boolean;
  /** SO_REUSEADDR: always on with Node on Unix (asyncio's default there); `false` is refused. */
  reuseAddress?: boolean;
  /** SO_REUSEPORT: several servers share the port (Node >= 22.12 / 23.1, Linux and the BSDs). */
  reusePort?: boolean;
  /** Turn on TCP keep-alive probes on every accepted connection (3.13 `keep_alive`). */
  keepAlive?: boolean;
  /** TLS: a server SSLContext (`createSslContext({ server: true, cert, key })`). */
  ssl?: SSLContext;
  /** ms a client's TLS handshake may take before it is dropped (default 60 000). Needs `ssl`. */
  sslHandshakeTimeout?: number;
  /** ms a closing TLS connection may take to flush (default 30 000). Needs `ssl`. */
  sslShutdownTimeout?: number;
}

/** Options of `startUnixServer`. */
export interface StartUnixServerOptions {
  /** The socket's path. A stale socket file there is removed first, as asyncio does. */
  path: string;
  /** Each connection's reader limit in bytes (default 64 KiB). */
  limit?: number;
  /** The listen backlog (default 100, asyncio's). */
  backlog?: number;
  /** Start listening at once (default true). */
  startServing?: boolean;
  /** TLS over the Unix socket: a server SSLContext (`createSslContext({ server: true, cert, key })`). */
  ssl?: SSLContext;
  /** ms a client's TLS handshake may take before it is dropped (default 60 000). Needs `ssl`. */
  sslHandshakeTimeout?: number;
  /** ms a closing TLS connection may take to flush (default 30 000). Needs `ssl`. */
  sslShutdownTimeout?: number;
}

/** asyncio's default backlog is 100 (Node's would be 511). */
function checkBacklog(backlog: unknown): number {
  if (backlog === undefined) return 100;
  if (typeof backlog !== 'number' || !Number.isInteger(backlog) || backlog < 0) {
    throw new (typeof backlog === 'number' ? RangeError : TypeError)(`Expected \`backlog\` to be an integer >= 0, got ${describeValue(backlog)}`);
  }
  return backlog;
}

/** @internal Node added `reusePort` (listen(), dgram) in 23.1.0 and 22.12.0; older versions ignore it. */
export function nodeHasReusePort(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
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
 * @asyncio asyncio.start_server(client_connected_cb, host=None, port=None, *, limit=_DEFAULT_LIMIT, family=socket.AF_UNSPEC, backlog=100, ssl=None, reuse_address=None, reuse_port=None, keep_alive=None, start_serving=True)
 * @param clientConnected called with each connection's reader and writer.
 * @param options `host`, `port` (0: any free port), `family` (4 or 6: listen on that family
 *   only; with `host` a name, the first address of that family), `limit`, `backlog` (default
 *   100), `startServing`, `reuseAddress`, `reusePort`, `keepAlive`, `ssl`.
 * @returns the Server, listening (unless `startServing: false`).
 * @throws {OSError} when it cannot listen (e.g. `code: 'EADDRINUSE'`).
 * @throws {RangeError} for `reusePort` on a Node that would ignore it, `reuseAddress: false`.
 * @throws {OSError} "[Errno -9] Address family for hostname not supported" for a `host` of the other `family`.
 * @throws {TypeError} for an option that does not exist.
 * @example
 * const server = yield* startServer(function* (reader, writer) {
 *   writer.write(yield* reader.readline());
 *   writer.close();
 * }, { host: '127.0.0.1', port: 0 });
 * const [, port] = server.sockets[0]!.getsockname() as [string, number];
 */
export function* startServer(clientConnected: ClientConnected, options: StartServerOptions): Coroutine<Server> {
  const cb = checkClientConnected(clientConnected);
  return yield* tcpServer('startServer', options, cb, null);
}

/** startServer and createServer: a client callback or a protocol factory. */
function* tcpServer(fn: string, options: unknown, cb: ClientConnected | null, protocolFactory: (() => StreamProtocol) | null): Coroutine<Server> {
  const opts = checkOptions(options, fn, protocolFactory === null ? START_SERVER_OPTIONS : CREATE_SERVER_OPTIONS);
  const port = checkPort(opts.port, 0);
  const limit = checkLimit(opts.limit ?? DEFAULT_LIMIT);
  const listen: net.ListenOptions = { port, backlog: checkBacklog(opts.backlog) };
  if (opts.host !== undefined) listen.host = checkString(opts.host, 'host');
  const family = checkFamily(opts.family);
  checkBoolean(opts.startServing, 'startServing');
  if (checkBoolean(opts.reuseAddress, 'reuseAddress') === false) {
    throw new RangeError('reuseAddress: false is not possible: Node always sets SO_REUSEADDR on Unix (asyncio\'s default there).');
  }
  if (checkBoolean(opts.reusePort, 'reusePort') === true) {
    if (!nodeHasReusePort()) throw new RangeError(`reusePort needs Node >= 22.12 or 23.1 (this is ${process.version}, which would ignore it)`);
    (listen as net.ListenOptions & { reusePort?: boolean }).reusePort = true;
  }
  const keepAlive = checkBoolean(opts.keepAlive, 'keepAlive') === true;
  const serverTls = serverTlsSetup(opts, fn);
  if (family !== 0) {
    // asyncio binds what getaddrinfo(host, family) gives; Node binds one address: the first.
    listen.host = yield* resolveHost(listen.host ?? (family === 4 ? '0.0.0.0' : '::'), family);
    if (family === 6) listen.ipv6Only = true;
  }
  const server = new Server(getRunningLoop(), serverFactory(cb, limit, protocolFactory), protocolFactory === null ? StreamTransport : SocketTransport, listen, null, keepAlive, serverTls);
  if (opts.startServing !== false) yield* server._startListening();
  return server;
}

/**
 * Starts a Unix-socket server (see `startServer`). A stale socket file at `path` is removed first.
 * @asyncio asyncio.start_unix_server(client_connected_cb, path=None, *, limit=_DEFAULT_LIMIT, backlog=100, ssl=None, ssl_handshake_timeout=None, ssl_shutdown_timeout=None, start_serving=True)
 * @param clientConnected called with each connection's reader and writer.
 * @param options `path`, `limit`, `backlog`, `startServing`; `ssl` (a server SSLContext: TLS over
 *   the Unix socket), `sslHandshakeTimeout`, `sslShutdownTimeout`.
 * @returns the Server.
 * @throws {OSError} when it cannot listen (`code: 'EADDRINUSE'` if a file that is not a socket is at `path`).
 * @example
 * const server = yield* startUnixServer(handle, { path: '/tmp/app.sock' });
 */
export function* startUnixServer(clientConnected: ClientConnected, options: StartUnixServerOptions): Coroutine<Server> {
  const cb = checkClientConnected(clientConnected);
  return yield* unixServer('startUnixServer', options, cb, null);
}

/** The ssl options of a server: a server SSLContext and asyncio's timeouts. */
function serverTlsSetup(opts: Record<string, unknown>, fn: string): ServerTls | null {
  const ssl = checkSsl(opts.ssl);
  if (ssl !== null && !ssl.server) throw new RangeError(`${fn}() needs a server SSLContext: createSslContext({ server: true, cert, key }).`);
  const secure = tlsSetup(opts, ssl, null);
  return secure === null ? null : { context: secure.context, handshakeTimeout: secure.handshakeTimeout, shutdownTimeout: secure.shutdownTimeout };
}

/** start_server's protocol factory (a StreamReaderProtocol per connection), or create_server's own. */
function serverFactory(cb: ClientConnected | null, limit: number, protocolFactory: (() => StreamProtocol) | null): () => StreamProtocol {
  return protocolFactory ?? (() => new StreamReaderProtocol(new StreamReader(limit), cb));
}

/** startUnixServer and createUnixServer. */
function* unixServer(fn: string, options: unknown, cb: ClientConnected | null, protocolFactory: (() => StreamProtocol) | null): Coroutine<Server> {
  const opts = checkOptions(options, fn, protocolFactory === null ? START_UNIX_SERVER_OPTIONS : CREATE_UNIX_SERVER_OPTIONS);
  const path = checkString(opts.path, 'path');
  const limit = checkLimit(opts.limit ?? DEFAULT_LIMIT);
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  const listen: net.ListenOptions = { path, backlog: checkBacklog(opts.backlog) };
  checkBoolean(opts.startServing, 'startServing');
  const serverTls = serverTlsSetup(opts, fn);
  const server = new Server(getRunningLoop(), serverFactory(cb, limit, protocolFactory), protocolFactory === null ? StreamTransport : SocketTransport, listen, path, false, serverTls);
  if (opts.startServing !== false) yield* server._startListening();
  return server;
}

// ------------------------------------------------------------------------------------ protocols

function checkFactory(factory: unknown, fn: string): () => StreamProtocol {
  if (typeof factory !== 'function') throw new TypeError(`${fn}() expects a protocol factory (a function returning a Protocol), got ${describeValue(factory)}`);
  return factory as () => StreamProtocol;
}

/** createConnection and the streams' connect: the transport (of class `Transport`) once connected. */
function* connectProtocol<P extends StreamProtocol, T extends StreamTransport>(open: () => net.Socket, factory: () => P, unixPath: string | null, secure: TlsSetup | null, Transport: new (loop: EventLoop, socket: net.Socket, protocol: P) => T): Coroutine<[T, P]> {
  const loop = getRunningLoop();
  const protocol = factory();
  const transport = new Transport(loop, open(), protocol);
  transport._unixPath = unixPath;
  yield* waitConnected(loop, transport, secure);
  return [transport, protocol];
}

/**
 * Opens a TCP connection driving a protocol made by `protocolFactory`.
 * @asyncio loop.create_connection(protocol_factory, host=None, port=None, *, ssl=None, family=0, local_addr=None, server_hostname=None, ssl_handshake_timeout=None, ssl_shutdown_timeout=None, happy_eyeballs_delay=None, interleave=None)
 * Differs from asyncio: a free function on the running loop (the core loop has no `node:` import).
 * @param protocolFactory makes the Protocol (or BufferedProtocol).
 * @param options as openConnection's, without `limit`.
 * @returns `[transport, protocol]`, once connected (and `connectionMade` was called).
 * @throws {ConnectionRefusedError} (and the other OSErrors of errors.ts) when the connection fails.
 * @example
 * const [transport, protocol] = yield* createConnection(() => new EchoClient(), { host: '127.0.0.1', port });
 */
export function createConnection<P extends StreamProtocol>(protocolFactory: () => P, options: CreateConnectionOptions): Coroutine<[SocketTransport, P]> {
  const factory = checkFactory(protocolFactory, 'createConnection') as () => P;
  const opts = checkOptions(options, 'createConnection', CREATE_CONNECTION_OPTIONS);
  if (opts.sock !== undefined) {
    const [sock, secure] = sockSetup(opts, 'createConnection');
    return adoptSocket(sock, factory, secure, false, SocketTransport);
  }
  const host = opts.host === undefined ? 'localhost' : checkString(opts.host, 'host');
  const port = checkPort(opts.port, 1);
  const connectOpts = connectOptions(opts, host, port);
  const secure = tlsSetup(opts, checkSsl(opts.ssl), host);
  if (secure === null) return connectProtocol(() => net.connect(connectOpts), factory, null, null, SocketTransport);
  return connectProtocol(() => {
    const socket = tls.connect({ ...connectOpts, ...clientOptions(secure.context, secure.serverHostname) });
    socket.setNoDelay(true);
    return socket;
  }, factory, null, secure, SocketTransport);
}

/**
 * Opens a Unix-socket connection driving a protocol.
 * @asyncio loop.create_unix_connection(protocol_factory, path=None, *, ssl=None, server_hostname=None, ssl_handshake_timeout=None, ssl_shutdown_timeout=None)
 * @param protocolFactory makes the Protocol.
 * @param options `path`; TLS with `ssl` and `serverHostname` (required with `ssl`), `sslHandshakeTimeout`, `sslShutdownTimeout`.
 * @returns `[transport, protocol]`.
 * @throws {FileNotFoundError} / {ConnectionRefusedError} when the connection fails.
 * @example
 * const [transport] = yield* createUnixConnection(() => new Client(), { path: '/tmp/app.sock' });
 */
export function createUnixConnection<P extends StreamProtocol>(protocolFactory: () => P, options: CreateUnixConnectionOptions): Coroutine<[SocketTransport, P]> {
  const factory = checkFactory(protocolFactory, 'createUnixConnection') as () => P;
  const opts = checkOptions(options, 'createUnixConnection', CREATE_UNIX_CONNECTION_OPTIONS);
  const path = checkString(opts.path, 'path');
  const secure = unixTlsSetup(opts);
  return connectProtocol(unixOpener(path, secure), factory, path, secure, SocketTransport);
}

/**
 * Wraps a socket accepted elsewhere (a Node `net.Server`'s 'connection', an http server's
 * 'upgrade') in a transport driving a protocol; with `ssl`, this side is the TLS server. For the
 * streams, `openConnection({ sock })` does the same with a reader and writer.
 * @asyncio loop.connect_accepted_socket(protocol_factory, sock, *, ssl=None, ssl_handshake_timeout=None, ssl_shutdown_timeout=None)
 * Differs from asyncio: a free function on the running loop; `sock` is a connected `net.Socket`
 * (Node has no other sockets). Bytes Node already read from it (http's upgrade `head`) are not
 * seen: put them back first with `sock.unshift(head)`.
 * @param protocolFactory makes the Protocol.
 * @param sock the connected socket.
 * @param options `ssl` (a server SSLContext), `sslHandshakeTimeout`, `sslShutdownTimeout` (ms).
 * @returns `[transport, protocol]`, once `connectionMade` was called (after the handshake, with `ssl`).
 * @throws {TypeError} "A Stream Socket was expected, got ...", for anything but a `net.Socket`.
 * @throws {RangeError} for a socket destroyed or still connecting.
 * @example
 * netServer.on('connection', (sock) => loop.callSoonThreadsafe(() => {
 *   loop.createTask(connectAcceptedSocket(() => new Echo(), sock));
 * }));
 */
export function connectAcceptedSocket<P extends StreamProtocol>(protocolFactory: () => P, sock: net.Socket, options: ConnectAcceptedSocketOptions = {}): Coroutine<[SocketTransport, P]> {
  const factory = checkFactory(protocolFactory, 'connectAcceptedSocket') as () => P;
  const opts = checkOptions(options, 'connectAcceptedSocket', CONNECT_ACCEPTED_SOCKET_OPTIONS);
  const socket = checkSock(sock, 'connectAcceptedSocket');
  const ssl = checkSsl(opts.ssl);
  if (ssl !== null && !ssl.server) throw new RangeError('connectAcceptedSocket() makes this side the TLS server: it needs a server SSLContext, createSslContext({ server: true, cert, key }).');
  const secure = tlsSetup(opts, ssl, null);
  return adoptSocket(socket, factory, secure, true, SocketTransport);
}

/**
 * Starts a TCP server whose connections each drive a new protocol from `protocolFactory`.
 * @asyncio loop.create_server(protocol_factory, host=None, port=None, *, backlog=100, ssl=None, reuse_address=None, reuse_port=None, keep_alive=None, start_serving=True)
 * @param protocolFactory makes one Protocol per connection.
 * @param options as startServer's, without `limit`.
 * @returns the Server.
 * @throws {OSError} when it cannot listen.
 * @example
 * const server = yield* createServer(() => new Echo(), { host: '127.0.0.1', port: 0 });
 */
export function* createServer(protocolFactory: () => StreamProtocol, options: CreateServerOptions): Coroutine<Server> {
  const factory = checkFactory(protocolFactory, 'createServer');
  return yield* tcpServer('createServer', options, null, factory);
}

/**
 * Starts a Unix-socket server driving a protocol per connection.
 * @asyncio loop.create_unix_server(protocol_factory, path=None, *, backlog=100, ssl=None, ssl_handshake_timeout=None, ssl_shutdown_timeout=None, start_serving=True)
 * @param protocolFactory makes one Protocol per connection.
 * @param options `path`, `backlog`, `startServing`; `ssl` (a server SSLContext), `sslHandshakeTimeout`, `sslShutdownTimeout`.
 * @returns the Server.
 * @example
 * const server = yield* createUnixServer(() => new Echo(), { path: '/tmp/app.sock' });
 */
export function* createUnixServer(protocolFactory: () => StreamProtocol, options: CreateUnixServerOptions): Coroutine<Server> {
  const factory = checkFactory(protocolFactory, 'createUnixServer');
  return yield* unixServer('createUnixServer', options, null, factory);
}
