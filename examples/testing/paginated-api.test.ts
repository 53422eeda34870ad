// Seed §15.3, pattern 2: a generator mocks a paginated API; each next() is one "HTTP call".
// Then the async version: each page costs 100 ms of (virtual) network time, and the test checks
// both the result and the time it took on the loop's clock.
// Run: node --import tsx --test examples/testing/paginated-api.test.ts
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { getRunningLoop, sleep, type Coroutine } from '../../src/index.ts';
import { asyncTest, TestLoop } from '../../src/testing/index.ts';

type Page = { data: string[]; hasNext: boolean };

// ---- synchronous, as in the article ---------------------------------------------------------

function* fakePaginatedApi(pages: string[][]): Generator<Page> {
  for (const [i, page] of pages.entries()) {
    yield { data: page, hasNext: i !== pages.length - 1 };
  }
}

/** The function under test: consumes every page. */
function consumeAllPages(api: Iterable<Page>): string[] {
  const results: string[] = [];
  for (const response of api) {
    results.push(...response.data);
    if (!response.hasNext) break;
  }
  return results;
}

describe('pattern 2, sync: a generator mocks a paginated API', () => {
  test('single page', () => {
    assert.deepEqual(consumeAllPages(fakePaginatedApi([['a', 'b', 'c']])), ['a', 'b', 'c']);
  });
  test('multiple pages', () => {
    assert.deepEqual(consumeAllPages(fakePaginatedApi([['a', 'b'], ['c', 'd'], ['e']])), ['a', 'b', 'c', 'd', 'e']);
  });
  test('empty page', () => {
    assert.deepEqual(consumeAllPages(fakePaginatedApi([[]])), []);
  });
});

// ---- async: every page is an awaited request --------------------------------------------------

/** A fake async API client: fetchPage(n) takes 100 ms. */
class FakePaginatedClient {
  calls = 0;
  constructor(private readonly pages: string[][], private readonly latency = 100) {}
  *fetchPage(n: number): Coroutine<Page> {
    this.calls++;
    yield* sleep(this.latency);
    return { data: this.pages[n] ?? [], hasNext: n < this.pages.length - 1 };
  }
}

/** The async function under test. */
function* consumeAllPagesAsync(client: FakePaginatedClient): Coroutine<string[]> {
  const results: string[] = [];
  for (let n = 0; ; n++) {
    const response = yield* client.fetchPage(n);
    results.push(...response.data);
    if (!response.hasNext) return results;
  }
}

describe('pattern 2, async: awaited pages on a virtual clock', () => {
  test('multiple pages: three requests, 300 virtual ms', asyncTest(function* () {
    const client = new FakePaginatedClient([['a', 'b'], ['c', 'd'], ['e']]);
    assert.deepEqual(yield* consumeAllPagesAsync(client), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(client.calls, 3);
    assert.equal(getRunningLoop().time(), 300);
  }));

  test('empty page: one request', asyncTest(function* () {
    const client = new FakePaginatedClient([[]]);
    assert.deepEqual(yield* consumeAllPagesAsync(client), []);
    assert.equal(client.calls, 1);
  }));

  test('step by step with TestLoop: one page per 100 ms', () => {
    const loop = new TestLoop();
    const client = new FakePaginatedClient([['a'], ['b'], ['c']]);
    const task = loop.createTask(consumeAllPagesAsync(client));
    loop.runUntilIdle();
    assert.equal(client.calls, 1);
    loop.advance(100);
    assert.equal(client.calls, 2);
    loop.advance(150);
    assert.equal(client.calls, 3);
    assert.equal(task.done(), false);
    loop.advance(50);
    assert.deepEqual(task.result(), ['a', 'b', 'c']);
  });
});
