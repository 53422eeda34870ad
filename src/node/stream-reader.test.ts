/**
 * StreamReader without sockets: CPython 3.13's test_streams StreamReader tests, ported one to one
 * (titles keep the CPython method name), plus the chunk list's own guarantees.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { runSync } from '../runners.ts';
import { createTask, sleep } from '../tasks.ts';
import { getRunningLoop } from '../events.ts';
import { IncompleteReadError, LimitOverrunError, RuntimeError } from '../exceptions.ts';
import { catching } from '../../test/support/coroutines.ts';
import { captureCallGraph, formatCallGraph } from '../graph.ts';
import { CancelledError } from '../exceptions.ts';
import { StreamReader, type ReadTransport } from './stream-reader.ts';

const DATA = 'line1\nline2\nline3\n';
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
/** What is buffered, as text, without consuming it (asyncio's tests read `stream._buffer`). */
const buffered = (r: StreamReader): string => r._chunks.slice(r._head).map(text).join('');
/** Runs `body` with the reader on a fresh loop, as `loop.run_until_complete` does. */
const sync = <T>(body: () => Generator<unknown, T, unknown>): T => runSync(body as never) as T;

describe('StreamReader: CPython test_streams, ported', () => {
  test('test_feed_empty_data / test_feed_nonempty_data', () => {
    const r = new StreamReader();
    r.feedData('');
    assert.equal(buffered(r), '');
    assert.equal(r._chunks.length, 0);
    r.feedData(DATA);
    assert.equal(buffered(r), DATA);
  });

  test('test_read_zero / test_read / test_read_line_breaks / test_read_eof / test_read_until_eof / test_read_limit', () => {
    sync(function* () {
      let r = new StreamReader();
      r.feedData(DATA);
      assert.equal(text(yield* r.read(0)), '');
      assert.equal(buffered(r), DATA);

      r = new StreamReader();
      const reader = r;
      getRunningLoop().callSoon(() => reader.feedData(DATA));
      assert.equal(text(yield* r.read(30)), DATA);
      assert.equal(buffered(r), '');

      r = new StreamReader();
      r.feedData('line1');
      r.feedData('line2');
      assert.equal(text(yield* r.read(5)), 'line1');
      assert.equal(buffered(r), 'line2');

      r = new StreamReader();
      const eofReader = r;
      getRunningLoop().callSoon(() => eofReader.feedEof());
      assert.equal(text(yield* r.read(1024)), '');

      r = new StreamReader();
      const all = r;
      getRunningLoop().callSoon(() => {
        all.feedData('chunk1\n');
        all.feedData('chunk2');
        all.feedEof();
      });
      assert.equal(text(yield* r.read(-1)), 'chunk1\nchunk2');
      assert.equal(buffered(r), '');

      r = new StreamReader(3);
      r.feedData('chunk');
      assert.equal(text(yield* r.read(5)), 'chunk');
      assert.equal(buffered(r), '');
    });
  });

  test('test_read_exception / test_readline_exception / test_readexactly_exception: set_exception makes later reads raise it', () => {
    sync(function* () {
      const r = new StreamReader();
      r.feedData('line\n');
      assert.equal(text(yield* r.read(2)), 'li');
      const exc = new RangeError();
      r.setException(exc);
      assert.equal(r.exception(), exc);
      assert.equal(yield* catching(r.read(2)), exc);
      assert.equal(yield* catching(r.readline()), exc);
      assert.equal(yield* catching(r.readexactly(2)), exc);
    });
  });

  test('test_invalid_limit', () => {
    assert.throws(() => new StreamReader(0), { name: 'RangeError', message: 'Limit cannot be <= 0' });
    assert.throws(() => new StreamReader(-1), { name: 'RangeError', message: 'Limit cannot be <= 0' });
  });

  test('test_readline: waits for data fed later; test_readline_nolimit_nowait; test_readline_read_byte_count', () => {
    sync(function* () {
      let r = new StreamReader();
      r.feedData('chunk1 ');
      const reader = r;
      getRunningLoop().callSoon(() => {
        reader.feedData('chunk2 ');
        reader.feedData('chunk3 ');
        reader.feedData('\n chunk4');
      });
      assert.equal(text(yield* r.readline()), 'chunk1 chunk2 chunk3 \n');
      assert.equal(buffered(r), ' chunk4');

      r = new StreamReader();
      r.feedData(DATA.slice(0, 6));
      r.feedData(DATA.slice(6));
      assert.equal(text(yield* r.readline()), 'line1\n');
      assert.equal(buffered(r), 'line2\nline3\n');

      r = new StreamReader();
      r.feedData(DATA);
      yield* r.readline();
      assert.equal(text(yield* r.read(7)), 'line2\nl');
      assert.equal(buffered(r), 'ine3\n');
    });
  });

  test('test_readline_limit_with_existing_data', () => {
    sync(function* () {
      let r = new StreamReader(3);
      r.feedData('li');
      r.feedData('ne1\nline2\n');
      assert.ok((yield* catching(r.readline())) instanceof RangeError);
      assert.equal(buffered(r), 'line2\n');

      r = new StreamReader(3);
      r.feedData('li');
      r.feedData('ne1');
      r.feedData('li');
      assert.ok((yield* catching(r.readline())) instanceof RangeError);
      assert.equal(buffered(r), '');
    });
  });

  test('test_at_eof / test_readline_eof / test_readline_empty_eof', () => {
    sync(function* () {
      const r = new StreamReader();
      assert.equal(r.atEof(), false);
      r.feedData('some data\n');
      assert.equal(r.atEof(), false);
      yield* r.readline();
      assert.equal(r.atEof(), false);
      r.feedData('some data\n');
      r.feedEof();
      yield* r.readline();
      assert.equal(r.atEof(), true);

      const partial = new StreamReader();
      partial.feedData('some data');
      partial.feedEof();
      assert.equal(text(yield* partial.readline()), 'some data');
      const empty = new StreamReader();
      empty.feedEof();
      assert.equal(text(yield* empty.readline()), '');
    });
  });

  test('test_readline_limit: fed after the call; the limit is strict', () => {
    sync(function* () {
      const loop = getRunningLoop();
      let r = new StreamReader(7);
      let reader = r;
      loop.callSoon(() => {
        reader.feedData('chunk1');
        reader.feedData('chunk2');
        reader.feedData('chunk3\n');
        reader.feedEof();
      });
      assert.ok((yield* catching(r.readline())) instanceof RangeError);
      assert.equal(buffered(r), '');

      r = new StreamReader(7);
      reader = r;
      loop.callSoon(() => {
        reader.feedData('chunk1');
        reader.feedData('chunk2\n');
        reader.feedData('chunk3\n');
        reader.feedEof();
      });
      assert.ok((yield* catching(r.readline())) instanceof RangeError);
      assert.equal(buffered(r), 'chunk3\n');

      r = new StreamReader(7);
      r.feedData('1234567\n');
      assert.equal(text(yield* r.readline()), '1234567\n');
      r.feedData('12345678\n');
      assert.ok((yield* catching(r.readline())) instanceof RangeError);
      assert.equal(buffered(r), '');
      r.feedData('12345678');
      assert.ok((yield* catching(r.readline())) instanceof RangeError);
      assert.equal(buffered(r), '');
    });
  });

  test('test_readuntil_separator: empty separators and an empty list are RangeErrors with asyncio\'s words', () => {
    sync(function* () {
      const r = new StreamReader();
      assert.equal(((yield* catching(r.readuntil(''))) as Error).message, 'Separator should be at least one-byte string');
      assert.equal(((yield* catching(r.readuntil(['']))) as Error).message, 'Separator should be at least one-byte string');
      assert.equal(((yield* catching(r.readuntil([]))) as Error).message, 'Separator should contain at least one element');
    });
  });

  test('test_readuntil_multi_chunks / test_readuntil_multi_chunks_1: separators split across chunks', () => {
    sync(function* () {
      const r = new StreamReader();
      r.feedData('lineAAA');
      assert.equal(text(yield* r.readuntil('AAA')), 'lineAAA');
      r.feedData('lineAAAxxx');
      assert.equal(text(yield* r.readuntil('AAA')), 'lineAAA');
      assert.equal(buffered(r), 'xxx');
      yield* r.read(3);

      for (const chunks of [['QWEaa', 'XYaa', 'a'], ['QWEaa', 'XYa', 'aa']]) {
        for (const c of chunks) r.feedData(c);
        assert.equal(text(yield* r.readuntil('aaa')), 'QWEaaXYaaa');
        assert.equal(buffered(r), '');
      }
      r.feedData('aaa');
      assert.equal(text(yield* r.readuntil('aaa')), 'aaa');
      r.feedData('Xaaa');
      assert.equal(text(yield* r.readuntil('aaa')), 'Xaaa');
      for (const c of ['XXX', 'a', 'a', 'a']) r.feedData(c);
      assert.equal(text(yield* r.readuntil('aaa')), 'XXXaaa');
      assert.equal(buffered(r), '');
    });
  });

  test('test_readuntil_eof: IncompleteReadError with the partial data, expected null; the buffer emptied', () => {
    const error = sync(function* () {
      const r = new StreamReader();
      r.feedData('some dataAA');
      r.feedEof();
      const error = yield* catching(r.readuntil('AAA'));
      assert.equal(buffered(r), '');
      return error;
    });
    assert.ok(error instanceof IncompleteReadError);
    assert.equal(error.message, '11 bytes read on a total of undefined expected bytes');
    assert.equal(text(error.partial), 'some dataAA');
    assert.equal(error.expected, null);
  });

  test('test_readuntil_limit_found_sep', () => {
    sync(function* () {
      const r = new StreamReader(3);
      r.feedData('some dataAA');
      const notFound = yield* catching(r.readuntil('AAA'));
      assert.ok(notFound instanceof LimitOverrunError);
      assert.match(notFound.message, /not found/);
      assert.equal(buffered(r), 'some dataAA');
      r.feedData('A');
      const found = yield* catching(r.readuntil('AAA'));
      assert.ok(found instanceof LimitOverrunError);
      assert.match(found.message, /is found/);
      assert.equal(buffered(r), 'some dataAAA');
    });
  });

  test('test_readuntil_multi_separator (3.13): the earliest end wins, even for a longer separator', () => {
    sync(function* () {
      const r = new StreamReader();
      r.feedData('line 1\nline 2\r');
      assert.equal(text(yield* r.readuntil(['\r', '\n'])), 'line 1\n');
      assert.equal(text(yield* r.readuntil(['\r', '\n'])), 'line 2\r');
      assert.equal(buffered(r), '');
      r.feedData('ABCDEFG');
      assert.equal(text(yield* r.readuntil(['DEF', 'BCDE'])), 'ABCDE');
      assert.equal(buffered(r), 'FG');
    });
  });

  test('test_readuntil_multi_separator_limit / test_readuntil_multi_separator_negative_offset', () => {
    sync(function* () {
      const r = new StreamReader(3);
      r.feedData('some dataA');
      const found = yield* catching(r.readuntil(['A', 'ome dataA']));
      assert.ok(found instanceof LimitOverrunError);
      assert.match(found.message, /is found/);
      assert.equal(buffered(r), 'some dataA');

      const s = new StreamReader();
      s.feedData('data');
      const loop = getRunningLoop();
      loop.callSoon(() => s.feedData('Z'));
      loop.callSoon(() => s.feedData('Aaaa'));
      assert.equal(text(yield* s.readuntil(['A', 'long sep'])), 'dataZA');
      assert.equal(buffered(s), 'aaa');
    });
  });

  test('test_readuntil_bytearray: a Uint8Array separator', () => {
    sync(function* () {
      const r = new StreamReader();
      r.feedData('some data\r\n');
      assert.equal(text(yield* r.readuntil(new Uint8Array([13, 10]))), 'some data\r\n');
      assert.equal(buffered(r), '');
    });
  });

  test('test_readexactly_zero_or_less / test_readexactly / test_readexactly_limit / test_readexactly_eof', () => {
    sync(function* () {
      let r = new StreamReader();
      r.feedData(DATA);
      assert.equal(text(yield* r.readexactly(0)), '');
      assert.equal(((yield* catching(r.readexactly(-1))) as Error).message, 'readexactly size can not be less than zero');
      assert.equal(buffered(r), DATA);

      r = new StreamReader();
      const reader = r;
      getRunningLoop().callSoon(() => {
        reader.feedData(DATA);
        reader.feedData(DATA);
        reader.feedData(DATA);
      });
      assert.equal(text(yield* r.readexactly(2 * DATA.length)), DATA + DATA);
      assert.equal(buffered(r), DATA);

      r = new StreamReader(3);
      r.feedData('chunk');
      assert.equal(text(yield* r.readexactly(5)), 'chunk');

      r = new StreamReader();
      const eof = r;
      getRunningLoop().callSoon(() => {
        eof.feedData(DATA);
        eof.feedEof();
      });
      const error = yield* catching(r.readexactly(2 * DATA.length));
      assert.ok(error instanceof IncompleteReadError);
      assert.equal(error.message, '18 bytes read on a total of 36 expected bytes');
      assert.equal(text(error.partial), DATA);
      assert.equal(error.expected, 36);
      assert.equal(buffered(r), '');
    });
  });

  test('test_exception_waiter / test_exception_cancel: the waiting read raises it; a cancelled one leaves no waiter', () => {
    sync(function* () {
      const r = new StreamReader();
      const t1 = createTask(r.readline());
      yield* sleep(0);
      const exc = new RangeError('bad');
      r.setException(exc);
      assert.equal(yield* catching(t1), exc);

      const s = new StreamReader();
      const t = createTask(s.readline());
      yield* sleep(0);
      t.cancel();
      yield* sleep(0);
      s.setException(new RuntimeError('message')); // must not touch the cancelled waiter
      yield* sleep(0);
      assert.equal(s._waiter, null);
    });
  });

  test('test___repr__ / nondefault_limit / eof / data / exception / waiter / transport', () => {
    // CPython 3.13: "<StreamReader>", "<StreamReader limit=123>", "<StreamReader eof>",
    // "<StreamReader 4 bytes>", "<StreamReader exception=RuntimeError()>",
    // "<StreamReader waiter=<Future pending[S]>>", "<StreamReader transport=<Transport>>"
    assert.equal(String(new StreamReader()), '<StreamReader>');
    assert.equal(String(new StreamReader(123)), '<StreamReader limit=123>');
    const eof = new StreamReader();
    eof.feedEof();
    assert.equal(String(eof), '<StreamReader eof>');
    const data = new StreamReader();
    data.feedData('data');
    assert.equal(String(data), '<StreamReader 4 bytes>');
    const failed = new StreamReader();
    failed.setException(new RuntimeError());
    assert.equal(String(failed), '<StreamReader exception=RuntimeError()>');
    const waiting = sync(function* () {
      const r = new StreamReader();
      const task = createTask(r.read());
      yield* sleep(0);
      const repr = String(r);
      task.cancel();
      yield* catching(task);
      return repr;
    });
    assert.match(waiting, /^<StreamReader waiter=<Future pending.*>>$/);
    const withTransport = new StreamReader();
    withTransport.setTransport({ pauseReading() {}, resumeReading() {}, toString: () => '<Transport>' });
    assert.equal(String(withTransport), '<StreamReader transport=<Transport>>');
    assert.throws(() => withTransport.setTransport({ pauseReading() {}, resumeReading() {} }), { name: 'RuntimeError', message: 'Transport already set' });
  });
});

