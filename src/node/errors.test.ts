import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { TimeoutError } from '../exceptions.ts';
import {
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileNotFoundError,
  OSError,
  PermissionError,
  ProcessLookupError,
  fromNodeError,
} from './errors.ts';

/** An error shaped as Node's system errors are (libuv's negative errno). */
function nodeError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  const errno = (constants.errno as Record<string, number>)[code]!;
  return Object.assign(new Error(message), { code, errno: -errno, ...extra });
}

describe('errors: Node system errors under Python names (PEP 3151 table)', () => {
  test('each code maps to its class, keeping code, errno (positive, as Python), syscall and the original as cause', () => {
    const table: [string, new (...args: never[]) => OSError | TimeoutError][] = [
      ['ECONNRESET', ConnectionResetError],
      ['EPIPE', BrokenPipeError],
      ['ECONNREFUSED', ConnectionRefusedError],
      ['ECONNABORTED', ConnectionAbortedError],
      ['ETIMEDOUT', TimeoutError],
      ['ENOENT', FileNotFoundError],
      ['EACCES', PermissionError],
      ['EPERM', PermissionError],
      ['ESRCH', ProcessLookupError],
      ['EADDRINUSE', OSError],
    ];
    for (const [code, Class] of table) {
      const original = nodeError(code, `read ${code}`, { syscall: 'read' });
      const mapped = fromNodeError(original) as OSError;
      assert.ok(mapped instanceof Class, `${code} -> ${Class.name}, got ${mapped.name}`);
      assert.ok(mapped instanceof OSError, `${code}: an OSError`);
      assert.equal(mapped.name, Class.name);
      assert.equal(mapped.code, code);
      assert.equal(mapped.errno, (constants.errno as Record<string, number>)[code]);
      assert.equal(mapped.syscall, 'read');
      assert.equal(mapped.cause, original);
      assert.equal(fromNodeError(mapped), mapped, 'mapping twice changes nothing');
    }
  });

  test('the message is Python\'s str(), then Node\'s words: "[Errno 104] Connection reset by peer (read ECONNRESET)"', () => {
    const reset = fromNodeError(nodeError('ECONNRESET', 'read ECONNRESET')) as Error;
    assert.equal(reset.message, `[Errno ${constants.errno.ECONNRESET}] Connection reset by peer (read ECONNRESET)`);
    // Python: "[Errno 2] No such file or directory: '/nonexistent/prog'"
    const missing = fromNodeError(nodeError('ENOENT', 'spawn /nonexistent/prog ENOENT', { path: '/nonexistent/prog', syscall: 'spawn /nonexistent/prog' })) as OSError;
    assert.equal(missing.message, `[Errno ${constants.errno.ENOENT}] No such file or directory: '/nonexistent/prog' (spawn /nonexistent/prog ENOENT)`);
    assert.equal(missing.path, '/nonexistent/prog');
  });

  test('the hierarchy is Python\'s: ConnectionError under OSError, the four connection errors under it; TimeoutError is an OSError', () => {
    for (const Class of [BrokenPipeError, ConnectionAbortedError, ConnectionRefusedError, ConnectionResetError]) {
      const e = new Class('x');
      assert.ok(e instanceof ConnectionError && e instanceof OSError && e instanceof Error);
    }
    for (const Class of [FileNotFoundError, PermissionError, ProcessLookupError]) {
      const e = new Class('x');
      assert.ok(e instanceof OSError && !(e instanceof ConnectionError));
    }
    // Python: issubclass(TimeoutError, OSError) is True; asyncio.TimeoutError is TimeoutError.
    assert.ok(new TimeoutError() instanceof OSError);
    assert.ok(!(new TimeoutError() instanceof ConnectionError));
    assert.ok(!(new Error('x') instanceof OSError));
    const lost = new ConnectionResetError('Connection lost');
    assert.deepEqual([lost.message, lost.code, lost.errno, lost.cause], ['Connection lost', null, null, undefined]);
  });

  test('errors that are not system errors pass unchanged (ours, Node\'s ERR_* codes, non-errors)', () => {
    const plain = new Error('mine');
    assert.equal(fromNodeError(plain), plain);
    const internal = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE_NOT_A_CODE' });
    assert.equal(fromNodeError(internal), internal);
    const nodeOwn = Object.assign(new Error('Cannot call write after a stream was destroyed'), { code: 'ERR_STREAM_DESTROYED' });
    assert.equal(fromNodeError(nodeOwn), nodeOwn);
    assert.equal(fromNodeError('text'), 'text');
  });
});
