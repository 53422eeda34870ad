import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runMain, KeyboardInterrupt, exitOnInterrupt } from './runners.ts';
import { run } from '../runners.ts';
import { currentTask, sleep } from '../tasks.ts';
import { CancelledError } from '../exceptions.ts';
import { fromPromise } from '../host.ts';
import { catching } from '../../test/support/coroutines.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs test/programs/sigint-main.ts, sends SIGINT after each `trigger` line, returns what it printed and how it ended. */
function interrupt(args: string[], triggers: string[]): Promise<{ lines: string[]; code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/programs/sigint-main.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const pending = [...triggers];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      while (pending.length > 0 && out.split('\n').includes(pending[0]!)) {
        pending.shift();
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ lines: out.split('\n').filter(Boolean), code, signal }));
  });
}

describe('runMain: Ctrl-C as asyncio.Runner handles it (a real child process)', () => {
  test('the first SIGINT cancels main: its finally and the other tasks\' finally run, then KeyboardInterrupt, exit status 130', async () => {
    const result = await interrupt([], ['ready']);
    assert.deepEqual(result.lines, ['ready', 'main finally', 'main cleanup done', 'background finally', 'KeyboardInterrupt']);
    assert.equal(result.code, 130);
  });

  test('a second SIGINT during a cleanup that never ends kills the process by SIGINT', async () => {
    const result = await interrupt(['stubborn'], ['ready', 'cleanup forever']);
    assert.deepEqual(result.lines, ['ready', 'main finally', 'cleanup forever']);
    assert.equal(result.signal, 'SIGINT');
  });
});

describe('runMain in process', () => {
  test('without a signal it is run(): the result, or main\'s own error; a cancellation not caused by SIGINT stays CancelledError', async () => {
    assert.equal(await runMain(function* () { yield* sleep(1); return 42; }), 42);
    await assert.rejects(runMain(function* () { throw new Error('own'); }), { message: 'own' });
    await assert.rejects(runMain(function* () { currentTask()!.cancel(); yield* sleep(1); }), CancelledError);
    assert.equal(process.listenerCount('SIGINT'), 0);
  });

  test('exitOnInterrupt sets exit status 130 for KeyboardInterrupt and rethrows the rest; nested runMain is refused', async () => {
    const saved = process.exitCode;
    try {
      exitOnInterrupt(new KeyboardInterrupt());
      assert.equal(process.exitCode, 130);
    } finally {
      process.exitCode = saved;
    }
    assert.throws(() => exitOnInterrupt(new Error('other')), { message: 'other' });
    const nested = await run(function* () {
      return yield* catching(fromPromise(runMain(function* () {})));
    });
    assert.equal((nested as Error).message, 'runMain() cannot be called from a running event loop');
  });
});
