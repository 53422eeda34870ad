// The runtime smoke suite: what a user of each runtime the README claims does first. It runs as a
// plain script (no node:test: Deno's and Bun's support of it differ) under Node, Deno and Bun, by
// `npm run test:runtimes` (scripts/test-runtimes.ts); it prints TAP-like lines and a closing
// "N passed, N failed" line, and exits 1 on any failure.
import {
  BREAK,
  CancelledError,
  ExceptionGroup,
  asyncFor,
  asyncGenerator,
  createTask,
  gather,
  run,
  runSync,
  sleep,
  taskGroup,
  type Coroutine,
} from '../../src/index.ts';
import { PIPE, createSubprocessExec, openConnection, startServer, type StreamReader, type StreamWriter } from '../../src/node/index.ts';

const runtime =
  'Deno' in globalThis ? `deno ${(globalThis as unknown as { Deno: { version: { deno: string } } }).Deno.version.deno}`
  : 'Bun' in globalThis ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `node ${process.versions.node}`;

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

function equal(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

const cases: [string, () => unknown][] = [
  ['runSync: a coroutine with sleep on the virtual clock returns its value', () => {
    const value = runSync(function* () {
      yield* sleep(1000);
      return 'slept';
    });
    equal(value, 'slept', 'runSync result');
  }],
  ['run: the real clock, a Promise of the result', async () => {
    const value = await run(function* () {
      yield* sleep(5);
      return 42;
    });
    equal(value, 42, 'run result');
  }],
  ['gather: results in argument order, whatever order they finish in', async () => {
    const order: string[] = [];
    function* after(ms: number, name: string): Coroutine<string> {
      yield* sleep(ms);
      order.push(name);
      return name;
    }
    const results = await run(function* () {
      return yield* gather([after(20, 'slow'), after(1, 'fast')]);
    });
    equal(results, ['slow', 'fast'], 'gather results');
    equal(order, ['fast', 'slow'], 'finishing order');
  }],
  ['cancellation: cancel() throws CancelledError into the task, finally blocks run', async () => {
    const log: string[] = [];
    await run(function* () {
      const task = createTask((function* sleeper(): Coroutine<void> {
        try {
          yield* sleep(60_000);
        } finally {
          log.push('cleaned up');
        }
      })());
      yield* sleep(1);
      task.cancel('stop');
      try {
        yield* task;
      } catch (e) {
        check(e instanceof CancelledError, `expected CancelledError, got ${String(e)}`);
        log.push(`cancelled: ${(e as Error).message}`);
      }
    });
    equal(log, ['cleaned up', 'cancelled: stop'], 'cancellation log');
  }],
  ['async generator: asyncFor with BREAK closes the generator', () => {
    const log: string[] = [];
    const ticks = asyncGenerator(function* ticks() {
      try {
        for (let i = 1; ; i++) {
          yield* sleep(10);
          yield i;
        }
      } finally {
        log.push('closed');
      }
    });
    runSync(function* () {
      yield* asyncFor(ticks(), function* (i) {
        log.push(`tick ${i}`);
        if (i === 3) return BREAK;
      });
    });
    equal(log, ['tick 1', 'tick 2', 'tick 3', 'closed'], 'asyncFor log');
  }],
  ['TaskGroup: a failing child cancels its siblings, errors come as one ExceptionGroup', () => {
    const log: string[] = [];
    const caught = runSync(function* () {
      try {
        yield* taskGroup(function* (tg) {
          tg.createTask((function* slow(): Coroutine<void> {
            try {
              yield* sleep(1000);
            } catch (e) {
              log.push(`sibling ${(e as Error).name}`);
              throw e;
            }
          })());
          tg.createTask((function* fails(): Coroutine<void> {
            yield* sleep(1);
            throw new RangeError('bad');
          })());
        });
      } catch (e) {
        return e;
      }
      return null;
    });
    check(caught instanceof ExceptionGroup, `expected ExceptionGroup, got ${String(caught)}`);
    const group = caught as ExceptionGroup;
    equal(group.message, 'unhandled errors in a TaskGroup', 'group message');
    equal(group.exceptions.map((e) => `${(e as Error).name}: ${(e as Error).message}`), ['RangeError: bad'], 'group members');
    equal(log, ['sibling CancelledError'], 'sibling log');
  }],
  ['yieldio/node: a TCP echo over 127.0.0.1', async () => {
    const reply = await run(function* () {
      const server = yield* startServer(function* echo(reader: StreamReader, writer: StreamWriter): Coroutine<void> {
        const line = yield* reader.readline();
        writer.write(new TextDecoder().decode(line).toUpperCase());
        yield* writer.drain();
        writer.close();
        yield* writer.waitClosed();
      }, { host: '127.0.0.1', port: 0 });
      const [, port] = server.sockets[0]!.getsockname() as [string, number];
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port });
      writer.write('hello\n');
      yield* writer.drain();
      const answer = new TextDecoder().decode(yield* reader.read());
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
      return answer;
    });
    equal(reply, 'HELLO\n', 'echo reply');
  }],
  ['yieldio/node: a subprocess, its stdout and exit code', async () => {
    const [out, code] = await run(function* () {
      const proc = yield* createSubprocessExec('sh', ['-c', 'echo "from $0"; exit 3', 'child'], { stdout: PIPE });
      const [stdout] = yield* proc.communicate();
      return [new TextDecoder().decode(stdout ?? new Uint8Array()), yield* proc.wait()] as const;
    });
    equal([out, code], ['from child\n', 3], 'stdout and exit code');
  }],
];

let passed = 0;
let failed = 0;
console.log(`# yieldio smoke suite on ${runtime}`);
for (const [i, [name, body]] of cases.entries()) {
  try {
    await body();
    passed++;
    console.log(`ok ${i + 1} - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok ${i + 1} - ${name}\n  ${String(e instanceof Error ? e.stack : e).split('\n').join('\n  ')}`);
  }
}
console.log(`${runtime}: ${passed} passed, ${failed} failed`);
// Deno and Bun have process too (node compatibility); the exit code is what the runner reads.
process.exit(failed > 0 || passed === 0 ? 1 : 0);
