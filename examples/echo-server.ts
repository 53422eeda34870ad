// An echo server and a client talking over loopback with yieldio/node streams (asyncio's
// "TCP echo server using streams" example). The server upper-cases each line; the client sends
// three lines, half-closes, and reads until the server closes. Each side prints what it sees; the
// client waits for each reply before the next line, so the transcript is always the same.
// Run: node --import tsx examples/echo-server.ts
import { run, type Coroutine } from '../src/index.ts';
import { openConnection, startServer, type StreamReader, type StreamWriter } from '../src/node/index.ts';

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function* handleEcho(reader: StreamReader, writer: StreamWriter): Coroutine<void> {
  for (;;) {
    const line = yield* reader.readline();
    if (line.length === 0) break; // the client sent EOF
    const message = decode(line).trimEnd();
    console.log(`server: received ${JSON.stringify(message)}`);
    writer.write(`${message.toUpperCase()}\n`);
    yield* writer.drain();
  }
  console.log('server: client sent EOF, closing');
  writer.close();
  yield* writer.waitClosed();
}

function* client(port: number): Coroutine<void> {
  const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port });
  for (const message of ['hello', 'yieldio streams', 'goodbye']) {
    console.log(`client: send ${JSON.stringify(message)}`);
    writer.write(`${message}\n`);
    yield* writer.drain();
    console.log(`client: got ${JSON.stringify(decode(yield* reader.readline()).trimEnd())}`);
  }
  writer.writeEof();
  const rest = yield* reader.read(); // empty: the server closed after our EOF
  console.log(`client: server closed the connection (${rest.length} more bytes)`);
  writer.close();
  yield* writer.waitClosed();
}

/** Starts the server on a free loopback port, runs the client against it, closes the server. */
export function main(): Promise<void> {
  return run(function* () {
    const server = yield* startServer(handleEcho, { host: '127.0.0.1', port: 0 });
    const [, port] = server.sockets[0]!.getsockname() as [string, number];
    yield* client(port);
    server.close();
    yield* server.waitClosed();
    console.log('server: closed');
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
