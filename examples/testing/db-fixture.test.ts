// Seed §15.3, pattern 1: setup/teardown with a generator. The code before `yield` is the setup,
// the code after it the teardown, which runs even when the test fails.
// First the article's synchronous version (contextlib.contextmanager, written out in 10 lines),
// then the async version on yieldio/testing: fixture / useFixture / asyncTest, where connecting
// and closing are awaited on a virtual clock.
// Run: node --import tsx --test examples/testing/db-fixture.test.ts
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, type Coroutine } from '../../src/index.ts';
import { asyncTest, fixture, useFixture } from '../../src/testing/index.ts';

type Row = { name: string };

/** An in-memory stand-in for a database connection. */
class FakeConnection {
  state: 'open' | 'closed' = 'open';
  rolledBack = false;
  constructor(readonly dsn: string) {}
  execute(sql: string): Row[] {
    if (this.state !== 'open') throw new Error('connection is closed');
    return sql === 'SELECT * FROM users' ? [{ name: 'alice' }, { name: 'bob' }] : [];
  }
  rollback(): void {
    this.rolledBack = true;
  }
  close(): void {
    this.state = 'closed';
  }
}

// ---- synchronous: the article's @contextmanager + with -------------------------------------

function* dbConnection(dsn = 'test://localhost'): Generator<FakeConnection, void, unknown> {
  const conn = new FakeConnection(dsn); // setup
  try {
    yield conn; // the test uses conn here
  } finally {
    conn.rollback(); // teardown: always executed
    conn.close();
  }
}

/** `with cm as v: body`, for a one-yield generator (what contextlib.contextmanager does). */
function withGenerator<T, R>(gen: Generator<T, void, unknown>, body: (value: T) => R): R {
  const first = gen.next();
  if (first.done) throw new Error("generator didn't yield");
  try {
    return body(first.value);
  } finally {
    gen.return(); // close(): runs the finally block above
  }
}

describe('pattern 1, sync: a generator as setup/teardown (unittest + contextmanager)', () => {
  test('query returns rows', () => {
    withGenerator(dbConnection(), (conn) => {
      const rows = conn.execute('SELECT * FROM users');
      assert.equal(rows.length, 2);
      assert.equal(rows[0]?.name, 'alice');
    });
  });

  test('cleanup happens on error', () => {
    let conn: FakeConnection | null = null;
    assert.throws(() => {
      withGenerator(dbConnection(), (c) => {
        conn = c;
        throw new Error('simulated error');
      });
    }, /simulated error/);
    assert.equal((conn as FakeConnection | null)?.state, 'closed');
    assert.equal((conn as FakeConnection | null)?.rolledBack, true);
  });
});

// ---- async: the pytest fixture, with awaited setup and teardown ------------------------------

function* connect(dsn: string): Coroutine<FakeConnection> {
  yield* sleep(50); // network latency, on the virtual clock
  return new FakeConnection(dsn);
}

const opened: FakeConnection[] = [];

function dbFixture(dsn = 'test://localhost') {
  return fixture(function* db() {
    const conn = yield* connect(dsn); // setup
    opened.push(conn);
    yield conn; // the test uses conn here
    yield* sleep(10); // teardown: awaited, always executed (no try/finally needed)
    conn.rollback();
    conn.close();
  });
}

describe('pattern 1, async: fixture / useFixture (pytest fixture, pytest-asyncio)', () => {
  test('query returns rows', asyncTest(function* () {
    yield* useFixture(dbFixture(), function* (conn) {
      const rows = conn.execute('SELECT * FROM users');
      assert.equal(rows.length, 2);
      assert.equal(rows[0]?.name, 'alice');
    });
  }));

  test('connection state is open inside the test, closed after', asyncTest(function* () {
    const conn = yield* useFixture(dbFixture(), function* (c) {
      assert.equal(c.state, 'open');
      return c;
    });
    assert.equal(conn.state, 'closed');
  }));

  test('cleanup happens on error: the teardown runs, then the error is raised', asyncTest(function* () {
    let caught: unknown = null;
    try {
      yield* useFixture(dbFixture(), function* () {
        yield* sleep(5);
        throw new Error('simulated error');
      });
    } catch (error) {
      caught = error;
    }
    assert.equal((caught as Error).message, 'simulated error');
    const conn = opened.at(-1) as FakeConnection;
    assert.equal(conn.state, 'closed');
    assert.equal(conn.rolledBack, true);
  }));

  // pytest's parametrized fixture: the same generator, three configurations, three tests.
  for (const dsn of ['test://db1', 'test://db2', 'test://db3']) {
    test(`connection dsn (${dsn})`, asyncTest(function* () {
      yield* useFixture(dbFixture(dsn), function* (conn) {
        assert.ok(conn.dsn.startsWith('test://'));
      });
    }));
  }
});