describe('StreamReader: a waiting read, as seen from outside', () => {
  test('a waiting read is seen as before: the task waits for the reader\'s waiter (repr, call graph), and data wakes it', () => {
    sync(function* () {
      for (const start of [(r: StreamReader) => r.read(10), (r: StreamReader) => r.readexactly(2), (r: StreamReader) => r.readline()]) {
        const r = new StreamReader();
        const task = createTask(start(r));
        yield* sleep(0);
        const waiter = r._waiter;
        assert.notEqual(waiter, null);
        assert.match(String(task), /wait_for=<Future pending cb=\[Task\.task_wakeup\(\)\]>>$/);
        const graph = captureCallGraph(task);
        assert.deepEqual(graph?.awaiting, [waiter]);
        assert.match(formatCallGraph(task), /^\* Task\(name='Task-\d+', state=pending\)\n {2}\+ Awaiting:\n {2}\| {3}<Future pending>$/);
        r.feedData('a\n');
        assert.equal(text(yield* task), 'a\n');
        assert.equal(r._waiter, null);
        assert.equal(waiter?.done(), true);
      }
    });
  });

  test('test_read_cancel / readexactly: cancelling the task cancels the read\'s waiter and the read raises CancelledError; the next read waits on a new one', () => {
    sync(function* () {
      const r = new StreamReader();
      const task = createTask(r.readexactly(4));
      yield* sleep(0);
      const first = r._waiter;
      task.cancel('stop');
      const error = yield* catching(task);
      assert.ok(error instanceof CancelledError);
      assert.equal(error.message, 'stop');
      assert.equal(first?.cancelled(), true);
      assert.equal(r._waiter, null);
      assert.equal(r._wanted, 0);
      const again = createTask(r.readexactly(4));
      yield* sleep(0);
      assert.notEqual(r._waiter, first);
      r.feedData('abcd');
      assert.equal(text(yield* again), 'abcd');
    });
  });

  test('a read resumed by hand while its waiter is pending fails as `yield* future` does (asyncio test_iter): "await wasn\'t used with future"', () => {
    sync(function* () {
      const r = new StreamReader();
      const read = r.read(10);
      const step = read.next();
      assert.equal(step.done, false);
      assert.equal(step.value as unknown, r._waiter); // the waiter itself, marked as awaited
      assert.throws(() => read.next(), { name: 'RuntimeError', message: "await wasn't used with future" });
      assert.equal(r._waiter, null); // the read is over: another may wait
    });
  });
});

