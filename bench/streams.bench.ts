/**
 * Issue 12's stream workloads on 127.0.0.1, server and client in the same process: TCP
 * ping-pong (64 B, 1 and 100 connections), TCP bulk one way, and one `readexactly(32 MiB)`.
 * yieldio uses only the public `yieldio/node` API (startServer, openConnection, StreamReader,
 * StreamWriter); the anchor is the same exchange written on raw `net` sockets.
 * BENCH_QUICK=1 (set by `npm run bench -- --quick`) shrinks the sizes; BENCH_BULK_MB sets the
 * bulk size (default 1024, 64 under --quick).
 */
import net from 'node:net';
import type { BenchGroup } from './harness.ts';
import { run, createTask, Event, type Coroutine, type Task } from '../src/index.ts';
import { openConnection, startServer, type StreamReader, type StreamWriter, type Server } from '../src/node/index.ts';

const quick = process.env.BENCH_QUICK === '1';
const MSG = 64;
const PING_ROUNDS = quick ? 2_000 : 20_000; // one connection
const PING_CONNS = 100;
const PING_ROUNDS_EACH = quick ? 50 : 500; // per connection, 100 connections at once
const BULK_MB = Number(process.env.BENCH_BULK_MB ?? (quick ? 64 : 1024));
const BULK = BULK_MB * 2 ** 20;
const CHUNK = 64 * 1024;
const EXACT = (quick ? 8 : 32) * 2 ** 20;

function portOf(server: Server | net.Server): number {
  if (!(server instanceof net.Server)) return (server.sockets[0]?.getsockname() as [string, number])[1];
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  return address.port;
}

// --------------------------------------------------------------------------------- yieldio

function* echo(reader: StreamReader, writer: StreamWriter): Coroutine<void> {
  for (;;) {
    const msg = yield* reader.read(MSG * 4);
    if (msg.length === 0) break;
    writer.write(msg);
    yield* writer.drain();
  }
  writer.close();
}

function* pingClient(port: number, rounds: number): Coroutine<void> {
  const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port });
  const msg = new Uint8Array(MSG).fill(7);
  for (let i = 0; i < rounds; i++) {
    writer.write(msg);
    yield* writer.drain();
    yield* reader.readexactly(MSG);
  }
  writer.close();
  yield* writer.waitClosed();
}

function* pingPong(conns: number, rounds: number): Coroutine<void> {
  const server = yield* startServer(echo, { host: '127.0.0.1', port: 0 });
  const port = portOf(server);
  const clients: Task<void>[] = [];
  for (let c = 0; c < conns; c++) clients.push(createTask(pingClient(port, rounds)));
  for (const c of clients) yield* c;
  server.close();
  yield* server.waitClosed();
}

