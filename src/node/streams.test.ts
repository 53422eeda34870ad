import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { Duplex } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { run, runSync } from '../runners.ts';
import { createTask, sleep } from '../tasks.ts';
import { getRunningLoop } from '../events.ts';
import { asyncFor } from '../asyncgen.ts';
import { asyncWith } from '../contextlib.ts';
import { CancelledError, IncompleteReadError, LimitOverrunError, RuntimeError } from '../exceptions.ts';
import type { ExceptionContext } from '../base-events.ts';
import type { Coroutine } from '../types.ts';
import { catching } from '../../test/support/coroutines.ts';
import { ConnectionError, ConnectionRefusedError, ConnectionResetError, OSError } from './errors.ts';
import * as http from 'node:http';
import { Protocol } from './protocols.ts';
import type { SocketTransport } from './transports.ts';
import {
  StreamReader,
  StreamReaderProtocol,
  StreamTransport,
  connectAcceptedSocket,
  createConnection,
  createServer,
  StreamWriter as StreamWriterClass,
  connectOptions,
  openConnection,
  openUnixConnection,
  startServer,
  startUnixServer,
  type Server,
  type StreamWriter,
} from './streams.ts';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const portOf = (server: Server): number => (server.sockets[0]!.getsockname() as [string, number])[1];

/** A reader fed `chunks`, then EOF. */
function fed(chunks: string[], limit?: number): StreamReader {
  const reader = new StreamReader(limit);
  for (const chunk of chunks) reader.feedData(chunk);
  reader.feedEof();
  return reader;
}

describe('StreamReader, fed by hand (asyncio test_streams scenarios)', () => {
  test('readline: lines keep their newline; the last one may lack it; then empty at EOF', () => {
    const lines = runSync(function* () {
      const reader = fed(['line1\nli', 'ne2\nlast']);
      const out: string[] = [];
      for (let i = 0; i < 4; i++) out.push(text(yield* reader.readline()));
      return [out, reader.atEof()];
    });
    assert.deepEqual(lines, [['line1\n', 'line2\n', 'last', ''], true]);
  });

  test('readline waits for data fed later by another task', () => {
    const line = runSync(function* () {
      const reader = new StreamReader();
      createTask((function* () {
        yield* sleep(10);
        reader.feedData('hel');
        yield* sleep(10);
        reader.feedData('lo\nrest');
      })());
      return text(yield* reader.readline());
    });
    assert.equal(line, 'hello\n');
  });

  test('readuntil: a multi-byte separator split across chunks; IncompleteReadError at EOF with .partial and .expected', () => {
    const [first, error] = runSync(function* () {
      const reader = fed(['a\r', '\nb\r']);
      const first = text(yield* reader.readuntil('\r\n'));
      const error = yield* catching(reader.readuntil('\r\n'));
      return [first, error] as const;
    });
    assert.equal(first, 'a\r\n');
    assert.ok(error instanceof IncompleteReadError);
    assert.equal(error.message, '2 bytes read on a total of undefined expected bytes');
    assert.equal(text(error.partial), 'b\r');
    assert.equal(error.expected, null);
  });

  test('readexactly: exact sizes, then IncompleteReadError naming the expected size', () => {
    const [a, error] = runSync(function* () {
      const reader = fed(['abc', 'de']);
      const a = text(yield* reader.readexactly(2));
      return [a, yield* catching(reader.readexactly(5))] as const;
    });
    assert.equal(a, 'ab');
    assert.ok(error instanceof IncompleteReadError);
    assert.equal(error.message, '3 bytes read on a total of 5 expected bytes');
    assert.equal(error.expected, 5);
    assert.equal(text(error.partial), 'cde');
  });

  test('read: read(n) returns what is buffered up to n; read() reads to EOF; read(0) is empty', () => {
    const out = runSync(function* () {
      const reader = fed(['hello ', 'world']);
      return [text(yield* reader.read(3)), text(yield* reader.read(0)), text(yield* reader.read()), text(yield* reader.read(10))];
    });
    assert.deepEqual(out, ['hel', '', 'lo world', '']);
  });

  test('readuntil_limit_found_sep / LimitOverrunError: not found within the limit, found past it; the data stays buffered', () => {
    const [notFound, found, rest] = runSync(function* () {
      const a = fed(['aaaaaaaaaa'], 4);
      const notFound = yield* catching(a.readuntil('\n'));
      const b = fed(['bbbbbbb\n'], 4);
      const found = yield* catching(b.readuntil('\n'));
      return [notFound, found, text(yield* b.read())] as const;
    });
    assert.ok(notFound instanceof LimitOverrunError);
    assert.equal(notFound.message, 'Separator is not found, and chunk exceed the limit');
    assert.equal(notFound.consumed, 10);
    assert.ok(found instanceof LimitOverrunError);
    assert.equal(found.message, 'Separator is found, but chunk is longer than limit');
    assert.equal(found.consumed, 7);
    assert.equal(rest, 'bbbbbbb\n');
  });

  test('readline_limit: a line over the limit raises RangeError and is dropped; the next line reads fine', () => {
    const [error, next] = runSync(function* () {
      const reader = fed(['0123456789\nok\n'], 4);
      const error = yield* catching(reader.readline());
      return [error, text(yield* reader.readline())] as const;
    });
    assert.ok(error instanceof RangeError);
    assert.equal(error.message, 'Separator is found, but chunk is longer than limit');
    assert.equal(next, 'ok\n');
  });

  test('exception: setException makes the waiting read and every later read raise it', () => {
    const [first, second] = runSync(function* () {
      const reader = new StreamReader();
      const boom = new Error('boom');
      const waiting = createTask(catching(reader.read()));
      yield* sleep(0);
      reader.setException(boom);
      reader.feedData('ignored');
      return [yield* waiting, yield* catching(reader.readline())];
    });
    assert.equal((first as Error).message, 'boom');
    assert.equal(second, first);
  });

  test('two coroutines waiting on one reader: the second gets asyncio\'s RuntimeError', () => {
    const error = runSync(function* () {
      const reader = new StreamReader();
      const first = createTask(reader.readline());
      yield* sleep(0);
      const error = yield* catching(reader.readuntil('x'));
      reader.feedData('a\n');
      yield* first;
      return error;
    });
    assert.ok(error instanceof RuntimeError);
    assert.equal(error.message, 'readuntil() called while another coroutine is already waiting for incoming data');
  });

  test('asyncFor over a reader yields its lines until EOF (async for line in reader)', () => {
    const lines = runSync(function* () {
      const out: string[] = [];
      yield* asyncFor(fed(['x\ny\n', 'z']), function* (line: Uint8Array) {
        out.push(text(line));
      });
      return out;
    });
    assert.deepEqual(lines, ['x\n', 'y\n', 'z']);
  });

  test('bad arguments: every message', () => {
    assert.throws(() => new StreamReader(0), { name: 'RangeError', message: 'Limit cannot be <= 0' });
    assert.throws(() => new StreamReader('big' as never), { name: 'TypeError', message: 'Expected `limit` to be a number of bytes, got `"big"` (string)' });
    const reader = fed([]);
    assert.throws(() => reader.feedData('x'), { name: 'RuntimeError', message: 'feedData after feedEof' });
    assert.throws(() => new StreamReader().feedData(42 as never), {
      name: 'TypeError',
      message: 'data argument must be a bytes-like object, not `42` (number). Pass a Uint8Array (or a string, written as UTF-8).',
    });
    runSync(function* () {
      const r = new StreamReader();
      assert.equal(((yield* catching(r.readuntil(''))) as Error).message, 'Separator should be at least one-byte string');
      assert.equal(((yield* catching(r.readexactly(-1))) as Error).message, 'readexactly size can not be less than zero');
      assert.equal(((yield* catching(r.read(1.5))) as Error).message, 'Expected `n` to be an integer number of bytes, got `1.5` (number)');
    });
    assert.equal(String(fed(['ab'], 10)), '<StreamReader 2 bytes eof limit=10>');
  });
});

