/**
 * The tour's chapters: one per section of the seed article ("Dai Generatori ad Asyncio"), in
 * order, each naming a real, runnable file under examples/tour/ and the asyncio line it mirrors.
 * The text here only introduces the file: everything the reader sees happen is the file's own
 * output, produced live when the chapter is shown.
 */

import type { Table } from './text.ts';

/** One chapter: what the reader sees before and after the file runs. */
export interface Chapter {
  /** The article's section number (the article numbers its use cases 15.x under §16). */
  section: string;
  title: string;
  /** Path under the repository root: a file exporting main(), or a `*.test.ts` run by `node --test`. */
  file: string;
  /** A few lines of explanation, shown above the source. */
  notes: string[];
  /** A summary table, shown under the notes (the article's own tables). */
  table?: Table;
  /** The one-line Python / asyncio equivalent, shown last. */
  asyncio: string;
}

export const chapters: Chapter[] = [
  {
    section: '1',
    title: 'Iterables and iterators',
    file: 'examples/tour/01-iterators.ts',
    notes: [
      "Python's __iter__ / __next__ are JavaScript's [Symbol.iterator]() / next().",
      'Instead of raising StopIteration, next() returns { done: true }. for...of is sugar for the loop below it.',
    ],
    asyncio: 'it = iter([1, 2, 3]); next(it)  # 1',
  },
  {
    section: '2',
    title: 'yield: the function that suspends (PEP 255)',
    file: 'examples/tour/02-yield.ts',
    notes: [
      'Calling a generator function runs nothing: it returns a generator object.',
      'Each next() runs the body to the next yield, where the frame freezes: locals, position, everything.',
      'A generator is not a function that returns many values. It is a function that can be suspended.',
    ],
    asyncio: 'c = count(); next(c)  # 1',
  },
  {
    section: '3',
    title: 'Inside the generator: frame and state',
    file: 'examples/tour/03-frames.ts',
    notes: [
      'Python shows the frozen frame (gi_frame, f_locals, f_lasti); JavaScript keeps it hidden.',
      "A small helper watches the calls and reports Python's four states, GEN_CREATED ... GEN_CLOSED.",
      'A running generator cannot be resumed: JavaScript says TypeError where Python says ValueError.',
    ],
    asyncio: 'inspect.getgeneratorstate(gen)  # GEN_SUSPENDED',
  },
  {
    section: '4',
    title: 'send(): two-way communication (PEP 342)',
    file: 'examples/tour/04-send.ts',
    notes: [
      "gen.next(value) is Python's gen.send(value): the value becomes the result of the suspended yield.",
      'The function decides WHERE to suspend (yield); the caller decides WHEN to resume (next).',
    ],
    asyncio: 'acc.send(10)  # 10',
  },
  {
    section: '5',
    title: 'Lifecycle: throw() and close() (PEP 342)',
    file: 'examples/tour/05-throw-return.ts',
    notes: [
      'throw(e) raises e at the yield where the generator sleeps; it may catch it and go on.',
      "JavaScript's return() is Python's close(): it unwinds the generator through its finally blocks",
      '(there is no GeneratorExit to catch). asyncio cancels a task with throw(CancelledError), and so does yieldio.',
    ],
    asyncio: 'task._coro.throw(asyncio.CancelledError())  # what task.cancel() does',
  },
  {
    section: '6',
    title: 'The problem: incomplete composition (PEP 380)',
    file: 'examples/tour/06-composition.ts',
    notes: [
      "A for...of that re-yields a sub-generator's values drops what the caller sends: send(\"stop\") never arrives.",
      "yield* is Python's yield from: a two-way tunnel to the sub-generator, which also hands back its return value.",
    ],
    asyncio: 'remaining = yield from fermentation(3)',
  },
  {
    section: '7',
    title: 'The return value: the missing piece',
    file: 'examples/tour/07-return-value.ts',
    notes: [
      "return value ends a generator with { done: true, value } (Python: StopIteration(value)).",
      'yield* evaluates to that value: this is how await hands you a coroutine\'s result.',
    ],
    asyncio: 'result = yield from fetch_data()  # 42',
  },
  {
    section: '8',
    title: 'The full expansion of yield from',
    file: 'examples/tour/08-delegation.ts',
    notes: [
      'PEP 380 spells yield from out as ~30 lines: forward send(), forward throw(), forward close(), catch the return value.',
      'yieldFrom below is that expansion in JavaScript; it behaves exactly like yield*, throw and return included.',
    ],
    asyncio: 'yield from inner_with_handling()  # g.throw(ValueError("boom")) reaches the inner',
  },
  {
    section: '9',
    title: 'Real composition: the brew sequence',
    file: 'examples/tour/09-brew.ts',
    notes: [
      'Three generators, three responsibilities, composed with yield*. Add a phase: one more line.',
      'These are all the bricks of asyncio: suspension, send, throw/close, delegation with a return value.',
    ],
    asyncio: 'list(brew())  # ["✓ malt", "✓ hops", "✓ water", 3, 2, 1, "🍺 Beer ready!"]',
  },
  {
    section: '10',
    title: 'Two concepts, one syntax: generator vs coroutine',
    file: 'examples/tour/10-generator-vs-coroutine.ts',
    notes: [
      'A generator produces values; a coroutine receives them. Same syntax, different intent.',
      'Python 3.5 separated them with async def. yieldio separates them with a type: Coroutine<T> only',
      'accepts yield* of awaitables (yield 42 does not compile), and a task that meets a plain value says so.',
    ],
    table: {
      head: ['Aspect', 'Generator', 'Coroutine'],
      rows: [
        ['Purpose', 'produces values (lazily)', 'receives and processes data'],
        ['Data flow', 'one way (out)', 'two ways (in / out)'],
        ['Interface', 'next(), for', 'send(), throw(), close()'],
        ['yield is…', 'an exit point', 'an entry point'],
        ['Typical use', 'infinite sequences, pipelines', 'accumulators, state machines, schedulers'],
        ['Python syntax', 'def + yield', 'def + yield (the same!) → async def + await'],
        ['yieldio', 'function*(): Generator<T>', 'function*(): Coroutine<T>, awaited with yield*'],
      ],
    },
    asyncio: "await gen()  # TypeError: object generator can't be used in 'await' expression",
  },
  {
    section: '11',
    title: 'From yield from to await (PEP 492)',
    file: 'examples/tour/11-await.ts',
    notes: [
      'In yieldio, async def is function* returning Coroutine<T>, and await is yield*:',
      "exactly Python 3.4's @asyncio.coroutine + yield from. A bare yield becomes yield* sleep(0).",
    ],
    asyncio: 'result = await asyncio.sleep(0.1, result=42)',
  },
  {
    section: '11',
    title: 'PEP 479: StopIteration becomes RuntimeError; JavaScript has no StopIteration',
    file: 'examples/tour/11-pep479.ts',
    notes: [
      'In Python a StopIteration escaping a generator (a next() on an empty iterator) once ended it silently;',
      'PEP 479 turns it into RuntimeError, and native coroutines had that rule from the start.',
      'JavaScript ends an iterator with a result, { done: true }, never an exception: nothing to convert,',
      'and the same slip gives undefined instead. Errors in a generator or a coroutine reach the caller unchanged.',
    ],
    asyncio: 'list(first_of_each([1, 2], [], [3]))  # RuntimeError: generator raised StopIteration',
  },
  {
    section: '12',
    title: 'The await protocol: [Symbol.iterator] is __await__',
    file: 'examples/tour/12-awaitable.ts',
    notes: [
      'An awaitable is an object whose [Symbol.iterator]() returns a generator: its yields reach the loop,',
      'its return value is the result. We drive one by hand with next(), as the article does with send(None).',
      'A yieldio Future yields itself: the loop parks the task on it and resumes it when the result is set.',
    ],
    asyncio: 'coro.send(None)  # "suspending with future"',
  },
  {
    section: '12',
    title: 'What happens on await asyncio.sleep(1): the eight steps, traced',
    file: 'examples/tour/12-sleep-walk.ts',
    notes: [
      "The article's eight steps, read off a real trace: asyncioSleep is asyncio.sleep's recipe (a Future, a",
      'callLater that sets its result, await the Future). A TraceRecorder records the run; nothing in the program',
      'prints: the walk below is the recording, in order, each event tagged with the step it shows. It shows one',
      'thing the list glosses over: sleep() arms the timer before it yields, so step 4 comes before 2 and 3.',
      'On the virtual clock of runSync the 1 s wait costs no real time (the clock jumps).',
    ],
    asyncio: 'await asyncio.sleep(1)  # future = loop.create_future(); loop.call_later(1, ...); await future',
  },
  {
    section: '13',
    title: 'The event loop from scratch: round-robin',
    file: 'examples/tour/13-round-robin.ts',
    notes: [
      'A queue of coroutines, resumed one at a time with next(), put back unless finished. That is cooperative multitasking.',
    ],
    asyncio: 'coro = coroutines.popleft(); next(coro); coroutines.append(coro)',
  },
  {
    section: '13',
    title: 'The event loop from scratch: MiniEventLoop with timers',
    file: 'examples/tour/13-mini-event-loop.ts',
    notes: [
      "Coroutines ask for a wake-up by yielding ['sleep', ms]. The loop keeps a ready queue and a list of sleepers,",
      'and scans the whole list on every iteration: O(n) per pass. yieldio keeps timers in a binary heap',
      'ordered by (deadline, sequence): O(log n) per timer, and equal deadlines fire in scheduling order.',
    ],
    asyncio: 'await asyncio.sleep(0.05)  # the grown-up yield ("sleep", 0.05)',
  },
  {
    section: '13',
    title: 'The real asyncio: I/O readiness (an echo server over loopback)',
    file: 'examples/tour/13-io-readiness.ts',
    notes: [
      'What the MiniEventLoop lacks: non-blocking I/O. When no task is ready and no timer is due, the loop waits',
      'on the host (asyncio: select/epoll/kqueue; yieldio/node: Node\'s libuv) until a socket is ready,',
      'then resumes the task waiting on it. A client and an echo server play ping-pong on 127.0.0.1;',
      'an instrument prints every wait on the host and the task each socket event resumed.',
    ],
    asyncio: 'reader, writer = await asyncio.open_connection("127.0.0.1", port)  # the loop waits in selector.select()',
  },
  {
    section: '14',
    title: 'asyncio.run() and gather()',
    file: 'examples/tour/14-gather.ts',
    notes: [
      "The article's §14 program: gather runs both brews as tasks on one loop; yield* sleep(0) is the yield of §13.",
    ],
    table: {
      head: ['Before (§13)', 'asyncio', 'yieldio'],
      rows: [
        ['yield', 'await', 'yield*'],
        ['generator', 'coroutine (async def)', 'function*(): Coroutine<T>'],
        ['next() / send()', 'the event loop calls send()', 'the loop calls next() / throw()'],
        ['manual scheduler', 'asyncio.run()', 'run() / runSync()'],
        ['mini loop with a deque', 'the asyncio event loop', 'EventLoop: ready queue + timer heap'],
        ['yield ("sleep", 0.05)', 'await asyncio.sleep(0.05)', 'yield* sleep(50)  (milliseconds)'],
      ],
    },
    asyncio: 'asyncio.run(main())  # await asyncio.gather(brew("Pilsner"), brew("IPA"))',
  },
  {
    section: '14',
    title: 'asyncio.run(): the same program on yieldio',
    file: 'examples/tour/14-run.ts',
    notes: [
      "The MiniEventLoop's program, unchanged in spirit: yield* sleep(ms) for yield ['sleep', ms], createTask for",
      'callSoon, run() for the loop. Same output, on a real event loop with a timer heap.',
    ],
    table: {
      head: ['asyncio.run(main())', 'yieldio run(main)'],
      rows: [
        ['1. creates a new event loop', 'new EventLoop (runSync: on a virtual clock)'],
        ['2. runs main() as a Task, until it is done', 'the same: main is a Task, its result resolves run()'],
        ['3. cancels the tasks still pending, awaits them', 'the same: their finally blocks run'],
        ['4. closes async generators left open (shutdown_asyncgens)', 'loop.shutdownAsyncgens()'],
        ['5. shuts the default executor down', 'the same, when yieldio/node\'s toThread made one'],
        ['6. closes the loop; returns main\'s result or raises', 'the same; never ends silently with work left'],
      ],
    },
    asyncio: 'asyncio.run(brewery())',
  },
  {
    section: '14',
    title: 'Cancellation is throw()',
    file: 'examples/tour/14-cancellation.ts',
    notes: [
      'task.cancel(msg) throws CancelledError(msg) into the coroutine at its yield*, on the next loop iteration.',
      'finally blocks run and may still await. runSync uses a virtual clock: a week-long sleep takes no time.',
    ],
    asyncio: "task.cancel('power cut')  # CancelledError raised at the await",
  },
  {
    section: '15',
    title: 'Async generators: why (load everything, or callbacks?)',
    file: 'examples/tour/15-motivation.ts',
    notes: [
      'Generators produce lazily; coroutines do I/O without blocking. A lazy stream of checks that each need I/O',
      'wants both. Loading everything first loses laziness; callbacks invert control (the producer pushes, the',
      'consumer cannot break). PEP 525 allows yield inside async def: the consumer pulls, and may stop.',
    ],
    asyncio: 'async for check in quality_check("Pilsner"): ...; break  # two network calls, not six',
  },
  {
    section: '15',
    title: 'Before PEP 525: the AsyncCounter class',
    file: 'examples/tour/15-async-counter.ts',
    notes: [
      'Without async generators, a class: state in fields, __aiter__ returning self, __anext__ checking the end,',
      'awaiting, updating, returning: a hand-written state machine. The generator says it in four lines.',
      'PEP 525 measured the generator 2.3x faster in CPython 3.6. Both are timed here, now, in yieldio (and in',
      'CPython when python3 is installed): in yieldio both are plain JavaScript, so expect no such gap.',
    ],
    asyncio: 'async for val in AsyncCounter(5): print(val)  # 1 2 3 4 5, as async for val in async_counter(5)',
  },
  {
    section: '15',
    title: 'Async generators (PEP 525) and aclose()',
    file: 'examples/tour/15-async-generators.ts',
    notes: [
      'await for the I/O and yield to produce lazily, in one function: asyncGenerator(function* ...) is async def + yield.',
      'asyncFor is async for: the consumer pulls at its own pace, and returning BREAK calls aclose() for you,',
      "which runs the generator's finally block (Python injects GeneratorExit, as close() does in §5).",
    ],
    asyncio: 'async for check in quality_check("Pilsner"): ...; break  # aclose() runs',
  },
  {
    section: '15',
    title: 'The protocol: aiter, anext, asend, athrow, aclose',
    file: 'examples/tour/15-protocol.ts',
    notes: [
      'Every method of an async generator is an awaitable: anext() is __anext__, asend(v) is send(v) from §4,',
      'athrow(e) is throw(e) from §5, aclose() is close(). A running average receives values through asend(),',
      'survives an athrow(), and runs its finally on aclose(). CPython 3.13 prints None, 10.0, 15.0, 15.0, 20.0.',
    ],
    asyncio: 'await ag.asend(10)  # 10.0; await ag.athrow(ValueError("not a number"))  # 15.0',
  },
  {
    section: '15',
    title: 'Four differences from sync generators',
    file: 'examples/tour/15-differences.ts',
    notes: [
      '1. return value: a SyntaxError in Python 3.13; allowed in yieldio, as PEP 828 will (StopAsyncIteration.value).',
      '2. yield from: a SyntaxError; in yieldio, yield* of an async generator is PEP 828\'s async yield from.',
      '3. The end is StopAsyncIteration; raised inside the body it becomes RuntimeError (PEP 479\'s rule).',
      '4. Finalisation is explicit: aclose(), or the loop\'s shutdownAsyncgens() when run() ends.',
      'CPython 3.13 prints the same for 3 and 4.',
    ],
    asyncio: "raise StopAsyncIteration  # inside: RuntimeError: async generator raised StopAsyncIteration",
  },
  {
    section: '15',
    title: 'async for under the hood',
    file: 'examples/tour/15-async-for.ts',
    notes: [
      'Like for...of, async for is sugar: take the iterator, await anext() until StopAsyncIteration.',
      'The one difference: anext() is awaitable, so each turn of the loop may suspend for I/O.',
    ],
    asyncio: 'while True: TARGET = await type(_iter).__anext__(_iter)  # until StopAsyncIteration',
  },
  {
    section: '15',
    title: 'PEP 828: async yield from',
    file: 'examples/tour/15-pep828.ts',
    notes: [
      'Python 3.15 (PEP 828, draft) brings yield from to async generators. yieldio has it: yield* otherAgen in an',
      'async-generator body forwards asend/athrow/aclose and returns the sub-generator\'s return value,',
      'which an async generator may now produce (StopAsyncIteration.value). An asyncFor pass-through forwards values only.',
    ],
    asyncio: 'result = async yield from accumulator()  # PEP 828',
  },
  {
    section: '16',
    title: 'Use cases, 15.1: the brew, sync then async',
    file: 'examples/tour/16-use-cases.ts',
    notes: [
      "The article's 15.1: the same brew, as generators and as async generators. The transformation is mechanical:",
      'function* → asyncGenerator(function* ...), for...of → asyncFor, await → yield*.',
    ],
    asyncio: 'asyncio.run(brew())  # ✓ malt, ✓ hops, ✓ water, 3, 2, 1, 🍺 Beer ready!',
  },
  {
    section: '16',
    title: 'Use cases, 15.2: scraping with backpressure',
    file: 'examples/scraping/backpressure.ts',
    notes: [
      'fetchPages yields one page at a time; extractLinks pulls from it only when its own consumer asks for',
      'the next link. The consumer is slow (50 ms a link): the producer stays parked at its yield, and',
      'fetches page 2 only after every link of page 1 was handled. No buffer grows; nothing to tune.',
      'A real HTTP server on 127.0.0.1 serves the pages; fromPromise awaits fetch() (aiohttp in the article).',
    ],
    asyncio: 'async for link in extract_links(fetch_pages(urls)): ...  # natural backpressure',
  },
  {
    section: '16',
    title: 'Use cases, 15.2: many pages at once, bounded by a Semaphore',
    file: 'examples/scraping/bounded.ts',
    notes: [
      'Backpressure serialises. To fetch concurrently without flooding the server: one task per page, and a',
      'Semaphore(2) around each fetch. The server counts the requests it handles at once: never more than 2.',
    ],
    asyncio: 'async with semaphore: html = await fetch(url)  # asyncio.Semaphore(2)',
  },
  {
    section: '16',
    title: 'Use cases, 15.3: testing, a fixture with setup and teardown',
    file: 'examples/testing/db-fixture.test.ts',
    notes: [
      'A generator is a fixture: the code before yield is the setup, after it the teardown, run even when the',
      'test fails. First the unittest way (contextmanager + with, written out), then pytest\'s: fixture()',
      'and useFixture() from yieldio/testing, on a virtual clock, including a parametrised fixture (3 DSNs).',
      'This chapter runs the file with node --test: its output is the test report.',
    ],
    table: {
      head: ['Aspect', 'unittest', 'pytest', 'here'],
      rows: [
        ['Fixture', '@contextmanager + with', 'fixture + yield', 'fixture() + useFixture()'],
        ['Assertions', 'assertEqual(a, b)', 'assert a == b', 'assert.equal(a, b)'],
        ['Errors', 'assertRaises(E)', 'pytest.raises(E)', 'assert.throws(f)'],
        ['Parameters', 'subTest()', 'fixture(params=…)', 'a loop of test()'],
        ['Async tests', 'IsolatedAsyncioTestCase', 'pytest-asyncio', 'asyncTest(function* …)'],
      ],
    },
    asyncio: '@pytest.fixture def db(): conn = connect(); yield conn; conn.close()  # setup, test, teardown',
  },
  {
    section: '16',
    title: 'Use cases, 15.3: testing, a paginated API mocked by a generator',
    file: 'examples/testing/paginated-api.test.ts',
    notes: [
      'A generator plays a paginated API: each next() is one "HTTP call", each test builds the pages it needs.',
      'The async version costs 100 ms of virtual network time a page; the test checks the result and the',
      'loop\'s clock, and TestLoop steps it one page at a time. No network, fully deterministic.',
    ],
    asyncio: 'api = fake_paginated_api([["a", "b"], ["c", "d"], ["e"]]); assert consume_all_pages(api) == [...]',
  },
  {
    section: '16',
    title: 'Use cases, 15.3: testing retry logic with a sequence of fake responses',
    file: 'examples/testing/retry-client.test.ts',
    notes: [
      'A generator plays an unstable service: one response per request (500, 503, 200). The sequence of',
      'responses is the specification of the test. The async version backs off 2, 4, 8, 16 s between tries:',
      'the test waits 30 virtual seconds and takes milliseconds.',
    ],
    asyncio: 'transport = fake_http_responses((500, "error"), (503, "unavailable"), (200, {"ok": True}))',
  },
];