function* bulk(total: number): Coroutine<void> {
  let received = 0;
  const finished = new Event();
  const server = yield* startServer(function* (reader, writer) {
    for (;;) {
      const block = yield* reader.read(CHUNK);
      if (block.length === 0) break;
      received += block.length;
    }
    writer.close();
    finished.set();
  }, { host: '127.0.0.1', port: 0 });
  const [, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
  const chunk = new Uint8Array(CHUNK).fill(1);
  for (let sent = 0; sent < total; sent += CHUNK) {
    writer.write(chunk);
    yield* writer.drain();
  }
  writer.close();
  yield* writer.waitClosed();
  yield* finished.wait();
  server.close();
  yield* server.waitClosed();
  if (received !== total) throw new Error(`bulk: received ${received} of ${total} bytes`);
}

// A raw net server that sends `size` bytes to each client in 64 KiB writes, then closes.
function sender(size: number): Promise<net.Server> {
  const chunk = Buffer.alloc(CHUNK, 2);
  const server = net.createServer((socket) => {
    let left = size;
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(CHUNK, left);
        left -= n;
        if (!socket.write(n === CHUNK ? chunk : chunk.subarray(0, n))) return void socket.once('drain', pump);
      }
      socket.end();
    };
    pump();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function readExactlyYieldio(size: number): Promise<void> {
  const server = await sender(size);
  await run(function* () {
    const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
    const data = yield* reader.readexactly(size);
    if (data.length !== size) throw new Error(`readexactly returned ${data.length} bytes`);
    writer.close();
    yield* writer.waitClosed();
  });
  await new Promise((resolve) => server.close(resolve));
}

// ------------------------------------------------------------------------------------ raw net

function listen(onConnection: (socket: net.Socket) => void): Promise<net.Server> {
  const server = net.createServer(onConnection);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function rawPingClient(port: number, rounds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const msg = Buffer.alloc(MSG, 7);
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(msg));
    socket.setNoDelay(true);
    let got = 0;
    let left = rounds;
    socket.on('data', (data: Buffer) => {
      got += data.length;
      while (got >= MSG) {
        got -= MSG;
        if (--left === 0) return void socket.end();
        socket.write(msg);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
}

async function rawPingPong(conns: number, rounds: number): Promise<void> {
  const server = await listen((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => socket.write(data));
    socket.on('end', () => socket.end());
  });
  const port = portOf(server);
  await Promise.all(Array.from({ length: conns }, () => rawPingClient(port, rounds)));
  await new Promise((resolve) => server.close(resolve));
}

async function rawBulk(total: number): Promise<void> {
  let received = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const server = await listen((socket) => {
    socket.on('data', (data: Buffer) => (received += data.length));
    socket.on('end', () => {
      socket.end();
      done();
    });
  });
  const socket = net.connect({ host: '127.0.0.1', port: portOf(server) });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const chunk = Buffer.alloc(CHUNK, 1);
  for (let sent = 0; sent < total; sent += CHUNK) {
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  socket.end();
  await finished;
  await new Promise((resolve) => server.close(resolve));
  if (received !== total) throw new Error(`bulk: received ${received} of ${total} bytes`);
}

async function readExactlyRaw(size: number): Promise<void> {
  const server = await sender(size);
  const data = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const socket = net.connect({ host: '127.0.0.1', port: portOf(server) });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= size) {
        socket.destroy();
        resolve(Buffer.concat(chunks, got).subarray(0, size));
      }
    });
    socket.on('error', reject);
  });
  if (data.length !== size) throw new Error(`raw read returned ${data.length} bytes`);
  await new Promise((resolve) => server.close(resolve));
}

const MiB = (n: number): string => `${(n / 2 ** 20).toLocaleString('en-US')} MiB`;

export const groups: BenchGroup[] = [
  {
    id: 'tcp-pingpong-1',
    title: `TCP ping-pong, 1 connection, ${MSG} B messages, ${PING_ROUNDS.toLocaleString('en-US')} round trips (127.0.0.1)`,
    ops: PING_ROUNDS,
    opName: 'round trips',
    target: '≥ 0.9× raw `net` round trips/s.',
    repeat: 3,
    cases: [
      { name: 'yieldio run(): openConnection + startServer', run: () => run(pingPong(1, PING_ROUNDS)) },
      { name: 'raw net', run: () => rawPingPong(1, PING_ROUNDS) },
    ],
  },
  {
    id: 'tcp-pingpong-100',
    title: `TCP ping-pong, ${PING_CONNS} connections at once, ${MSG} B messages, ${PING_ROUNDS_EACH.toLocaleString('en-US')} round trips each (127.0.0.1)`,
    ops: PING_CONNS * PING_ROUNDS_EACH,
    opName: 'round trips',
    target: '≥ 0.85× raw `net` round trips/s.',
    repeat: 3,
    cases: [
      { name: 'yieldio run(): openConnection + startServer', run: () => run(pingPong(PING_CONNS, PING_ROUNDS_EACH)) },
      { name: 'raw net', run: () => rawPingPong(PING_CONNS, PING_ROUNDS_EACH) },
    ],
  },
  {
    id: 'tcp-bulk',
    title: `TCP bulk, ${MiB(BULK)} one way in 64 KiB writes (127.0.0.1)`,
    ops: BULK / CHUNK,
    opName: '64 KiB chunks',
    target: '≥ 0.95× raw `net` throughput.',
    repeat: 3,
    cases: [
      { name: 'yieldio run(): write + drain, read(64 KiB)', run: () => run(bulk(BULK)) },
      { name: 'raw net: write / drain event, data events', run: () => rawBulk(BULK) },
    ],
  },
  {
    id: 'readexactly-32MiB',
    title: `One \`readexactly(${MiB(EXACT)})\` from a local server sending 64 KiB writes (127.0.0.1)`,
    ops: EXACT / CHUNK,
    opName: '64 KiB chunks',
    target: 'linear: ≤ 2× raw `net`\'s time to receive the same bytes.',
    repeat: 3,
    cases: [
      { name: 'yieldio run(): readexactly', run: () => readExactlyYieldio(EXACT) },
      { name: 'raw net: data events, one Buffer.concat', run: () => readExactlyRaw(EXACT) },
    ],
  },
];