/** Echoes each line back in upper case until EOF, then closes. */
function* upperEcho(reader: StreamReader, writer: StreamWriter): Coroutine<void> {
  for (;;) {
    const line = yield* reader.readline();
    if (line.length === 0) break;
    writer.write(text(line).toUpperCase());
    yield* writer.drain();
  }
  writer.close();
  yield* writer.waitClosed();
}

describe('TCP streams on 127.0.0.1 (real sockets)', () => {
  test('open_connection: a client talks to a startServer echo server; getExtraInfo names both ends', async () => {
    const out = await run(function* () {
      const server = yield* startServer(upperEcho, { host: '127.0.0.1', port: 0 });
      const port = portOf(server);
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port });
      writer.write('hello\n');
      writer.writelines(['wor', new TextEncoder().encode('ld\n')]);
      yield* writer.drain();
      const lines = [text(yield* reader.readline()), text(yield* reader.readline())];
      const peer = writer.getExtraInfo('peername');
      const sock = writer.getExtraInfo('sockname') as [string, number];
      assert.ok(writer.getExtraInfo('socket') instanceof net.Socket);
      assert.equal(writer.getExtraInfo('nothing', 'dflt'), 'dflt');
      writer.writeEof();
      assert.equal(text(yield* reader.read()), ''); // the server closed after our EOF
      writer.close();
      yield* writer.waitClosed();
      assert.equal(writer.isClosing(), true);
      server.close();
      yield* server.waitClosed();
      return { lines, peer, sockHost: sock[0], port };
    });
    assert.deepEqual(out.lines, ['HELLO\n', 'WORLD\n']);
    assert.deepEqual(out.peer, ['127.0.0.1', out.port]);
    assert.equal(out.sockHost, '127.0.0.1');
  });

  test('writeEof half-closes: the server reads to EOF and still answers on the same connection', async () => {
    const reply = await run(function* () {
      const server = yield* startServer(function* (reader, writer) {
        const request = yield* reader.read();
        writer.write(`got ${request.length} bytes`);
        writer.close();
      }, { host: '127.0.0.1', port: 0 });
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      assert.equal(writer.canWriteEof(), true);
      writer.write('x'.repeat(100_000));
      writer.writeEof();
      const reply = text(yield* reader.read());
      writer.close();
      server.close();
      yield* server.waitClosed();
      return reply;
    });
    assert.equal(reply, 'got 100000 bytes');
  });

  test('flow control: the socket is paused above 2 * limit and resumed as the reader drains it', async () => {
    const total = await run(function* () {
      const size = 256 * 1024;
      const server = yield* startServer(function* (_reader, writer) {
        writer.write(new Uint8Array(size).fill(7));
        yield* writer.drain();
        writer.close();
      }, { host: '127.0.0.1', port: 0 });
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server), limit: 1024 });
      const socket = writer.getExtraInfo('socket') as net.Socket;
      while (!reader._paused) yield* sleep(1); // nobody reads: the buffer grows past 2 * limit
      assert.ok(reader._size > 2048);
      assert.equal(socket.isPaused(), true);
      let total = 0;
      for (;;) {
        const chunk = yield* reader.read(1000);
        if (chunk.length === 0) break;
        total += chunk.length;
      }
      assert.equal(reader._paused, false);
      writer.close();
      server.close();
      yield* server.waitClosed();
      return total;
    });
    assert.equal(total, 256 * 1024);
  });

  test('drain: waits while the socket buffer is full, until the peer reads', async () => {
    const out = await run(function* () {
      const loop = getRunningLoop();
      const release = loop.createFuture<void>();
      let received = 0;
      const server = yield* startServer(function* (reader, writer) {
        yield* release; // do not read until told
        received = (yield* reader.read()).length;
        writer.close();
      }, { host: '127.0.0.1', port: 0 });
      const [, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      const big = new Uint8Array(16 * 1024 * 1024);
      writer.write(big);
      const paused = writer._transport._writePaused;
      const drain = createTask(writer.drain());
      yield* sleep(0);
      const waitedBeforeRelease = !drain.done();
      release.setResult();
      yield* drain;
      writer.writeEof();
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
      return { paused, waitedBeforeRelease, received };
    });
    assert.deepEqual(out, { paused: true, waitedBeforeRelease: true, received: 16 * 1024 * 1024 });
  });

  test('drain after the connection was lost raises ConnectionResetError("Connection lost")', async () => {
    const error = await run(function* () {
      const server = yield* startServer((_reader, writer) => writer.close(), { host: '127.0.0.1', port: 0 });
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      yield* reader.read(); // EOF: the server closed
      writer.close();
      yield* writer.waitClosed();
      writer.write('dropped'); // asyncio drops writes to a closed connection
      server.close();
      return yield* catching(writer.drain());
    });
    assert.ok(error instanceof ConnectionResetError);
    assert.equal(error.message, 'Connection lost');
  });

  test('connection refused: ConnectionRefusedError (an OSError) is raised by openConnection, Node\'s error as its cause', async () => {
    const error = await run(function* () {
      const server = yield* startServer(() => {}, { host: '127.0.0.1', port: 0 });
      const port = portOf(server);
      server.close();
      yield* server.waitClosed();
      return yield* catching(openConnection({ host: '127.0.0.1', port }));
    });
    assert.ok(error instanceof ConnectionRefusedError && error instanceof OSError);
    assert.equal(error.code, 'ECONNREFUSED');
    assert.match(error.message, /^\[Errno \d+\] Connection refused \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
    assert.equal((error.cause as { code?: string }).code, 'ECONNREFUSED');
  });

  test('peer reset mid-read: read(), waitClosed() and drain() raise ConnectionResetError; mid-write: drain() raises a ConnectionError', async () => {
    const out = await run(function* () {
      const server = yield* startServer(function* (reader, writer) {
        yield* reader.readexactly(1); // connected for sure
        (writer.getExtraInfo('socket') as net.Socket).resetAndDestroy(); // SO_LINGER 0 + close: an RST
      }, { host: '127.0.0.1', port: 0 });
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      writer.write('x');
      const read = yield* catching(reader.read());
      const closed = yield* catching(writer.waitClosed());
      const drained = yield* catching(writer.drain());
      // Mid-write: we keep writing while the peer resets.
      const server2 = yield* startServer(function* (reader2, writer2) {
        yield* reader2.readexactly(1);
        (writer2.getExtraInfo('socket') as net.Socket).resetAndDestroy();
      }, { host: '127.0.0.1', port: 0 });
      const [, writer3] = yield* openConnection({ host: '127.0.0.1', port: portOf(server2) });
      let midWrite: unknown = null;
      const chunk = new Uint8Array(1024 * 1024);
      for (let i = 0; i < 200 && midWrite === null; i++) {
        writer3.write(chunk);
        try {
          yield* writer3.drain();
        } catch (error) {
          midWrite = error;
        }
      }
      server.close();
      server2.close();
      return { read, closed, drained, midWrite };
    });
    for (const error of [out.read, out.closed, out.drained]) {
      assert.ok(error instanceof ConnectionResetError, String(error));
      assert.equal(error.code, 'ECONNRESET');
      assert.equal((error.cause as { code?: string }).code, 'ECONNRESET');
    }
    assert.equal(out.read, out.closed); // one error: the one the connection was lost with
    assert.ok(out.midWrite instanceof ConnectionError, String(out.midWrite)); // ECONNRESET or EPIPE, by timing
  });

  test('peer reset during waitClosed: the waiting waitClosed() raises ConnectionResetError', async () => {
    const error = await run(function* () {
      const server = yield* startServer(function* (reader, writer) {
        yield* reader.readexactly(1);
        yield* sleep(5); // the client is in waitClosed by now
        (writer.getExtraInfo('socket') as net.Socket).resetAndDestroy();
      }, { host: '127.0.0.1', port: 0 });
      const [, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      writer.write('x');
      const error = yield* catching(writer.waitClosed()); // waits: we never close our side
      server.close();
      return error;
    });
    assert.ok(error instanceof ConnectionResetError, String(error));
    assert.equal(error.code, 'ECONNRESET');
  });

  test('a handler that raises: reported as "Unhandled exception in client_connected_cb", its connection closed', async () => {
    const contexts: ExceptionContext[] = [];
    const eof = await run(function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => contexts.push(context));
      const server = yield* startServer(function* () {
        throw new Error('handler failed');
      }, { host: '127.0.0.1', port: 0 });
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      const eof = text(yield* reader.read());
      writer.close();
      server.close();
      yield* server.waitClosed();
      return eof;
    });
    assert.equal(eof, '');
    assert.equal(contexts.length, 1);
    assert.equal(contexts[0]!.message, 'Unhandled exception in client_connected_cb');
    assert.equal((contexts[0]!.exception as Error).message, 'handler failed');
  });

  test('wait_closed: waits for the server to close and for every client connection to end', async () => {
    const order = await run(function* () {
      const order: string[] = [];
      const server = yield* startServer(upperEcho, { host: '127.0.0.1', port: 0 });
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      writer.write('a\n');
      yield* reader.readline();
      const waiting = createTask((function* () {
        yield* server.waitClosed();
        order.push('waitClosed returned');
      })());
      server.close();
      assert.equal(server.isServing(), false);
      assert.deepEqual(server.sockets, []);
      yield* sleep(5);
      order.push('client closes');
      writer.close(); // the server's handler sees EOF and closes its side
      yield* waiting;
      return order;
    });
    assert.deepEqual(order, ['client closes', 'waitClosed returned']);
  });

  test('serve_forever: runs until cancelled, then closes the server; misuse gets asyncio\'s errors', async () => {
    const out = await run(function* () {
      const server = yield* startServer(upperEcho, { host: '127.0.0.1', port: 0, startServing: false });
      assert.equal(server.isServing(), false);
      assert.deepEqual(server.sockets, []);
      const forever = createTask(server.serveForever());
      yield* sleep(0);
      while (!server.isServing()) yield* sleep(1);
      const again = yield* catching(server.serveForever());
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      writer.write('ping\n');
      const reply = text(yield* reader.readline());
      writer.close();
      forever.cancel();
      const cancelled = yield* catching(forever);
      const closed = yield* catching(server.serveForever());
      return { again, reply, cancelled, closed, serving: server.isServing(), repr: String(server) };
    });
    assert.equal(out.reply, 'PING\n');
    assert.ok(out.cancelled instanceof CancelledError);
    assert.equal(out.serving, false);
    assert.match((out.again as Error).message, /^server <Server sockets=\[<ServerSocket 127\.0\.0\.1:\d+>\]> is already being awaited on serveForever\(\)$/);
    assert.equal((out.closed as Error).message, 'server <Server sockets=[]> is closed');
  });

  test('async context manager: asyncWith(server) closes it; startServing() starts a deferred server', async () => {
    const reply = await run(function* () {
      const server = yield* startServer(upperEcho, { host: '127.0.0.1', port: 0, startServing: false });
      return yield* asyncWith(server, function* (s) {
        yield* s.startServing();
        const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(s) });
        writer.write('ctx\n');
        const line = text(yield* reader.readline());
        writer.close();
        return line;
      });
    });
    assert.equal(reply, 'CTX\n');
  });

  test('run() shutdown closes a server and connections the program left open (Node would never exit)', async () => {
    let server: Server | null = null;
    let socket: net.Socket | null = null;
    await run(function* () {
      server = yield* startServer(function* (reader) {
        yield* reader.read(); // waits forever: cancelled at shutdown
      }, { host: '127.0.0.1', port: 0 });
      const [, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      socket = writer.getExtraInfo('socket') as net.Socket;
      yield* sleep(1);
    });
    assert.equal(server!._netServer.listening, false);
    assert.equal(socket!.destroyed, true);
  });

  test('bad options: every message', async () => {
    await run(function* () {
      const e1 = yield* catching((function* () { yield* openConnection({ host: '127.0.0.1', port: 0 }); })());
      assert.equal((e1 as Error).message, 'Expected `port` to be an integer in [1, 65535], got `0` (number)');
      const e2 = yield* catching((function* () { yield* openConnection(null as never); })());
      assert.equal((e2 as Error).message, 'openConnection() expects an options object, got `null` (null)');
      const e3 = yield* catching(startServer(42 as never, { port: 0 }));
      assert.equal((e3 as Error).message, 'Expected `clientConnected` to be a function, got `42` (number)');
      const e4 = yield* catching(startServer(() => {}, { host: '', port: 0 }));
      assert.equal((e4 as Error).message, 'Expected `host` to be a non-empty string, got `""` (string)');
      const e5 = yield* catching((function* () { yield* openUnixConnection({ path: 5 as never }); })());
      assert.equal((e5 as Error).message, 'Expected `path` to be a non-empty string, got `5` (number)');
    });
    assert.throws(() => runSync(function* () {
      const [, writer] = yield* fakeWriter();
      writer.writeEof();
      writer.write('late');
    }), { name: 'RuntimeError', message: 'Cannot call write() after writeEof()' });
  });
});

