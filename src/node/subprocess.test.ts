import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, openSync, closeSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../runners.ts';
import { createTask, sleep } from '../tasks.ts';
import { CancelledError } from '../exceptions.ts';
import { catching } from '../../test/support/coroutines.ts';
import { BrokenPipeError, ConnectionResetError, FileNotFoundError, OSError, PermissionError, ProcessLookupError } from './errors.ts';
import { DEVNULL, PIPE, STDOUT, createSubprocessExec, createSubprocessShell, type Process } from './subprocess.ts';

const node = process.execPath;
const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('utf8'));

describe('createSubprocessExec / createSubprocessShell (real child processes)', () => {
  test('communicate: input to stdin, stdout and stderr read to EOF, then the returncode', async () => {
    const out = await run(function* () {
      const proc = yield* createSubprocessExec(
        node,
        ['-e', "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{process.stdout.write(s.toUpperCase());process.stderr.write('err');process.exitCode=3})"],
        { stdin: PIPE, stdout: PIPE, stderr: PIPE },
      );
      assert.equal(typeof proc.pid, 'number');
      assert.equal(proc.returncode, null);
      const [stdout, stderr] = yield* proc.communicate('hello');
      return { stdout: text(stdout), stderr: text(stderr), code: proc.returncode, repr: String(proc) === `<Process ${proc.pid}>` };
    });
    assert.deepEqual(out, { stdout: 'HELLO', stderr: 'err', code: 3, repr: true });
  });

  test('stdout read line by line while the child runs; wait() returns the exit code', async () => {
    const out = await run(function* () {
      const proc = yield* createSubprocessExec(node, ['-e', 'for (let i = 0; i < 3; i++) console.log(`line ${i}`)'], { stdout: PIPE });
      const lines: string[] = [];
      for (;;) {
        const line = yield* proc.stdout!.readline();
        if (line.length === 0) break;
        lines.push(text(line)!);
      }
      return { lines, code: yield* proc.wait(), stdin: proc.stdin, stderr: proc.stderr };
    });
    assert.deepEqual(out, { lines: ['line 0\n', 'line 1\n', 'line 2\n'], code: 0, stdin: null, stderr: null });
  });

  test('kill: returncode is minus the signal number (-9), as asyncio; signalling an exited process is ProcessLookupError', async () => {
    const out = await run(function* () {
      const proc = yield* createSubprocessExec(node, ['-e', 'setInterval(() => {}, 1000)']);
      proc.kill();
      const code = yield* proc.wait();
      const error = (() => {
        try {
          proc.terminate();
        } catch (e) {
          return e;
        }
        return null;
      })();
      return { code, error, pid: proc.pid };
    });
    assert.equal(out.code, -9);
    assert.ok(out.error instanceof ProcessLookupError);
    assert.equal((out.error as Error).message, `process ${out.pid} has already exited (returncode -9)`);
  });

  test('send_signal: SIGTERM reaches a handler in the child, which exits with its own code', async () => {
    const out = await run(function* () {
      const proc = yield* createSubprocessExec(node, ['-e', "process.on('SIGTERM', () => { console.log('term'); process.exit(7) }); console.log('ready'); setInterval(() => {}, 1000)"], { stdout: PIPE });
      assert.equal(text(yield* proc.stdout!.readline()), 'ready\n');
      proc.sendSignal('SIGTERM');
      const [stdout] = yield* proc.communicate();
      return { stdout: text(stdout), code: proc.returncode };
    });
    assert.deepEqual(out, { stdout: 'term\n', code: 7 });
  });

  test('stderr=STDOUT merges both streams into process.stdout; DEVNULL discards', async () => {
    const out = await run(function* () {
      const merged = yield* createSubprocessExec(node, ['-e', "process.stdout.write('out;'); setTimeout(() => process.stderr.write('err;'), 20)"], { stdout: PIPE, stderr: STDOUT });
      const [stdout, stderr] = yield* merged.communicate();
      const quiet = yield* createSubprocessExec(node, ['-e', "console.log('x'); console.error('y')"], { stdout: DEVNULL, stderr: DEVNULL });
      return { stdout: text(stdout), stderr, quiet: yield* quiet.communicate() };
    });
    assert.deepEqual(out, { stdout: 'out;err;', stderr: null, quiet: [null, null] });
  });

  test('create_subprocess_shell: a pipeline through /bin/sh, with cwd and env', async () => {
    const out = await run(function* () {
      const proc = yield* createSubprocessShell('echo "$GREETING" | tr a-z A-Z; pwd', { stdout: PIPE, cwd: '/', env: { ...process.env, GREETING: 'hi there' } });
      const [stdout] = yield* proc.communicate();
      return text(stdout);
    });
    assert.equal(out, 'HI THERE\n/\n');
  });

  test('communicate: a child that exits without reading its stdin is not an error (broken pipe ignored)', async () => {
    const out = await run(function* () {
      const proc = yield* createSubprocessExec(node, ['-e', 'process.exit(0)'], { stdin: PIPE, stdout: PIPE });
      yield* proc.wait();
      return yield* proc.communicate(new Uint8Array(1024 * 1024));
    });
    assert.deepEqual(out.map(text), ['', null]);
  });

  test('a missing program raises FileNotFoundError (Node\'s ENOENT as cause); one that is not executable, PermissionError', async () => {
    const [missing, denied] = await run(function* () {
      return [yield* catching(createSubprocessExec('/nonexistent/yieldio-program')), yield* catching(createSubprocessExec('/etc/passwd'))];
    });
    assert.ok(missing instanceof FileNotFoundError && missing instanceof OSError);
    assert.equal(missing.code, 'ENOENT');
    assert.equal(missing.path, '/nonexistent/yieldio-program');
    assert.match(missing.message, /^\[Errno 2\] No such file or directory: '\/nonexistent\/yieldio-program' \(spawn \/nonexistent\/yieldio-program ENOENT\)$/);
    assert.equal((missing.cause as { code?: string }).code, 'ENOENT');
    assert.ok(denied instanceof PermissionError, String(denied));
    assert.equal(denied.code, 'EACCES');
  });

  test('cancelling the task that waits does not kill the child; run() shutdown kills what is left', async () => {
    let proc: Process | null = null;
    const cancelled = await run(function* () {
      proc = yield* createSubprocessExec(node, ['-e', 'setInterval(() => {}, 1000)']);
      const waiter = createTask(proc.wait());
      yield* sleep(0);
      waiter.cancel();
      const error = yield* catching(waiter);
      assert.equal(proc.returncode, null);
      return error;
    });
    assert.ok(cancelled instanceof CancelledError);
    assert.equal(proc!._child.killed, true);
  });

  test('bad arguments: every message', async () => {
    await run(function* () {
      const e1 = yield* catching((function* () { yield* createSubprocessExec(node, [], { stdout: STDOUT }); })());
      assert.equal((e1 as Error).message, 'STDOUT can only be used for stderr, got `stdout: STDOUT`');
      const e2 = yield* catching((function* () { yield* createSubprocessExec(node, [], { stdin: 'file' as never }); })());
      assert.equal((e2 as Error).message, 'Expected `stdin` to be PIPE, DEVNULL, \'inherit\', a file descriptor, got `"file"` (string)');
      const e3 = yield* catching((function* () { yield* createSubprocessExec(node, ['-e', 1 as never]); })());
      assert.equal((e3 as Error).message, 'Expected `args` to be an array of strings, got `[object Array]` (object)');
      const e4 = yield* catching((function* () { yield* createSubprocessShell(''); })());
      assert.equal((e4 as Error).message, 'Expected `cmd` to be a non-empty string, got `""` (string)');
      const e5 = yield* catching((function* () { yield* createSubprocessExec(42 as never); })());
      assert.equal((e5 as Error).message, 'Expected `program` to be a non-empty string, got `42` (number)');
      const proc = yield* createSubprocessExec(node, ['-e', ''], { stdout: PIPE });
      assert.throws(() => proc.sendSignal('SIGNOPE' as never), {
        name: 'TypeError',
        message: 'Expected `sig` to be a signal name such as \'SIGTERM\' or a signal number, got `"SIGNOPE"` (string)',
      });
      const e6 = yield* catching(proc.communicate('input'));
      assert.equal((e6 as Error).message, 'communicate(input) needs `stdin: PIPE`: this process has no stdin pipe, so the input would be lost.');
      yield* proc.communicate();
    });
  });

  test('cancelling createSubprocessExec while it waits for the spawn kills the child and waits for it (asyncio: "kill the subprocess")', async (t) => {
    if (!existsSync('/proc/self/cmdline')) {
      t.skip('SKIPPED: no /proc to look for the child');
      return;
    }
    const marker = `yieldio-cancelled-spawn-${process.pid}-${Date.now()}`;
    const alive = (): number[] => {
      const pids: number[] = [];
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
        } catch {
          // exited meanwhile
        }
      }
      return pids;
    };
    try {
      const out = await run(function* () {
        const creating = createTask(createSubprocessExec(node, ['-e', 'setInterval(() => {}, 1000)', marker]));
        yield* sleep(0); // its first step spawned the child and waits for Node's 'spawn'
        const spawnedMeanwhile = creating.done();
        creating.cancel();
        const error = yield* catching(creating);
        return { spawnedMeanwhile, error, left: alive() };
      });
      assert.equal(out.spawnedMeanwhile, false);
      assert.ok(out.error instanceof CancelledError);
      assert.deepEqual(out.left, []); // killed and reaped before the CancelledError came out
    } finally {
      for (const pid of alive()) process.kill(pid, 'SIGKILL');
    }
  });

  // CPython 3.13, create_subprocess_exec('true', text=True) etc. (base_events.subprocess_exec):
  //   ValueError text must be False / encoding must be None / errors must be None /
  //   bufsize must be 0 / universal_newlines must be False;  bogus=True: TypeError (Popen's).
  test('options asyncio refuses are RangeErrors with its words; unknown options are TypeErrors; none is ignored', async () => {
    const messages = await run(function* () {
      const attempts: Record<string, unknown>[] = [
        { text: true }, { encoding: 'utf8' }, { errors: 'strict' }, { bufsize: 1 }, { universalNewlines: true },
        { closeFds: false }, { passFds: [1] }, { passFds: 3 }, { startNewSession: 'yes' }, { shell: true }, { detached: true },
      ];
      const out: string[] = [];
      for (const options of attempts) {
        const error = yield* catching((function* () { yield* createSubprocessExec(node, ['-e', ''], options as never); })());
        out.push(`${(error as Error).name}: ${(error as Error).message}`);
      }
      return out;
    });
    const names = 'stdin, stdout, stderr, cwd, env, limit, startNewSession, closeFds, passFds, text, encoding, errors, universalNewlines, bufsize';
    assert.deepEqual(messages, [
      'RangeError: text must be False. Decode the bytes read, e.g. new TextDecoder().decode(out).',
      'RangeError: encoding must be None. Decode the bytes read, e.g. new TextDecoder().decode(out).',
      'RangeError: errors must be None',
      'RangeError: bufsize must be 0',
      'RangeError: universal_newlines must be False',
      'RangeError: closeFds must be true: Node closes every descriptor but stdio in the child. List the ones it needs in `passFds`.',
      'RangeError: Expected each of `passFds` to be a file descriptor >= 3 (0-2 are stdin, stdout, stderr), got `1` (number)',
      'TypeError: Expected `passFds` to be an array of file descriptors, got `3` (number)',
      'TypeError: Expected `startNewSession` to be a boolean, got `"yes"` (string)',
      `TypeError: Unexpected subprocess option \`shell\`. The options are: ${names}.`,
      `TypeError: Unexpected subprocess option \`detached\`. The options are: ${names}.`,
    ]);
  });

  test('startNewSession: the child leads a new session (setsid); without it, it stays in ours', async (t) => {
    if (!existsSync('/proc/self/stat')) {
      t.skip('SKIPPED: no /proc/self/stat to read the session id');
      return;
    }
    // Fields after the command name: state ppid pgrp session.
    const script = "const f = require('fs').readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' '); console.log(process.pid, f[3])";
    const out = await run(function* () {
      const results: [number, number][] = [];
      for (const startNewSession of [true, false]) {
        const proc = yield* createSubprocessExec(node, ['-e', script], { stdout: PIPE, startNewSession });
        const [stdout] = yield* proc.communicate();
        const [pid, sid] = text(stdout)!.trim().split(' ').map(Number) as [number, number];
        results.push([pid, sid]);
      }
      return results;
    });
    const ours = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[3]);
    assert.equal(out[0]![1], out[0]![0]); // a session leader: sid == pid
    assert.equal(out[1]![1], ours);
  });

  test('passFds: the child inherits a descriptor under the same number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yieldio-passfds-'));
    const file = join(dir, 'out.txt');
    const fd = openSync(file, 'w');
    try {
      const code = await run(function* () {
        const proc = yield* createSubprocessExec(node, ['-e', `require('fs').writeSync(${fd}, 'via fd ${fd}')`], { passFds: [fd] });
        return yield* proc.wait();
      });
      assert.equal(code, 0);
      closeSync(fd);
      assert.equal(readFileSync(file, 'utf8'), `via fd ${fd}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // asyncio's Process.wait() returns when the process has exited *and* its pipes are closed
  // (base_subprocess._try_finish); Node's 'exit' comes while a grandchild still holds stdout.
  test('wait() returns once the child exited and its pipes closed: a grandchild holding stdout keeps it waiting', async () => {
    const out = await run(function* () {
      // The shell exits at once; its background child holds stdout until we write a line to it (fd 3).
      const proc = yield* createSubprocessShell('exec 3<&0; (read x <&3; echo late) & echo early', { stdin: PIPE, stdout: PIPE });
      const waiting = createTask(proc.wait());
      const early = text(yield* proc.stdout!.readline());
      while (proc.returncode === null) yield* sleep(1); // the shell has exited...
      for (let i = 0; i < 5; i++) yield* sleep(0);
      const waitedAfterExit = !waiting.done(); // ...but its pipe is still open
      proc.stdin!.write('go\n');
      const late = text(yield* proc.stdout!.readline());
      const code = yield* waiting;
      proc.stdin!.close();
      return { early, waitedAfterExit, late, code };
    });
    assert.deepEqual(out, { early: 'early\n', waitedAfterExit: true, late: 'late\n', code: 0 });
  });

  test('stderr=STDOUT is one pipe, as asyncio\'s dup2: the interleaving is exact; the pid is the program\'s; a missing program is still FileNotFoundError', async () => {
    const script = "const fs = require('fs'); fs.writeSync(1, process.pid + '\\n'); for (let i = 0; i < 200; i++) { fs.writeSync(1, 'o' + i + '\\n'); fs.writeSync(2, 'e' + i + '\\n'); }";
    const out = await run(function* () {
      const proc = yield* createSubprocessExec(node, ['-e', script], { stdout: PIPE, stderr: STDOUT });
      const [stdout] = yield* proc.communicate();
      const shellProc = yield* createSubprocessShell('echo a; echo b 1>&2; echo c', { stdout: PIPE, stderr: STDOUT });
      const [shellOut] = yield* shellProc.communicate();
      const missing = yield* catching(createSubprocessExec('yieldio-no-such-program', [], { stdout: PIPE, stderr: STDOUT }));
      return { lines: text(stdout)!.split('\n'), pid: proc.pid, stderr: proc.stderr, shell: text(shellOut), missing };
    });
    assert.equal(Number(out.lines[0]), out.pid);
    const expected: string[] = [];
    for (let i = 0; i < 200; i++) expected.push(`o${i}`, `e${i}`);
    assert.deepEqual(out.lines.slice(1, -1), expected);
    assert.equal(out.stderr, null);
    assert.equal(out.shell, 'a\nb\nc\n');
    assert.ok(out.missing instanceof FileNotFoundError, String(out.missing));
    assert.equal((out.missing as FileNotFoundError).message, "[Errno 2] No such file or directory: 'yieldio-no-such-program' (spawn yieldio-no-such-program ENOENT)");
  });

  // CPython 3.13, create_subprocess_exec(python, '-c', 'sys.exit(3)', stdin=PIPE), 1 MiB writes + drain():
  //   the waiting drain() raises BrokenPipeError() (FlowControlMixin.connection_lost hands it exc);
  //   a later drain() raises ConnectionResetError('Connection lost'); wait() gives 3.
  test('a child that exits while we write: the waiting drain() raises BrokenPipeError, a later one ConnectionResetError("Connection lost"), as asyncio\'s', async () => {
    const out = await run(function* () {
      const proc = yield* createSubprocessExec(node, ['-e', 'process.exit(3)'], { stdin: PIPE });
      const chunk = new Uint8Array(1024 * 1024);
      let error: unknown = null;
      for (let i = 0; i < 100 && error === null; i++) {
        proc.stdin!.write(chunk);
        try {
          yield* proc.stdin!.drain();
        } catch (e) {
          error = e;
        }
        if (error === null) yield* sleep(1);
      }
      const code = yield* proc.wait();
      let again: unknown = null;
      try {
        yield* proc.stdin!.drain();
      } catch (e) {
        again = e;
      }
      return { error, code, again };
    });
    assert.ok(out.error instanceof BrokenPipeError, String(out.error));
    assert.ok(out.again instanceof ConnectionResetError, String(out.again));
    assert.equal((out.again as Error).message, 'Connection lost');
    assert.equal(out.code, 3);
  });
  // CPython 3.13 (its pipes are os.pipe()), create_subprocess_shell(cmd, stdout=PIPE, stderr=PIPE).communicate():
  //   echo hi > /dev/stdout        (b'hi\n', b'') 0
  //   echo err > /dev/stderr       (b'', b'err\n') 0
  //   echo tee | tee /dev/stderr   (b'tee\n', b'tee\n') 0
  //   echo a; echo b > /dev/stderr  with stderr=STDOUT: (b'a\nb\n', None)
  // libuv's own pipes are socketpairs, which /dev/stdout cannot reopen (ENXIO): PIPE is a FIFO.
  test('stdout/stderr PIPE are real pipes: a child that reopens /dev/stdout or /dev/stderr is heard, as with asyncio\'s os.pipe(); /dev/stdin is ENXIO', async () => {
    const out = await run(function* () {
      const results: [string | null, string | null, number][] = [];
      for (const cmd of ['echo hi > /dev/stdout', 'echo err > /dev/stderr', 'echo tee | tee /dev/stderr']) {
        const proc = yield* createSubprocessShell(cmd, { stdout: PIPE, stderr: PIPE });
        const [o, e] = yield* proc.communicate();
        results.push([text(o), text(e), proc.returncode!]);
      }
      const merged = yield* createSubprocessShell('echo a; echo b > /dev/stderr', { stdout: PIPE, stderr: STDOUT });
      const [m] = yield* merged.communicate();
      // stdin stays a socketpair (a FIFO's reopen could wait forever once we closed it): ENXIO.
      const cat = yield* createSubprocessExec('cat', ['/dev/stdin'], { stdin: PIPE, stdout: PIPE, stderr: PIPE });
      const [c, ce] = yield* cat.communicate('through /dev/stdin\n');
      return { results, merged: text(m), cat: [text(c), text(ce), cat.returncode] };
    });
    assert.deepEqual(out.results, [['hi\n', '', 0], ['', 'err\n', 0], ['tee\n', 'tee\n', 0]]);
    assert.equal(out.merged, 'a\nb\n');
    assert.equal(out.cat[0], '');
    assert.match(out.cat[1] as string, /\/dev\/stdin: No such device or address/);
    assert.equal(out.cat[2], 1);
  });

  test('several MB through the pipes both ways, intact, with the child\'s ends blocking (it never sees EAGAIN)', async () => {
    const size = 8 * 1024 * 1024;
    const input = new Uint8Array(size);
    for (let i = 0; i < size; i++) input[i] = (i * 7 + (i >> 12)) & 0xff;
    const out = await run(function* () {
      // tee writes a copy to /dev/stderr: both output pipes carry the whole input.
      const proc = yield* createSubprocessShell('tee /dev/stderr', { stdin: PIPE, stdout: PIPE, stderr: PIPE });
      const [o, e] = yield* proc.communicate(input);
      return { o: o!, e: e!, code: proc.returncode };
    });
    assert.equal(out.code, 0);
    assert.equal(out.o.length, size);
    assert.ok(Buffer.from(out.o).equals(Buffer.from(input)), 'stdout differs from the input');
    assert.ok(Buffer.from(out.e).equals(Buffer.from(input)), 'stderr differs from the input');
  });

  test('the FIFOs\' temporary directory is gone once the child is created, and when creation is cancelled', async () => {
    const previous = process.env.TMPDIR;
    const tmp = mkdtempSync(join(tmpdir(), 'yieldio-fifo-test-'));
    process.env.TMPDIR = tmp; // os.tmpdir() reads it at each call
    try {
      const out = await run(function* () {
        const proc = yield* createSubprocessExec(node, ['-e', 'process.stdin.pipe(process.stdout)'], { stdin: PIPE, stdout: PIPE, stderr: PIPE });
        const whileRunning = readdirSync(tmp);
        const [o] = yield* proc.communicate('x');
        const cancelled = createTask(createSubprocessExec('true', [], { stdout: PIPE }));
        yield* sleep(0); // it waits for mkfifo
        cancelled.cancel();
        const error = yield* catching(cancelled);
        for (let i = 0; i < 200 && readdirSync(tmp).length > 0; i++) yield* sleep(5); // mkfifo's exit removes it
        return { whileRunning, o: text(o), error, after: readdirSync(tmp) };
      });
      assert.deepEqual(out.whileRunning, []);
      assert.equal(out.o, 'x');
      assert.ok(out.error instanceof CancelledError, String(out.error));
      assert.deepEqual(out.after, []);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('without mkfifo, PIPE falls back to Node\'s pipes (socketpairs): output still flows; reopening /dev/stdout fails with ENXIO', async (t) => {
    if (process.platform === 'win32') {
      t.skip('SKIPPED: POSIX only');
      return;
    }
    const empty = mkdtempSync(join(tmpdir(), 'yieldio-nopath-'));
    const script = `
      import { run } from ${JSON.stringify(new URL('../runners.ts', import.meta.url).href)};
      import { PIPE, STDOUT, createSubprocessShell } from ${JSON.stringify(new URL('./subprocess.ts', import.meta.url).href)};
      const out = await run(function* () {
        const plain = yield* createSubprocessShell('echo plain; echo more 1>&2', { stdout: PIPE, stderr: STDOUT });
        const [a] = yield* plain.communicate();
        const reopen = yield* createSubprocessShell('echo hi > /dev/stdout', { stdout: PIPE, stderr: PIPE });
        const [b, e] = yield* reopen.communicate();
        return [String(a), String(b), String(e), reopen.returncode];
      });
      console.log(JSON.stringify(out));`;
    try {
      const out = await run(function* () {
        // PATH without mkfifo (the shell is /bin/sh by its full name).
        const proc = yield* createSubprocessExec(node, ['--import', 'tsx', '--input-type=module', '-e', script], { stdout: PIPE, env: { ...process.env, PATH: empty } });
        const [o] = yield* proc.communicate();
        return { o: text(o), code: proc.returncode };
      });
      assert.equal(out.code, 0);
      const [plain, reopened, err, code] = JSON.parse(out.o!) as [string, string, string, number];
      assert.equal(plain, 'plain\nmore\n');
      assert.equal(reopened, '');
      assert.match(err, /\/dev\/stdout: No such device or address/);
      assert.notEqual(code, 0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
