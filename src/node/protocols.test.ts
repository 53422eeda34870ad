import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { run } from '../runners.ts';
import { sleep } from '../tasks.ts';
import { getRunningLoop } from '../events.ts';
import { catching } from '../../test/support/coroutines.ts';
import type { Future } from '../futures.ts';
import type { Coroutine } from '../types.ts';
import { ConnectionRefusedError } from './errors.ts';
import { BufferedProtocol, Protocol, type SocketTransport } from './protocols.ts';
import { createConnection, createServer, createUnixConnection, createUnixServer, type Server } from './streams.ts';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const portOf = (server: Server): number => (server.sockets[0]!.getsockname() as [string, number])[1];

/** Upper-cases what it receives; at EOF says 'bye' and closes (half-close kept open by eofReceived). */
class UpperEcho extends Protocol {
  transport: SocketTransport | null = null;
  events: string[] = [];
  override connectionMade(transport: SocketTransport): void {
    this.transport = transport;
    this.events.push('made');
  }
  override dataReceived(data: Uint8Array): void {
    this.events.push(`data ${text(data)}`);
    this.transport!.write(text(data).toUpperCase());
  }
  override eofReceived(): boolean {
    this.events.push('eof');
    this.transport!.write('bye');
    this.transport!.close();
    return true;
  }
  override connectionLost(exc: unknown): void {
    this.events.push(`lost ${exc}`);
  }
}

/** Collects what arrives; `until(n)` waits for n bytes. */
class Collector extends Protocol {
  transport: SocketTransport | null = null;
  events: string[] = [];
  received = '';
  lost: Future<unknown> | null = null;
  override connectionMade(transport: SocketTransport): void {
    this.transport = transport;
    this.lost = getRunningLoop().createFuture<unknown>();
    this.events.push('made');
  }
  override dataReceived(data: Uint8Array): void {
    this.received += text(data);
  }
  override eofReceived(): void {
    this.events.push('eof'); // returns nothing: the transport closes, as asyncio's
  }
  override connectionLost(exc: unknown): void {
    this.events.push(`lost ${exc}`);
    this.lost!.setResult(exc);
  }
}