describe('the read path: data events enter the loop', () => {
  // Each 'data' event is a callback of its own on the ready queue, in the order Node emitted them.
  test('data events keep their order among other callbacks', async () => {
    const stream = new Duplex({ read() {}, write(_chunk, _encoding, callback) { callback(); } });
    const seen = await run(function* () {
      const loop = getRunningLoop();
      const log: string[] = [];
      const reader = new StreamReader();
      const feed = reader.feedData.bind(reader);
      reader.feedData = (data) => {
        log.push(`data ${text(data as Uint8Array)}`);
        feed(data);
      };
      const transport = new StreamTransport(loop, stream, reader);
      stream.emit('data', Buffer.from('a'));
      loop.callSoon(() => log.push('callback'));
      stream.emit('data', Buffer.from('b')); // behind the callback
      yield* sleep(0);
      stream.emit('data', Buffer.from('c'));
      log.push('emitted c');
      yield* sleep(0);
      log.push(`read ${text(yield* reader.read(10))}`);
      transport.abort();
      return log;
    });
    assert.deepEqual(seen, ['data a', 'callback', 'data b', 'emitted c', 'data c', 'read abc']);
  });

  test('a protocol whose dataReceived raises: reported per event as "Exception in callback", later events still delivered', async () => {
    const stream = new Duplex({ read() {}, write(_chunk, _encoding, callback) { callback(); } });
    const seen = await run(function* () {
      const loop = getRunningLoop();
      const reports: string[] = [];
      loop.setExceptionHandler((_loop, context) => reports.push(`${context.message.split(':')[0]}: ${String(context.exception)}`));
      const reader = new StreamReader();
      reader.feedData = (data) => {
        throw new RangeError(`no ${text(data as Uint8Array)}`);
      };
      const transport = new StreamTransport(loop, stream, reader);
      stream.emit('data', Buffer.from('x'));
      yield* sleep(0);
      stream.emit('data', Buffer.from('y'));
      yield* sleep(0);
      transport.abort();
      return reports;
    });
    assert.equal(seen.length, 2);
    assert.match(seen[0]!, /^Exception in callback .*: RangeError: no x$/);
    assert.match(seen[1]!, /^Exception in callback .*: RangeError: no y$/);
  });
});

