// Twin of node_errors.py: Node's system errors raised under Python's names (src/node/errors.ts).
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type Coroutine } from '../../src/index.ts';
import {
  ConnectionError,
  OSError,
  createSubprocessExec,
  openConnection,
  openUnixConnection,
  startServer,
} from '../../src/node/index.ts';
import { TimeoutError } from '../../src/exceptions.ts';

type Log = (line: string) => void;
const py = (b: boolean): string => (b ? 'True' : 'False');

function describe(e: unknown): string {
  const error = e as OSError;
  return `${error.name} errno=${error.errno} OSError=${py(e instanceof OSError)} ConnectionError=${py(e instanceof ConnectionError)}`;
}

function* attempt(log: Log, label: string, body: Coroutine<unknown>): Coroutine<void> {
  try {
    yield* body;
    log(`${label}: no error`);
  } catch (e) {
    if (!(e instanceof OSError)) throw e;
    log(`${label}: ${describe(e)}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export default async function main(log: Log): Promise<void> {
  const refusedPort = await freePort();
  await run(function* () {
    yield* attempt(log, 'refused', openConnection({ host: '127.0.0.1', port: refusedPort }));
    yield* attempt(log, 'unix missing', openUnixConnection({ path: join(tmpdir(), `yieldio-missing-${process.pid}.sock`) }));
    yield* attempt(log, 'spawn missing', createSubprocessExec('/nonexistent/yieldio-program'));
    yield* attempt(log, 'spawn not executable', createSubprocessExec('/etc/passwd'));

    // The peer resets the connection (SO_LINGER 0, then close: an RST) while we read.
    const server = yield* startServer(function* (serverReader, serverWriter) {
      yield* serverReader.readexactly(1); // connected for sure: the RST cannot fail the connect
      (serverWriter.getExtraInfo('socket') as net.Socket).resetAndDestroy();
    }, { host: '127.0.0.1', port: 0 });
    const port = (server.sockets[0]!.getsockname() as [string, number])[1];
    const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port });
    writer.write('x');
    yield* attempt(log, 'read after reset', reader.read());
    yield* attempt(log, 'wait_closed after reset', writer.waitClosed());
    yield* attempt(log, 'drain after reset', writer.drain());
    server.close();
    yield* server.waitClosed();
    log(`TimeoutError is an OSError: ${py(new TimeoutError() instanceof OSError)}`);
  });
}