describe('createConnection / createServer: Protocol callbacks over real sockets', () => {
  test('echo: connectionMade, dataReceived, eofReceived (true keeps the half-close open), connectionLost(null), in order', async () => {
    const out = await run(function* () {
      const protocols: UpperEcho[] = [];
      const server = yield* createServer(() => {
        const p = new UpperEcho();
        protocols.push(p);
        return p;
      }, { host: '127.0.0.1', port: 0 });
      const [transport, client] = yield* createConnection(() => new Collector(), { host: '127.0.0.1', port: portOf(server) });
      assert.equal(client.transport, transport); // connectionMade came before createConnection returned
      transport.write('hello');
      while (client.received.length < 5) yield* sleep(1);
      transport.writeEof();
      yield* client.lost!;
      const info = { peer: transport.getExtraInfo('peername'), reading: transport.isReading(), closing: transport.isClosing(), repr: String(transport) };
      server.close();
      yield* server.waitClosed();
      return { client: client.events, received: client.received, server: protocols[0]!.events, info };
    });
    assert.deepEqual(out.client, ['made', 'eof', 'lost null']);
    assert.equal(out.received, 'HELLObye');
    assert.deepEqual(out.server, ['made', 'data hello', 'eof', 'lost null']);
    assert.equal(out.info.reading, false);
    assert.equal(out.info.closing, true);
    assert.match(out.info.repr, /^<SocketTransport closed fd=\d+>$/);
  });

  test('BufferedProtocol: 200 KB received into a 1000-byte buffer through getBuffer / bufferUpdated', async () => {
    class Small extends BufferedProtocol {
      buffer = new Uint8Array(1000);
      total = 0;
      calls = 0;
      sum = 0;
      done: Future<void> = getRunningLoop().createFuture<void>();
      override getBuffer(): Uint8Array {
        return this.buffer;
      }
      override bufferUpdated(n: number): void {
        this.calls++;
        this.total += n;
        for (let i = 0; i < n; i++) this.sum += this.buffer[i]!;
      }
      override eofReceived(): void {
        this.done.setResult();
      }
    }
    const out = await run(function* () {
      const size = 200 * 1000;
      const server = yield* createServer(() => new (class extends Protocol {
        override connectionMade(t: SocketTransport): void {
          t.write(new Uint8Array(size).fill(1));
          t.close();
        }
      })(), { host: '127.0.0.1', port: 0 });
      const [, protocol] = yield* createConnection(() => new Small(), { host: '127.0.0.1', port: portOf(server) });
      yield* protocol.done;
      server.close();
      yield* server.waitClosed();
      return { total: protocol.total, sum: protocol.sum, calls: protocol.calls };
    });
    assert.equal(out.total, 200_000);
    assert.equal(out.sum, 200_000);
    assert.ok(out.calls >= 200);
  });

  test('flow control: pauseWriting past the high limit, resumeWriting at the low one; pauseReading / resumeReading; limits checked as asyncio', async () => {
    const out = await run(function* () {
      const peers: SocketTransport[] = [];
      const server = yield* createServer(() => new (class extends Protocol {
        override connectionMade(t: SocketTransport): void {
          t.pauseReading(); // a peer that does not read, until told
          peers.push(t);
        }
      })(), { host: '127.0.0.1', port: 0 });
      const events: string[] = [];
      class Writer extends Protocol {
        override pauseWriting(): void {
          events.push('pause');
        }
        override resumeWriting(): void {
          events.push('resume');
        }
      }
      const [transport] = yield* createConnection(() => new Writer(), { host: '127.0.0.1', port: portOf(server) });
      transport.setWriteBufferLimits(4096);
      const limits = transport.getWriteBufferLimits();
      while (peers.length === 0) yield* sleep(1);
      const chunk = new Uint8Array(256 * 1024);
      for (let i = 0; i < 64 && !events.includes('pause'); i++) {
        transport.write(chunk);
        yield* sleep(1);
      }
      const pausedReading = peers[0]!.isReading();
      peers[0]!.resumeReading();
      while (!events.includes('resume')) yield* sleep(1);
      const bad = (() => {
        try {
          transport.setWriteBufferLimits(1, 2);
        } catch (e) {
          return (e as Error).message;
        }
        return null;
      })();
      transport.abort();
      server.close();
      server.abortClients();
      return { events, limits, pausedReading, bad };
    });
    assert.deepEqual(out.events, ['pause', 'resume']);
    assert.deepEqual(out.limits, [1024, 4096]);
    assert.equal(out.pausedReading, false);
    assert.equal(out.bad, 'high (1) must be >= low (2) must be >= 0');
  });

  test('a refused connection raises ConnectionRefusedError, and the protocol sees neither connectionMade nor connectionLost', async () => {
    const out = await run(function* () {
      const server = yield* createServer(() => new Protocol(), { host: '127.0.0.1', port: 0 });
      const port = portOf(server);
      server.close();
      yield* server.waitClosed();
      const made: Collector[] = [];
      const error = yield* catching(createConnection(() => {
        const c = new Collector();
        made.push(c);
        return c;
      }, { host: '127.0.0.1', port }));
      yield* sleep(1);
      return { error, events: made[0]!.events };
    });
    assert.ok(out.error instanceof ConnectionRefusedError);
    assert.deepEqual(out.events, []);
    assert.throws(() => createConnection(42 as never, { port: 1 }), { name: 'TypeError', message: 'createConnection() expects a protocol factory (a function returning a Protocol), got `42` (number)' });
  });

  test('createUnixServer / createUnixConnection: the same callbacks over a Unix socket', async () => {
    const path = join(tmpdir(), `yieldio-protocols-${process.pid}.sock`);
    rmSync(path, { force: true });
    const out = await run(function* (): Coroutine<{ received: string; events: string[] }> {
      const server = yield* createUnixServer(() => new UpperEcho(), { path });
      const [transport, client] = yield* createUnixConnection(() => new Collector(), { path });
      transport.write('unix');
      transport.writeEof();
      yield* client.lost!;
      server.close();
      yield* server.waitClosed();
      return { received: client.received, events: client.events };
    });
    assert.deepEqual(out, { received: 'UNIXbye', events: ['made', 'eof', 'lost null'] });
  });
});