describe('the write path', () => {
  // A small write into an empty buffer goes to Node without a callback (Node then skips a
  // nextTick per write); close() must still wait until it is sent, so it writes an empty
  // buffer with the callback behind it.
  test('close() after a quiet write that stays buffered closes only once it is sent', async () => {
    const sent: number[] = [];
    let release: (() => void) | null = null;
    const stream = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        sent.push(chunk.length);
        if (chunk.length === 0) callback();
        else release = () => callback(); // the bytes stay in Node's buffer until released
      },
    });
    const events = await run(function* () {
      const reader = new StreamReader();
      const transport = new StreamTransport(getRunningLoop(), stream, reader);
      const writer = new StreamWriterClass(transport, reader);
      const seen: string[] = [];
      writer.write(new Uint8Array(10));
      seen.push(`quiet ${transport._quietTail}, buffered ${writer.getWriteBufferSize()}`);
      writer.close();
      for (let i = 0; i < 3; i++) yield* sleep(0);
      seen.push(`closed before release: ${stream.destroyed}`);
      release!();
      yield* writer.waitClosed();
      seen.push(`closed after release: ${stream.destroyed}`);
      return seen;
    });
    assert.deepEqual(events, ['quiet true, buffered 10', 'closed before release: false', 'closed after release: true']);
    assert.deepEqual(sent, [10, 0]);
  });

  test('a write into a non-empty buffer, a large one, or one while closing carries the callback', async () => {
    const quiet = await run(function* () {
      const stream = new Duplex({ read() {}, write(_chunk, _encoding, callback) { setImmediate(callback); } });
      const reader = new StreamReader();
      const transport = new StreamTransport(getRunningLoop(), stream, reader);
      const seen: boolean[] = [];
      transport.write(new Uint8Array(8));
      seen.push(transport._quietTail); // empty buffer, small: quiet
      transport.write(new Uint8Array(8));
      seen.push(transport._quietTail); // the first is still buffered
      while (transport.getWriteBufferSize() > 0) yield* sleep(1);
      transport.write(new Uint8Array(16 * 1024 + 1));
      seen.push(transport._quietTail); // over the low limit
      while (transport.getWriteBufferSize() > 0) yield* sleep(1);
      transport.close();
      return seen;
    });
    assert.deepEqual(quiet, [true, false, false]);
  });
});

/** A writer over an unconnected socket (no I/O happens before writeEof/write). */
function* fakeWriter(): Coroutine<[StreamReader, StreamWriter]> {
  const reader = new StreamReader();
  const socket = new net.Socket();
  socket.on('error', () => {});
  const transport = new StreamTransport(getRunningLoop(), socket, reader);
  return [reader, new StreamWriterClass(transport, reader)];
}

