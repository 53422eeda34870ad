// Twin of stream_writes_after_loss.py: writes after close() / abort(), drain() after the loss.
import { getRunningLoop, run, sleep, type Coroutine } from '../../src/index.ts';
import { ConnectionResetError, openConnection, startServer } from '../../src/node/index.ts';

type Log = (line: string) => void;
const py = (b: boolean): string => (b ? 'True' : 'False');

function* drainReport(log: Log, label: string, drain: Coroutine<void>): Coroutine<void> {
  try {
    yield* drain;
    log(`${label}: ok`);
  } catch (e) {
    if (!(e instanceof ConnectionResetError)) throw e;
    log(`${label}: ${e.name} ${e.message}`);
  }
}

export default async function main(log: Log): Promise<void> {
  await run(function* () {
    const warnings: string[] = [];
    getRunningLoop().setExceptionHandler((_loop, context) => warnings.push(context.message));
    const received: (number | boolean)[] = [];
    const server = yield* startServer(function* (reader, writer) {
      const data = yield* reader.read();
      received.push(data.length, Buffer.from(data.subarray(data.length - 4)).toString() === 'tail');
      writer.close();
    }, { host: '127.0.0.1', port: 0 });
    const port = (server.sockets[0]!.getsockname() as [string, number])[1];

    let [reader, writer] = yield* openConnection({ host: '127.0.0.1', port });
    writer.write(new Uint8Array(10_000_000).fill(0x78));
    log(`buffered before close: ${py(writer.getWriteBufferSize() > 0)}`);
    writer.close();
    writer.write('tail');
    log(`closing: ${py(writer.isClosing())}`);
    yield* writer.drain();
    log('drain while flushing: ok');
    yield* writer.waitClosed();
    while (received.length < 2) yield* sleep(10);
    log(`peer received: ${received[0]} ends with tail: ${py(received[1] === true)}`);
    yield* drainReport(log, 'drain after the close', writer.drain());

    [reader, writer] = yield* openConnection({ host: '127.0.0.1', port });
    writer.close();
    yield* drainReport(log, 'drain after close', writer.drain());
    yield* writer.waitClosed();

    [reader, writer] = yield* openConnection({ host: '127.0.0.1', port });
    writer.abort();
    log(`size after abort: ${writer.getWriteBufferSize()}`);
    for (let i = 0; i < 7; i++) {
      writer.write('lost');
      log(`write ${i} warnings so far: ${warnings.length}`);
    }
    log(`warning: ${warnings[0]}`);
    yield* drainReport(log, 'drain after abort', writer.drain());
    log(`read after abort: ${(yield* reader.read()).length} bytes`);
    server.close();
    yield* server.waitClosed();
  });
}