/** A transport that records flow control. */
function recorder(): ReadTransport & { calls: string[] } {
  const calls: string[] = [];
  return { calls, pauseReading: () => calls.push('pause'), resumeReading: () => calls.push('resume'), toString: () => '<Recorder>' };
}

describe('StreamReader: the chunk list', () => {
  test('feedData keeps the chunk it is given (no copy); a read inside one chunk is a view of it', () => {
    sync(function* () {
      const r = new StreamReader();
      const chunk = new Uint8Array([1, 2, 3, 4]);
      r.feedData(chunk);
      assert.equal(r._chunks[0], chunk);
      const two = yield* r.read(2);
      assert.equal(two.buffer, chunk.buffer); // a view: nothing copied
      assert.deepEqual([...two], [1, 2]);
      const rest = yield* r.read(2);
      assert.equal(rest.buffer, chunk.buffer);
      assert.deepEqual([...rest], [3, 4]);
      assert.equal(r._chunks.length, 0); // the list empties as its chunks are read
    });
  });

  test('readexactly(32 MiB) fed in 64 KiB chunks: one allocation of 32 MiB, each byte copied once, the bytes intact', () => {
    const out = sync(function* () {
      const size = 32 * 1024 * 1024;
      const chunk = 64 * 1024;
      const r = new StreamReader();
      const allocations: number[] = [];
      r._alloc = (n) => {
        allocations.push(n);
        return new Uint8Array(n);
      };
      const read = createTask(r.readexactly(size));
      yield* sleep(0);
      for (let i = 0; i < size / chunk; i++) {
        const bytes = new Uint8Array(chunk);
        bytes.fill(i & 0xff);
        r.feedData(bytes);
      }
      r.feedData('tail');
      const data = yield* read;
      let intact = data.length === size;
      for (let i = 0; intact && i < size / chunk; i++) intact = data[i * chunk] === (i & 0xff) && data[i * chunk + chunk - 1] === (i & 0xff);
      return { allocations, intact, rest: buffered(r) };
    });
    assert.deepEqual(out.allocations, [32 * 1024 * 1024]);
    assert.equal(out.intact, true);
    assert.equal(out.rest, 'tail');
  });

  test('flow control: pause above 2 * limit, resume at limit; a waiting readexactly(n) keeps reading until n bytes are in', () => {
    sync(function* () {
      const t = recorder();
      const r = new StreamReader(4);
      r.setTransport(t);
      r.feedData('123456789'); // 9 > 2 * 4
      assert.deepEqual(t.calls, ['pause']);
      yield* r.read(5); // 4 left: <= limit
      assert.deepEqual(t.calls, ['pause', 'resume']);
      yield* r.read(4);

      // asyncio would pause at 9 bytes and resume at each wait: this read waits for 40.
      const big = createTask(r.readexactly(40));
      yield* sleep(0);
      for (let i = 0; i < 4; i++) {
        r.feedData('0123456789');
        yield* sleep(0);
      }
      assert.equal(text(yield* big).length, 40);
      assert.deepEqual(t.calls, ['pause', 'resume', 'pause', 'resume']); // only when the 40 were in, then read
    });
  });

  test('a line longer than the chunks: readuntil searches chunk by chunk (a separator across three chunks)', () => {
    sync(function* () {
      const r = new StreamReader(1024 * 1024);
      for (let i = 0; i < 1000; i++) r.feedData('x'.repeat(100));
      r.feedData('\r');
      r.feedData('\n');
      r.feedData('\r');
      r.feedData('\n');
      const line = yield* r.readuntil('\r\n\r\n');
      assert.equal(line.length, 100_004);
      assert.equal(text(line.subarray(-4)), '\r\n\r\n');
    });
  });
});