describe('Unix-socket streams', () => {
  test('start_unix_server / open_unix_connection: echo, a stale socket file removed first, the file gone after close', async () => {
    const path = join(tmpdir(), `yieldio-streams-${process.pid}.sock`);
    rmSync(path, { force: true });
    // A stale socket file, left by a process killed while listening.
    const killed = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    assert.equal(killed.signal, 'SIGKILL');
    assert.equal(existsSync(path), true);
    const out = await run(function* () {
      const server = yield* startUnixServer(upperEcho, { path });
      const [reader, writer] = yield* openUnixConnection({ path });
      writer.write('unix\n');
      const line = text(yield* reader.readline());
      const names = [writer.getExtraInfo('peername'), writer.getExtraInfo('sockname'), server.sockets[0]!.getsockname()];
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
      yield* sleep(1);
      return { line, names };
    });
    assert.equal(out.line, 'UNIX\n');
    assert.deepEqual(out.names, [path, '', path]);
    assert.equal(existsSync(path), false);
    // Not a socket: left alone, and listening fails.
    writeFileSync(path, 'not a socket');
    try {
      const error = await run(function* () {
        return yield* catching(startUnixServer(() => {}, { path }));
      });
      assert.equal((error as { code?: string }).code, 'EADDRINUSE');
    } finally {
      rmSync(path, { force: true });
    }
  });
});


describe('open_connection is a lazy coroutine (issue #16 §6)', () => {
  test('built outside a loop it does not throw; built and never awaited it connects nothing; awaited later it connects', async () => {
    let accepted = 0;
    const peer = net.createServer((socket) => {
      accepted++;
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    const port = (peer.address() as net.AddressInfo).port;
    try {
      // asyncio: `open_connection(...)` outside a loop is only a coroutine object.
      const early = openConnection({ host: '127.0.0.1', port });
      const reply = await run(function* () {
        const never = openConnection({ host: '127.0.0.1', port }); // built inside, never awaited
        void never;
        const [reader, writer] = yield* early;
        writer.write('ping\n');
        const line = text(yield* reader.readline());
        writer.close();
        yield* writer.waitClosed();
        return line;
      });
      assert.equal(reply, 'ping\n');
      assert.equal(accepted, 1); // only the awaited one reached the peer
      assert.throws(() => openConnection({ host: '127.0.0.1', port: -1 }), { name: 'RangeError' }); // arguments: checked at the call
    } finally {
      peer.close();
    }
  });
});

describe('reprs and writes after the loss (asyncio streams.py / selector_events.py)', () => {
  test('StreamReader prints as asyncio\'s: bytes, eof, limit, waiter=<Future ...>, exception=RuntimeError(), transport=<...>', () => {
    // CPython 3.13: <StreamReader>, <StreamReader exception=RuntimeError()>,
    //   <StreamReader 3 bytes limit=10 waiter=<Future pending cb=[Task.task_wakeup()]>>
    const reprs = runSync(function* () {
      const plain = String(new StreamReader());
      const failed = new StreamReader();
      failed.setException(new RuntimeError());
      const waiting = new StreamReader(10);
      waiting.feedData('abc');
      const task = createTask(waiting.readexactly(5));
      yield* sleep(0);
      const withWaiter = String(waiting);
      task.cancel();
      yield* catching(task);
      return [plain, String(failed), withWaiter];
    });
    assert.equal(reprs[0], '<StreamReader>');
    assert.equal(reprs[1], '<StreamReader exception=RuntimeError()>');
    assert.match(reprs[2]!, /^<StreamReader 3 bytes limit=10 waiter=<Future pending.*>>$/);
  });

  test('a transport prints as asyncio\'s (<... fd=N read=polling write=<idle, bufsize=0>>), in the writer\'s and the reader\'s reprs and in handler reports', async () => {
    const out = await run(function* () {
      const server = yield* startServer(function* (reader, writer) {
        yield* reader.read();
        writer.close();
      }, { host: '127.0.0.1', port: 0 });
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      const open = String(writer._transport);
      const writerRepr = String(writer);
      writer.close();
      const closing = String(writer._transport);
      yield* writer.waitClosed();
      const closed = String(reader);
      server.close();
      yield* server.waitClosed();
      return { open, writerRepr, closing, closed };
    });
    assert.match(out.open, /^<StreamTransport fd=\d+ read=polling write=<idle, bufsize=0>>$/);
    assert.match(out.writerRepr, /^<StreamWriter transport=<StreamTransport fd=\d+ read=polling write=<idle, bufsize=0>> reader=<StreamReader transport=<StreamTransport .*>>>$/);
    assert.match(out.closing, /^<StreamTransport closing fd=\d+ read=idle write=<idle, bufsize=0>>$/);
    assert.match(out.closed, /^<StreamReader eof transport=<StreamTransport closed fd=\d+>>$/);
  });

  test('a peer that never reads: getWriteBufferSize() grows, close() keeps flushing (waitClosed waits), abort() ends it at once', async () => {
    const out = await run(function* () {
      const loop = getRunningLoop();
      const reports: ExceptionContext[] = [];
      loop.setExceptionHandler((_loop, context) => reports.push(context));
      const never = loop.createFuture<void>();
      const server = yield* startServer(function* (_reader, serverWriter) {
        yield* never; // never reads
        serverWriter.close();
      }, { host: '127.0.0.1', port: 0 });
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      writer.write(new Uint8Array(32 * 1024 * 1024));
      const buffered = writer.getWriteBufferSize();
      writer.close();
      writer.write('still sent while flushing');
      const stillBuffered = writer.getWriteBufferSize() > buffered - 32 * 1024 * 1024;
      const closedTask = createTask(writer.waitClosed());
      yield* sleep(20);
      const waitedWhileFlushing = !closedTask.done();
      writer.abort();
      yield* closedTask; // connection_lost(None): no error
      const eof = (yield* reader.read()).length;
      for (let i = 0; i < 6; i++) writer.write('dropped');
      const drained = yield* catching(writer.drain());
      never.setResult();
      server.close();
      yield* server.waitClosed();
      return { buffered, stillBuffered, waitedWhileFlushing, eof, size: writer.getWriteBufferSize(), drained, reports };
    });
    assert.ok(out.buffered > 0);
    assert.equal(out.stillBuffered, true);
    assert.equal(out.waitedWhileFlushing, true);
    assert.equal(out.eof, 0);
    assert.equal(out.size, 0);
    assert.ok(out.drained instanceof ConnectionResetError);
    assert.equal((out.drained as Error).message, 'Connection lost');
    // abort made _conn_lost 1; writes 1-4 raise it to 5; the 5th and 6th are logged.
    assert.deepEqual(out.reports.map((c) => c.message), ['socket.send() raised exception.', 'socket.send() raised exception.']);
    assert.match(String(out.reports[0]!.transport), /^<StreamTransport closed fd=\d+>$/);
  });
});

/**
 * The keep-alive timer of our end of an established TCP connection, from Linux's /proc/net/tcp
 * ('02' when armed), or null. Only state 01 (ESTABLISHED) counts: another process's closed
 * connection on the same port number lingers in TIME_WAIT (timer '03').
 */
function keepAliveTimer(localPort: number): string | null {
  const hex = localPort.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1]?.endsWith(`:${hex}`) && fields[3] === '01') return fields[5]!.slice(0, 2);
  }
  return null;
}

