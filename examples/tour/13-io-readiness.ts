// §13 The real event loop: I/O readiness. An echo server and a client over
// loopback (yieldio/node streams, as examples/echo-server.ts). When no
// task is ready and no timer is due, the loop has nothing to do but wait
// for the host (Node's libuv: epoll / kqueue / IOCP) to say a socket is
// readable. An instrument prints each of those waits and the task the host
// woke, while the client and the server play ping-pong (one message in
// flight at a time, so one wake each).
import {
  currentTask, Event, getRunningLoop, run, type Coroutine, type Instrument,
} from '../../src/index.ts';
import {
  openConnection, startServer, type StreamReader, type StreamWriter,
} from '../../src/node/index.ts';

const decode = (bytes: Uint8Array): string =>
  new TextDecoder().decode(bytes).trimEnd();

let serving: Event;

function* handleEcho(
  reader: StreamReader,
  writer: StreamWriter,
): Coroutine<void> {
  currentTask()?.setName('server');
  // Accepted: from here on, the trace is one wake per message.
  serving.set();
  for (;;) {
    // Suspends until the socket is readable:
    const line = yield* reader.readline();
    if (line.length === 0) break; // EOF
    console.log(`    server: got "${decode(line)}", echoes it upper-cased`);
    writer.write(decode(line).toUpperCase() + '\n');
    yield* writer.drain();
  }
  writer.close();
  yield* writer.waitClosed();
}

const HOST_WAIT = 'waits on the host (libuv: epoll/kqueue)';

/** Prints each wait on the host, and which task the host's event resumed. */
function traceHostWaits(): Instrument {
  let waiting = false;
  let woke = false;
  return {
    beforeIdle(timeout) {
      // -1: no timer is due; only the host (a socket becoming readable)
      // can wake the loop.
      waiting = timeout < 0;
      if (waiting) console.log(`loop: nothing ready, no timer: ${HOST_WAIT}`);
    },
    afterIdle() {
      woke = waiting;
    },
    beforeTaskStep(task) {
      if (!woke) return;
      woke = waiting = false;
      console.log(`loop: a socket is readable: resumes task ${task.getName()}`);
    },
  };
}

function* client(port: number): Coroutine<void> {
  currentTask()?.setName('client');
  const [reader, writer] = yield* openConnection({
    host: '127.0.0.1',
    port,
  });
  yield* serving.wait();
  const trace = traceHostWaits();
  getRunningLoop().addInstrument(trace);
  for (const message of ['malt', 'hops']) {
    console.log(`    client: sends "${message}", then awaits the reply`);
    writer.write(message + '\n');
    yield* writer.drain();
    const reply = decode(yield* reader.readline());
    console.log(`    client: got "${reply}"`);
  }
  getRunningLoop().removeInstrument(trace);
  writer.close();
  yield* writer.waitClosed();
}

export async function main(): Promise<void> {
  await run(function* () {
    serving = new Event();
    const options = { host: '127.0.0.1', port: 0 }; // port 0: any free one
    const server = yield* startServer(handleEcho, options);
    const [, port] = server.sockets[0]!.getsockname() as [string, number];
    yield* client(port);
    server.close();
    yield* server.waitClosed();
    console.log('both sides closed');
  });
}
