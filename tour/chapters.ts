/**
 * The tour's chapters: one per section of the seed article ("Dai Generatori ad Asyncio"), in
 * order, each naming a real, runnable file under examples/tour/ and the asyncio line it mirrors.
 * The text here only introduces the file: everything the reader sees happen is the file's own
 * output, produced live when the chapter is shown.
 */

/** One chapter: what the reader sees before and after the file runs. */
export interface Chapter {
  /** The article's section number (the article numbers its use cases 15.x under §16). */
  section: string;
  title: string;
  /** Path under the repository root. */
  file: string;
  /** A few lines of explanation, shown above the source. */
  notes: string[];
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
    section: '14',
    title: 'asyncio.run() and gather()',
    file: 'examples/tour/14-gather.ts',
    notes: [
      "The article's §14 program: gather runs both brews as tasks on one loop; yield* sleep(0) is the yield of §13.",
      'yield → yield*, generator → Coroutine, next() → the loop, manual scheduler → run(), deque → the ready queue.',
    ],
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
    title: 'Real use cases: the brew, sync then async',
    file: 'examples/tour/16-use-cases.ts',
    notes: [
      "The article's 15.1: the same brew, as generators and as async generators. The transformation is mechanical:",
      'function* → asyncGenerator(function* ...), for...of → asyncFor, await → yield*.',
      'More in examples/: brew/ (both versions), scraping/ (backpressure, a Semaphore), testing/ (fixtures, fakes, a 30 s backoff in ms).',
    ],
    asyncio: 'asyncio.run(brew())  # ✓ malt, ✓ hops, ✓ water, 3, 2, 1, 🍺 Beer ready!',
  },
];