describe('stream options (asyncio create_connection / create_server)', () => {
  test('openConnection: localAddr binds our end; family 4 resolves localhost to 127.0.0.1; happyEyeballsDelay tries addresses in turn', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const out = await run(function* () {
      const server = yield* startServer(upperEcho, { host: '127.0.0.1', port: 0 });
      const port = portOf(server);
      const [r1, w1] = yield* openConnection({ host: '127.0.0.1', port, localAddr: ['127.0.0.1', free] });
      const sockname = w1.getExtraInfo('sockname');
      const [r2, w2] = yield* openConnection({ host: 'localhost', port, family: 4 });
      const peer = w2.getExtraInfo('peername');
      const [r3, w3] = yield* openConnection({ host: 'localhost', port, happyEyeballsDelay: 50, interleave: 1 });
      for (const [r, w] of [[r1, w1], [r2, w2], [r3, w3]] as const) {
        w.write('x\n');
        assert.equal(text(yield* r.readline()), 'X\n');
        w.close();
        yield* w.waitClosed();
      }
      server.close();
      yield* server.waitClosed();
      return { sockname, peer, port };
    });
    assert.deepEqual(out.sockname, ['127.0.0.1', free]);
    assert.deepEqual(out.peer, ['127.0.0.1', out.port]);
    // Which addresses Happy Eyeballs tries depends on the resolver (here localhost may have one):
    // check the mapping onto Node's options itself.
    assert.deepEqual(connectOptions({ happyEyeballsDelay: 50, interleave: 1, keepAlive: true, family: 6, localAddr: ['::1', 0] }, 'example.org', 443), {
      host: 'example.org', port: 443, allowHalfOpen: true, noDelay: true,
      localAddress: '::1', family: 6, autoSelectFamily: true, autoSelectFamilyAttemptTimeout: 50, keepAlive: true,
    });
    assert.equal(connectOptions({ happyEyeballsDelay: 0 }, 'h', 1).autoSelectFamilyAttemptTimeout, 10); // Node's minimum
  });

  test('keepAlive (openConnection and startServer): SO_KEEPALIVE is on, seen in /proc/net/tcp; off by default', async (t) => {
    if (!existsSync('/proc/net/tcp')) {
      t.skip('SKIPPED: no /proc/net/tcp to see the keep-alive timer');
      return;
    }
    const out = await run(function* () {
      const accepted: number[] = [];
      const server = yield* startServer(function* (reader, writer) {
        accepted.push((writer.getExtraInfo('sockname') as [string, number])[1]);
        yield* reader.read();
        writer.close();
      }, { host: '127.0.0.1', port: 0, keepAlive: true });
      const plainServer = yield* startServer(function* (reader, writer) {
        yield* reader.read();
        writer.close();
      }, { host: '127.0.0.1', port: 0 });
      const [, withKa] = yield* openConnection({ host: '127.0.0.1', port: portOf(plainServer), keepAlive: true });
      const [, without] = yield* openConnection({ host: '127.0.0.1', port: portOf(plainServer) });
      const [, toKaServer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      while (accepted.length === 0) yield* sleep(1);
      const ours = (w: StreamWriter): number => (w.getExtraInfo('sockname') as [string, number])[1];
      // The accepted end's local port is the server's; find it by the client's port as its remote.
      const serverSide = readFileSync('/proc/net/tcp', 'utf8').split('\n').map((l) => l.trim().split(/\s+/))
        .find((f) => f[3] === '01' && f[2]?.endsWith(`:${ours(toKaServer).toString(16).toUpperCase().padStart(4, '0')}`) && f[1]?.endsWith(`:${portOf(server).toString(16).toUpperCase().padStart(4, '0')}`));
      const timers = { client: keepAliveTimer(ours(withKa)), plain: keepAliveTimer(ours(without)), accepted: serverSide?.[5]?.slice(0, 2) ?? null };
      for (const w of [withKa, without, toKaServer]) w.close();
      server.close();
      plainServer.close();
      yield* server.waitClosed();
      yield* plainServer.waitClosed();
      return timers;
    });
    assert.deepEqual(out, { client: '02', plain: '00', accepted: '02' });
  });

  test('startServer: backlog 100 by default (asyncio\'s); reusePort where Node has it; bad and unknown options refused', async () => {
    await run(function* () {
      const server = yield* startServer(() => {}, { host: '127.0.0.1', port: 0 });
      assert.equal(server._listen.backlog, 100);
      server.close();
      const e1 = yield* catching(startServer(() => {}, { port: 0, reuseAddress: false }));
      assert.equal((e1 as Error).message, 'reuseAddress: false is not possible: Node always sets SO_REUSEADDR on Unix (asyncio\'s default there).');
      const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
      const hasReusePort = major >= 24 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
      if (!hasReusePort) {
        const e2 = yield* catching(startServer(() => {}, { port: 0, reusePort: true }));
        assert.equal((e2 as Error).message, `reusePort needs Node >= 22.12 or 23.1 (this is ${process.version}, which would ignore it)`);
      } else {
        const a = yield* startServer(() => {}, { host: '127.0.0.1', port: 0, reusePort: true });
        const b = yield* startServer(() => {}, { host: '127.0.0.1', port: portOf(a), reusePort: true }); // shares the port
        assert.equal(portOf(b), portOf(a));
        a.close();
        b.close();
      }
      const names = 'host, port, limit, backlog, startServing, reuseAddress, reusePort, keepAlive, ssl, sslHandshakeTimeout, sslShutdownTimeout, family';
      const e3 = yield* catching(startServer(() => {}, { port: 0, reuse_port: true } as never));
      assert.equal((e3 as Error).message, `startServer() got an unexpected option \`reuse_port\`. Its options are: ${names}.`);
      const e4 = yield* catching(startServer(() => {}, { port: 0, backlog: -1 }));
      assert.equal((e4 as Error).message, 'Expected `backlog` to be an integer >= 0, got `-1` (number)');
    });
    assert.throws(() => openConnection({ port: 1, interleave: 2 as never }), {
      name: 'RangeError',
      message: 'Expected `interleave` to be 1, got `2` (number): Node\'s Happy Eyeballs alternates the families one address at a time, and has no other order.',
    });
    assert.throws(() => openConnection({ port: 1, family: 2 as never }), { name: 'RangeError', message: 'Expected `family` to be 0, 4 or 6, got `2` (number)' });
    assert.throws(() => openConnection({ port: 1, localAddr: '127.0.0.1' as never }), { name: 'TypeError', message: 'Expected `localAddr` to be [host, port], got `"127.0.0.1"` (string)' });
    assert.throws(() => openConnection({ port: 1, happyEyeballsDelay: -1 }), { name: 'RangeError' });
    assert.throws(() => openConnection({ port: 1, server_hostname: 'x' } as never), {
      name: 'TypeError',
      message: 'openConnection() got an unexpected option `server_hostname`. Its options are: host, port, limit, localAddr, family, happyEyeballsDelay, interleave, keepAlive, ssl, serverHostname, sslHandshakeTimeout, sslShutdownTimeout, sock.',
    });
  });

  test('Server.closeClients() closes accepted connections gracefully (buffered data sent); abortClients() drops them (3.13)', async () => {
    const out = await run(function* () {
      const writers: StreamWriter[] = [];
      const server = yield* startServer(function* (reader, writer) {
        writers.push(writer);
        yield* reader.read(); // until closed
      }, { host: '127.0.0.1', port: 0 });
      const [r1, w1] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      const [r2, w2] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      while (writers.length < 2) yield* sleep(1);
      writers[0]!.write('goodbye');
      server.closeClients();
      const graceful = [text(yield* r1.read()), text(yield* r2.read())];
      w1.close();
      w2.close();
      yield* sleep(1);
      const afterClose = server._clients.size;

      // abortClients: 32 MiB buffered for a client that does not read are dropped.
      writers.length = 0;
      const [r3, w3] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      while (writers.length < 1) yield* sleep(1);
      const big = 32 * 1024 * 1024;
      writers[0]!.write(new Uint8Array(big));
      server.abortClients();
      let got = 0;
      let error: unknown = null;
      try {
        got = (yield* r3.read()).length;
      } catch (e) {
        error = e;
      }
      w3.close();
      server.close();
      yield* server.waitClosed();
      return { graceful, afterClose, dropped: got < big, error, afterAbort: server._clients.size };
    });
    assert.deepEqual(out.graceful, ['goodbye', '']);
    assert.equal(out.afterClose, 0);
    assert.equal(out.dropped, true);
    assert.ok(out.error === null || out.error instanceof ConnectionResetError, String(out.error));
    assert.equal(out.afterAbort, 0);
  });
});

