// Twin of datagram_echo.py: UDP endpoints (createDatagramEndpoint) and their protocol callbacks.
import * as dgram from 'node:dgram';
import { getRunningLoop, run, sleep, type Coroutine, type Future } from '../../src/index.ts';
import { DatagramProtocol, createDatagramEndpoint, type DatagramAddress, type DatagramTransport } from '../../src/node/index.ts';

type Log = (line: string) => void;
const py = (v: unknown): string => (v === null ? 'None' : String(v));
const text = (b: Uint8Array): string => Buffer.from(b).toString();

export default async function main(log: Log): Promise<void> {
  let lost = 0;
  class UpperEcho extends DatagramProtocol {
    transport: DatagramTransport | null = null;
    override connectionMade(transport: DatagramTransport): void {
      this.transport = transport;
      log('server: connection_made');
    }
    override datagramReceived(data: Uint8Array, addr: DatagramAddress): void {
      log(`server: got ${text(data)} from ${addr[0]}`);
      this.transport!.sendto(text(data).toUpperCase(), addr);
    }
    override connectionLost(exc: unknown): void {
      lost++;
      log(`server: connection_lost ${py(exc)}`);
    }
  }
  class Client extends DatagramProtocol {
    waiter: Future<void> | null = null;
    override connectionMade(): void {
      log('client: connection_made');
    }
    override datagramReceived(data: Uint8Array, addr: DatagramAddress): void {
      log(`client: got ${text(data)} from ${addr[0]}`);
      this.waiter!.setResult();
    }
    override errorReceived(exc: unknown): void {
      log(`client: error_received ${(exc as Error).name}`);
      this.waiter!.setResult();
    }
    override connectionLost(exc: unknown): void {
      lost++;
      log(`client: connection_lost ${py(exc)}`);
    }
    *next(): Coroutine<void> {
      this.waiter = getRunningLoop().createFuture<void>();
      yield* this.waiter;
    }
  }
  const free = await new Promise<number>((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  await run(function* () {
    const [server] = yield* createDatagramEndpoint(() => new UpperEcho(), { localAddr: ['127.0.0.1', 0] });
    const [host, port] = server.getExtraInfo('sockname') as DatagramAddress;
    const [client, proto] = yield* createDatagramEndpoint(() => new Client(), { remoteAddr: [host, port] });
    yield* sleep(0);
    client.sendto('ping');
    yield* proto.next();
    try {
      client.sendto('x', ['127.0.0.1', 1]);
    } catch (e) {
      log(`sendto elsewhere: ${(e as Error).message.split(':')[0]}`);
    }
    client.close();
    server.close();
    while (lost < 2) yield* sleep(1);

    const [refused, proto2] = yield* createDatagramEndpoint(() => new Client(), { remoteAddr: ['127.0.0.1', free] });
    refused.sendto('anyone?');
    yield* proto2.next();
    refused.close();
    while (lost < 3) yield* sleep(1);
    try {
      yield* createDatagramEndpoint(() => new Client(), { localAddr: ['127.0.0.1', 0], reuseAddress: true } as never);
    } catch (e) {
      log(`reuse_address: ${(e as Error).name}`);
    }
  });
}
