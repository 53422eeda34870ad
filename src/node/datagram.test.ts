import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import { run } from '../runners.ts';
import { sleep } from '../tasks.ts';
import { getRunningLoop } from '../events.ts';
import { catching } from '../../test/support/coroutines.ts';
import type { ExceptionContext } from '../base-events.ts';
import type { Future } from '../futures.ts';
import type { Coroutine } from '../types.ts';
import { OSError } from './errors.ts';
import { DatagramProtocol, createDatagramEndpoint, type DatagramAddress, type DatagramTransport } from './datagram.ts';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/** Upper-cases each datagram back to its sender. */
class UpperEcho extends DatagramProtocol {
  transport: DatagramTransport | null = null;
  events: string[] = [];
  override connectionMade(transport: DatagramTransport): void {
    this.transport = transport;
    this.events.push('made');
  }
  override datagramReceived(data: Uint8Array, addr: DatagramAddress): void {
    this.events.push(`got ${text(data)}`);
    this.transport!.sendto(text(data).toUpperCase(), addr);
  }
  override connectionLost(exc: unknown): void {
    this.events.push(`lost ${exc}`);
  }
}

/** Records what arrives; `next()` waits for the next datagram or error. */
class Client extends DatagramProtocol {
  events: string[] = [];
  waiter: Future<void> | null = null;
  override connectionMade(): void {
    this.events.push('made');
  }
  override datagramReceived(data: Uint8Array, addr: DatagramAddress): void {
    this.events.push(`${text(data)} from ${addr[0]}`);
    this.waiter?.setResult();
  }
  override errorReceived(exc: unknown): void {
    this.events.push(`error ${(exc as Error).name}`);
    this.waiter?.setResult();
  }
  override connectionLost(exc: unknown): void {
    this.events.push(`lost ${exc}`);
  }
  *next(): Coroutine<void> {
    this.waiter = getRunningLoop().createFuture<void>();
    yield* this.waiter;
    this.waiter = null;
  }
}

describe('createDatagramEndpoint (UDP on 127.0.0.1)', () => {
  test('a connected client and a bound server: connectionMade, datagramReceived with the sender, sendto, close then connectionLost(null)', async () => {
    const out = await run(function* () {
      const [server, echo] = yield* createDatagramEndpoint(() => new UpperEcho(), { localAddr: ['127.0.0.1', 0] });
      const [host, port] = server.getExtraInfo('sockname') as DatagramAddress;
      const [client, proto] = yield* createDatagramEndpoint(() => new Client(), { remoteAddr: [host, port] });
      yield* sleep(0); // connectionMade runs soon, as in asyncio
      client.sendto('ping');
      yield* proto.next();
      client.sendto('pong', [host, port]); // the peer's own address is accepted
      yield* proto.next();
      const misuse = (() => {
        try {
          client.sendto('x', ['127.0.0.1', 1]);
        } catch (e) {
          return e;
        }
        return null;
      })();
      const peer = client.getExtraInfo('peername');
      client.close();
      server.close();
      const closing = server.isClosing();
      while (!proto.events.some((e) => e.startsWith('lost')) || !echo.events.some((e) => e.startsWith('lost'))) yield* sleep(1);
      return { server: echo.events, client: proto.events, misuse, peer, port, closing };
    });
    assert.deepEqual(out.server, ['made', 'got ping', 'got pong', 'lost null']);
    assert.deepEqual(out.client, ['made', 'PING from 127.0.0.1', 'PONG from 127.0.0.1', 'lost null']);
    assert.equal((out.misuse as Error).message, `Invalid address: must be null or ['127.0.0.1', ${out.port}]`);
    assert.deepEqual(out.peer, ['127.0.0.1', out.port]);
    assert.equal(out.closing, true);
  });

  test('errorReceived: a connected endpoint whose peer has no listener gets ConnectionRefusedError (ICMP port unreachable)', async () => {
    // A port nobody listens on: bind, read it, close.
    const port = await new Promise<number>((resolve) => {
      const s = dgram.createSocket('udp4');
      s.bind(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    const events = await run(function* () {
      const [client, proto] = yield* createDatagramEndpoint(() => new Client(), { remoteAddr: ['127.0.0.1', port] });
      client.sendto('anyone?');
      yield* proto.next();
      client.close();
      return proto.events;
    });
    assert.deepEqual(events, ['made', 'error ConnectionRefusedError']);
  });

  test('sends after close are dropped, and logged from the fifth on (asyncio\'s "socket.send() raised exception.")', async () => {
    const reports = await run(function* () {
      const reports: ExceptionContext[] = [];
      getRunningLoop().setExceptionHandler((_loop, context) => reports.push(context));
      const [client] = yield* createDatagramEndpoint(() => new Client(), { remoteAddr: ['127.0.0.1', 9] });
      client.close();
      for (let i = 0; i < 6; i++) client.sendto('dropped');
      yield* sleep(1);
      return reports.map((r) => r.message);
    });
    assert.deepEqual(reports, ['socket.send() raised exception.', 'socket.send() raised exception.']);
  });

  test('bad options: reuseAddress unknown as in 3.13, unknown options, a family that does not fit; a bind error is an OSError', async () => {
    await run(function* () {
      // CPython 3.13: TypeError: create_datagram_endpoint() got an unexpected keyword argument 'reuse_address'
      const e1 = yield* catching(createDatagramEndpoint(() => new Client(), { reuseAddress: true } as never));
      assert.equal((e1 as Error).message, 'createDatagramEndpoint() got an unexpected option `reuseAddress`. Its options are: localAddr, remoteAddr, family, reusePort, allowBroadcast.');
      assert.equal((e1 as Error).name, 'TypeError');
      const e3 = yield* catching(createDatagramEndpoint(() => new Client(), { localAddr: ['127.0.0.1', 0], family: 6 }));
      assert.equal((e3 as Error).message, "family 6 does not fit the address '127.0.0.1'");
      const [taken] = yield* createDatagramEndpoint(() => new Client(), { localAddr: ['127.0.0.1', 0] });
      const e4 = yield* catching(createDatagramEndpoint(() => new Client(), { localAddr: taken.getExtraInfo('sockname') as DatagramAddress }));
      assert.ok(e4 instanceof OSError, String(e4));
      assert.equal((e4 as OSError).code, 'EADDRINUSE');
      const [unconnected] = yield* createDatagramEndpoint(() => new Client(), {});
      assert.throws(() => unconnected.sendto('x'), { name: 'RangeError', message: 'sendto() needs an address: this endpoint has no remoteAddr. Pass [host, port].' });
      unconnected.close();
      taken.close();
    });
  });

  test('run() shutdown closes an endpoint the program left open (Node would never exit)', async () => {
    let transport: DatagramTransport | null = null;
    await run(function* () {
      [transport] = yield* createDatagramEndpoint(() => new Client(), { localAddr: ['127.0.0.1', 0] });
    });
    assert.equal(transport!.isClosing(), true);
  });
});
