import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, requestSnapshot } from './ps.ts';
import { runSync, sleep } from '../index.ts';
import './index.ts'; // yieldio/node loaded: its host serves ps

const nodeIndex = fileURLToPath(new URL('./index.ts', import.meta.url));
const coreIndex = fileURLToPath(new URL('../index.ts', import.meta.url));
const cliPath = fileURLToPath(new URL('./cli.ts', import.meta.url));

// A program that knows nothing of ps: it only uses runMain. Its tasks wait on a lock, a queue, a gather.
const program = `
  import { runMain } from ${JSON.stringify(nodeIndex)};
  import { createTask, currentTask, gather, sleep, Lock, Queue } from ${JSON.stringify(coreIndex)};
  await runMain(function* () {
    currentTask().setName('main');
    const lock = new Lock();
    const queue = new Queue(10);
    function* holder() { yield* lock.acquire(); yield* sleep(60000); }
    createTask(holder(), { name: 'holder' });
    yield* sleep(1);
    const waiter = createTask(lock.acquire(), { name: 'waiter' });
    const consumer = createTask(queue.get(), { name: 'consumer' });
    yield* sleep(1);
    console.log('ready');
    yield* gather(waiter, consumer);
  });
`;

function startChild(flags: string[] = [], source = program): Promise<{ pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...flags, '--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve({ pid: child.pid as number, stop: () => child.kill('SIGKILL') });
    });
  });
}

describe('yieldio ps / pstree on a live child process', () => {
  test('the task table names each task, what it awaits and who awaits it', async () => {
    const child = await startChild();
    try {
      const snapshot = requestSnapshot(child.pid);
      assert.equal(snapshot.pid, child.pid);
      const byName = new Map(snapshot.rows.map((r) => [r.name, r]));
      assert.deepEqual([...byName.keys()].sort(), ['consumer', 'holder', 'main', 'waiter']);
      assert.equal(byName.get('waiter')?.awaits, "Lock.acquire() on <Lock [locked, waiters:1]> held by Task 'holder'");
      assert.equal(byName.get('consumer')?.awaits, 'Queue.get() on <Queue maxsize=10 size=0>');
      assert.match(byName.get('holder')?.awaits ?? '', /^sleep\(60000\) until t=\d+(\.\d+)?$/);
      assert.equal(byName.get('main')?.awaits, 'gather(2 children: 2 pending)');
      assert.deepEqual(byName.get('waiter')?.awaitedBy, ['main']);
      // Ages: ps records each task's creation time while it serves the loop. holder was created
      // before the 1 ms sleep that precedes waiter's creation, so it is older.
      for (const row of snapshot.rows) assert.equal(typeof row.age, 'number', `${row.name} has an age`);
      assert.ok((byName.get('holder')?.age as number) > (byName.get('waiter')?.age as number));
      assert.ok((byName.get('main')?.age as number) >= (byName.get('holder')?.age as number));

      // The CLI, as a user runs it.
      const ps = spawnSync(process.execPath, ['--import', 'tsx', cliPath, 'ps', String(child.pid)], { encoding: 'utf8' });
      assert.equal(ps.status, 0, ps.stderr);
      const lines = ps.stdout.trimEnd().split('\n');
      assert.match(lines[0] ?? '', /^loop +task +state +age +awaits +awaited by$/);
      assert.ok(lines.some((l) => /^1 +waiter +pending +\d+(\.\d)?m?s +Lock\.acquire\(\) on <Lock \[locked, waiters:1\]> held by Task 'holder' +main$/.test(l)), ps.stdout);

      const tree = spawnSync(process.execPath, ['--import', 'tsx', cliPath, 'pstree', String(child.pid)], { encoding: 'utf8' });
      assert.equal(tree.status, 0, tree.stderr);
      assert.equal(
        tree.stdout.trimEnd().split('\n').filter((l) => !l.startsWith('(T) holder')).join('\n'),
        [
          '(T) main ← gather(2 children: 2 pending)',
          "├── (T) waiter ← Lock.acquire() on <Lock [locked, waiters:1]> held by Task 'holder'",
          '└── (T) consumer ← Queue.get() on <Queue maxsize=10 size=0>',
        ].join('\n'),
      );
      assert.match(tree.stdout, /^\(T\) holder ← sleep\(60000\) until t=/m);
    } finally {
      child.stop();
    }
  });

  test('a program that imports only the core is served when started with --import yieldio/node', async () => {
    // The core never touches node: modules, so it cannot answer by itself; loading yieldio/node
    // before the program (no change to its code) registers the responder.
    const coreOnly = `
      import { createTask, currentTask, run, sleep } from ${JSON.stringify(coreIndex)};
      await run(function* () {
        currentTask().setName('core-main');
        createTask(sleep(60000), { name: 'napper' });
        yield* sleep(1);
        console.log('ready');
        yield* sleep(60000);
      });
    `;
    const child = await startChild(['--import', nodeIndex], coreOnly);
    try {
      const snapshot = requestSnapshot(child.pid);
      assert.deepEqual(snapshot.rows.map((r) => r.name).sort(), ['core-main', 'napper']);
      assert.match(snapshot.rows.find((r) => r.name === 'napper')?.awaits ?? '', /^sleep\(60000\) until t=/);
    } finally {
      child.stop();
    }
  });

  test('a program that imports only the core, started without it, is refused with the fix named', async () => {
    const coreOnly = `
      import { run, sleep } from ${JSON.stringify(coreIndex)};
      await run(function* () { console.log('ready'); yield* sleep(60000); });
    `;
    const child = await startChild([], coreOnly);
    try {
      assert.throws(() => requestSnapshot(child.pid), { message: /is not serving yieldio ps: .*start it with node --import yieldio\/node/ });
    } finally {
      child.stop();
    }
  });

  test('a process that does not serve ps is refused before any signal is sent', () => {
    // This test process has no open runner loop, so no marker: nothing is signalled (SIGUSR2 would kill it).
    assert.equal(existsSync(join(tmpdir(), `yieldio-ps-${process.pid}.ready`)), false);
    assert.throws(() => requestSnapshot(process.pid), {
      message: `process ${process.pid} is not serving yieldio ps: it must run a yieldio loop (run/runMain) with yieldio/node loaded (a program that imports only 'yieldio': start it with node --import yieldio/node), not set YIELDIO_PS=0, and be able to write ${tmpdir()}`,
    });
    const errors: string[] = [];
    assert.equal(cli(['ps', 'abc'], () => {}, (t) => errors.push(t)), 2);
    assert.match(errors[0] ?? '', /^usage: yieldio ps <pid>/);
    assert.equal(cli(['pstree', String(process.pid)], () => {}, (t) => errors.push(t)), 1);
    assert.match(errors[1] ?? '', /^yieldio pstree: process \d+ is not serving yieldio ps/);
  });

  // Last in the file: once the marker cannot be written, ps stays off for this process.
  test('a process that cannot write the temporary directory runs on without ps (Deno without --allow-write)', () => {
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = join(tmpdir(), `yieldio-ps-missing-${process.pid}`, 'nope');
    try {
      assert.equal(runSync(sleep(5, 'ran')), 'ran');
      assert.equal(runSync(sleep(5, 'again')), 'again');
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
    assert.equal(existsSync(join(tmpdir(), `yieldio-ps-${process.pid}.ready`)), false);
  });
});