// ---------------------------------------------------------------------------- one I/O path

/** A Protocol that echoes what it receives and records its callbacks. */
class EchoProtocol extends Protocol {
  transport: SocketTransport | null = null;
  events: string[] = [];
  override connectionMade(transport: SocketTransport): void {
    this.transport = transport;
    this.events.push('made');
  }
  override dataReceived(data: Uint8Array): void {
    this.transport!.write(data);
  }
  override connectionLost(exc: unknown): void {
    this.events.push(`lost ${exc === null ? 'None' : String(exc)}`);
  }
}

/** Listens with Node's own net.Server; each accepted socket is handed to `adopt` in the loop. */
function* nodeServer(adopt: (sock: net.Socket) => Coroutine<unknown>): Coroutine<net.Server> {
  const loop = getRunningLoop();
  const server = net.createServer((sock) => loop.callSoonThreadsafe(() => { loop.createTask(adopt(sock)); }));
  const listening = loop.createFuture<void>();
  server.listen(0, '127.0.0.1', () => loop.callSoonThreadsafe(() => listening.setResult()));
  yield* listening;
  return server;
}

const nodePort = (server: net.Server): number => (server.address() as net.AddressInfo).port;

describe('streams over the transport and StreamReaderProtocol (asyncio streams.py), accepted sockets, family', () => {
  test('StreamReaderProtocol by hand: createConnection(() => new StreamReaderProtocol(reader)) and a StreamWriter over it talk to createServer(() => new StreamReaderProtocol(reader, cb))', async () => {
    const out = await run(function* () {
      const server = yield* createServer(() => new StreamReaderProtocol(new StreamReader(), upperEcho), { host: '127.0.0.1', port: 0 });
      const reader = new StreamReader();
      const [transport, protocol] = yield* createConnection(() => new StreamReaderProtocol(reader), { host: '127.0.0.1', port: portOf(server) });
      const writer = new StreamWriterClass(transport, reader, protocol);
      writer.write('by hand\n');
      yield* writer.drain();
      const line = text(yield* reader.readline());
      const repr = String(transport);
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
      return { line, repr, same: protocol._transport === transport && transport.getProtocol() === protocol, limits: transport.getWriteBufferLimits() };
    });
    assert.equal(out.line, 'BY HAND\n');
    assert.match(out.repr, /^<SocketTransport fd=\d+ read=polling write=<idle, bufsize=0>>$/);
    assert.equal(out.same, true);
    assert.deepEqual(out.limits, [16 * 1024, 64 * 1024]);
  });

  test('write flow control is asyncio\'s: drain() returns at once below the 64 KiB high limit even when the peer never reads, waits above it', async () => {
    const out = await run(function* () {
      const loop = getRunningLoop();
      const release = loop.createFuture<void>();
      const server = yield* startServer(function* (reader, writer) {
        yield* release;
        yield* reader.read();
        writer.close();
      }, { host: '127.0.0.1', port: 0 });
      const [, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      writer.write(new Uint8Array(32 * 1024));
      const small = createTask(writer.drain());
      yield* sleep(0);
      const smallDone = small.done();
      writer.write(new Uint8Array(8 * 1024 * 1024));
      const big = createTask(writer.drain());
      yield* sleep(0);
      const bigWaited = !big.done();
      release.setResult();
      yield* big;
      writer.writeEof();
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
      return { smallDone, bigWaited };
    });
    assert.deepEqual(out, { smallDone: true, bigWaited: true });
  });

  test('connectAcceptedSocket: a socket a Node net.Server accepted drives a protocol (echo, connectionLost(None) after the peer closes)', async () => {
    const out = await run(function* () {
      const protocols: EchoProtocol[] = [];
      const transports: SocketTransport[] = [];
      const node = yield* nodeServer(function* (sock) {
        const [transport, protocol] = yield* connectAcceptedSocket(() => new EchoProtocol(), sock);
        protocols.push(protocol);
        transports.push(transport);
      });
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: nodePort(node) });
      writer.write('accepted\n');
      const line = text(yield* reader.readline());
      const peer = transports[0]!.getExtraInfo('peername') as [string, number];
      writer.close();
      yield* writer.waitClosed();
      while (protocols[0]!.events.length < 2) yield* sleep(1);
      node.close();
      return { line, events: protocols[0]!.events, peer: peer[0] };
    });
    assert.equal(out.line, 'accepted\n');
    assert.deepEqual(out.events, ['made', 'lost None']);
    assert.equal(out.peer, '127.0.0.1');
  });

  test('openConnection({ sock }): the streams on a socket from an http upgrade (the head put back with unshift); asyncio\'s open_connection(sock=)', async () => {
    const out = await run(function* () {
      const loop = getRunningLoop();
      const httpServer = http.createServer((_req, res) => res.end());
      httpServer.on('upgrade', (_req, sock: net.Socket, head: Buffer) => {
        if (head.length > 0) sock.unshift(head);
        loop.callSoonThreadsafe(() => {
          loop.createTask((function* () {
            const [reader, writer] = yield* openConnection({ sock });
            writer.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
            writer.write((yield* reader.readline()).map((b) => (b >= 0x61 && b <= 0x7a ? b - 32 : b)));
            yield* writer.drain();
            writer.close();
          })());
        });
      });
      const listening = loop.createFuture<void>();
      httpServer.listen(0, '127.0.0.1', () => loop.callSoonThreadsafe(() => listening.setResult()));
      yield* listening;
      const port = (httpServer.address() as net.AddressInfo).port;
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port });
      // The line after the headers comes in the same packet: Node hands it over as `head`.
      writer.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nupgraded\n');
      const status = text(yield* reader.readline());
      yield* reader.readuntil('\r\n\r\n');
      const line = text(yield* reader.readline());
      writer.close();
      yield* writer.waitClosed();
      httpServer.close();
      return { status, line };
    });
    assert.equal(out.status, 'HTTP/1.1 101 Switching Protocols\r\n');
    assert.equal(out.line, 'UPGRADED\n');
  });

  test('accepted-socket misuse gets asyncio\'s errors at the call: not a stream socket, destroyed, sock with host, ssl without serverHostname, ssl options without ssl', async () => {
    const thrown = (f: () => unknown): Error => {
      try {
        f();
      } catch (error) {
        return error as Error;
      }
      throw new Error('nothing thrown');
    };
    const out = await run(function* () {
      const destroyed = new net.Socket();
      destroyed.destroy();
      const node = yield* nodeServer(function* () {});
      const [, writer] = yield* openConnection({ host: '127.0.0.1', port: nodePort(node) });
      const sock = writer.getExtraInfo('socket') as net.Socket;
      const errors = [
        thrown(() => connectAcceptedSocket(() => new EchoProtocol(), {} as net.Socket)),
        thrown(() => connectAcceptedSocket(() => new EchoProtocol(), destroyed)),
        thrown(() => openConnection({ sock, host: '127.0.0.1' })),
        thrown(() => openConnection({ sock, ssl: true })),
        thrown(() => connectAcceptedSocket(() => new EchoProtocol(), sock, { sslHandshakeTimeout: 1000 })),
        thrown(() => connectAcceptedSocket(() => new EchoProtocol(), sock, { ssl: true as never })),
        thrown(() => openConnection({ sock, keepAlive: true })),
      ];
      writer.close();
      yield* writer.waitClosed();
      node.close();
      return errors;
    });
    assert.deepEqual(out.map((e) => `${e.name}: ${e.message}`), [
      'TypeError: A Stream Socket was expected, got `[object Object]` (object): connectAcceptedSocket() takes a connected net.Socket (not a TLSSocket: pass `ssl` to have it upgraded).',
      'RangeError: connectAcceptedSocket() needs a connected socket, got one that is destroyed',
      'RangeError: host/port and sock can not be specified at the same time',
      'RangeError: You must set server_hostname when using ssl without a host',
      'RangeError: ssl_handshake_timeout is only meaningful with ssl',
      'RangeError: connectAcceptedSocket() makes this side the TLS server: it needs a server SSLContext, createSslContext({ server: true, cert, key }).',
      'RangeError: openConnection(): `keepAlive` has no meaning with `sock` (the socket is connected already)',
    ]);
  });

  // CPython 3.13: start_server(cb, '::1', 0, family=AF_INET) raises
  //   gaierror [Errno -9] Address family for hostname not supported
  // start_server(cb, None, 0, family=AF_INET6) listens on '::' with IPV6_V6ONLY 1;
  // start_server(cb, 'localhost', 0, family=AF_INET) on '127.0.0.1'.
  test('startServer family: 4 with no host listens on 0.0.0.0, with localhost on 127.0.0.1; 6 on :: (IPv6 only); a host of the other family is asyncio\'s gaierror', async () => {
    const out = await run(function* () {
      const names: unknown[] = [];
      for (const options of [{ family: 4 as const }, { host: 'localhost', family: 4 as const }]) {
        const server = yield* startServer(upperEcho, { port: 0, ...options });
        names.push(server.sockets[0]!.getsockname()[0]);
        const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
        writer.write('four\n');
        names.push(text(yield* reader.readline()));
        writer.close();
        server.close();
        yield* server.waitClosed();
      }
      const wrong = yield* catching(startServer(upperEcho, { host: '::1', port: 0, family: 4 }));
      const bad = yield* catching(startServer(upperEcho, { port: 0, family: 5 as never }));
      return { names, wrong, bad };
    });
    assert.deepEqual(out.names, ['0.0.0.0', 'FOUR\n', '127.0.0.1', 'FOUR\n']);
    assert.ok(out.wrong instanceof OSError);
    assert.equal((out.wrong as OSError).errno, -9);
    assert.equal((out.wrong as Error).message, '[Errno -9] Address family for hostname not supported (::1 is not an IPv4 address)');
    assert.equal((out.bad as Error).message, 'Expected `family` to be 0, 4 or 6, got `5` (number)');
  });

  test('IPv6 (::1, where the host has it): startServer family 6 listens on :: for IPv6 only; a client on ::1 talks to it', async (t) => {
    const probe = net.createServer();
    const hasV6 = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.listen(0, '::1', () => probe.close(() => resolve(true)));
    });
    if (!hasV6) return t.skip('SKIPPED LOUDLY: no IPv6 loopback (::1) on this host');
    const out = await run(function* () {
      const server = yield* startServer(upperEcho, { port: 0, family: 6 });
      const name = server.sockets[0]!.getsockname()[0];
      const [reader, writer] = yield* openConnection({ host: '::1', port: portOf(server) });
      writer.write('six\n');
      const line = text(yield* reader.readline());
      const peer = (writer.getExtraInfo('peername') as [string, number])[0];
      writer.close();
      yield* writer.waitClosed();
      const v4 = yield* catching(openConnection({ host: '127.0.0.1', port: portOf(server) }));
      server.close();
      yield* server.waitClosed();
      return { name, line, peer, v4 };
    });
    assert.equal(out.name, '::');
    assert.equal(out.line, 'SIX\n');
    assert.equal(out.peer, '::1');
    assert.ok(out.v4 instanceof ConnectionRefusedError, String(out.v4)); // IPV6_V6ONLY: no IPv4 on it
  });
});
