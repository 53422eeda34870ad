// Seed §15.3, pattern 3: a generator plays an unstable service, one response per request, to
// test retry logic. Then the async version with exponential backoff (2 s, 4 s, 8 s, 16 s): the
// test waits 30 virtual seconds and runs in milliseconds.
// Run: node --import tsx --test examples/testing/retry-client.test.ts
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { getRunningLoop, sleep, type Coroutine } from '../../src/index.ts';
import { asyncTest, TestLoop } from '../../src/testing/index.ts';

type Response = { status: number; json(): unknown };

class ConnectionError extends Error {
  override name = 'ConnectionError';
}

function* fakeHttpResponses(...responses: [number, unknown][]): Generator<Response> {
  for (const [status, body] of responses) {
    yield { status, json: () => body };
  }
}

// ---- synchronous, as in the article ---------------------------------------------------------

/** The class under test: retries until a 200. */
class RetryClient {
  constructor(private readonly transport: Iterable<Response>) {}
  fetch(): unknown {
    for (const response of this.transport) {
      if (response.status === 200) return response.json();
    }
    throw new ConnectionError('all retries failed');
  }
}

describe('pattern 3, sync: a sequence of fake responses', () => {
  test('success on first try', () => {
    assert.deepEqual(new RetryClient(fakeHttpResponses([200, { ok: true }])).fetch(), { ok: true });
  });
  test('success after retries', () => {
    const transport = fakeHttpResponses([500, 'error'], [503, 'unavailable'], [200, { ok: true }]);
    assert.deepEqual(new RetryClient(transport).fetch(), { ok: true });
  });
  test('all retries fail', () => {
    const transport = fakeHttpResponses([500, 'error'], [503, 'unavailable']);
    assert.throws(() => new RetryClient(transport).fetch(), { name: 'ConnectionError', message: 'all retries failed' });
  });
});

// ---- async: exponential backoff between attempts ----------------------------------------------

/** The async class under test: waits base, 2·base, 4·base... between attempts. */
class BackoffRetryClient {
  readonly attempts: number[] = []; // loop time of each request
  constructor(private readonly transport: Iterator<Response>, private readonly baseDelay = 2_000, private readonly maxAttempts = 5) {}
  *fetch(): Coroutine<unknown> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      if (attempt > 0) yield* sleep(this.baseDelay * 2 ** (attempt - 1));
      this.attempts.push(getRunningLoop().time());
      const next = this.transport.next();
      if (next.done) break;
      if (next.value.status === 200) return next.value.json();
    }
    throw new ConnectionError('all retries failed');
  }
}

const flaky = (): Generator<Response> =>
  fakeHttpResponses([500, 'error'], [503, 'unavailable'], [500, 'error'], [503, 'unavailable'], [200, { ok: true }]);

describe('pattern 3, async: exponential backoff on a virtual clock', () => {
  test('success after 4 failures: 2 + 4 + 8 + 16 = 30 virtual seconds', asyncTest(function* () {
    const client = new BackoffRetryClient(flaky());
    assert.deepEqual(yield* client.fetch(), { ok: true });
    assert.deepEqual(client.attempts, [0, 2_000, 6_000, 14_000, 30_000]);
    assert.equal(getRunningLoop().time(), 30_000);
  }));

  test('all retries fail after the last backoff', asyncTest(function* () {
    const client = new BackoffRetryClient(fakeHttpResponses([500, 'error'], [503, 'unavailable']), 1_000, 3);
    let caught: unknown = null;
    try {
      yield* client.fetch();
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ConnectionError);
    assert.equal(caught.message, 'all retries failed');
    assert.deepEqual(client.attempts, [0, 1_000, 3_000]);
  }));

  test('with TestLoop: the retry is not sent a millisecond early', () => {
    const loop = new TestLoop();
    const client = new BackoffRetryClient(flaky());
    const task = loop.createTask(client.fetch());
    loop.runUntilIdle();
    assert.deepEqual(client.attempts, [0]);
    assert.deepEqual(loop.pendingTimers().map((t) => t.when()), [2_000]);
    loop.advance(1_999);
    assert.deepEqual(client.attempts, [0]);
    loop.advance(1);
    assert.deepEqual(client.attempts, [0, 2_000]);
    loop.advance(27_999);
    assert.equal(task.done(), false);
    loop.advance(1);
    assert.deepEqual(task.result(), { ok: true });
    assert.equal(loop.time(), 30_000);
  });
});
