# Twin of queues-contention.ts: who gets which item, and when, under contention (woken waiters
# that find the queue full/empty again re-wait at the back), and cancellation of woken waiters.
import asyncio


async def contention(log, producers, consumers, maxsize, items):
    q = asyncio.Queue(maxsize)
    got = []

    async def producer(p):
        for i in range(items):
            await q.put(f"p{p}-{i}")
            got.append(f"P{p}")

    async def consumer(c):
        while True:
            item = await q.get()
            if item is None:
                return
            got.append(f"C{c}:{item}")

    cs = [asyncio.create_task(consumer(c)) for c in range(consumers)]
    ps = [asyncio.create_task(producer(p)) for p in range(producers)]
    for p in ps:
        await p
    for _ in cs:
        await q.put(None)
    for c in cs:
        await c
    log(f"{producers}x{consumers} maxsize={maxsize}: " + " ".join(got))


async def woken_getter_cancelled(log):
    q = asyncio.Queue()
    results = []

    async def getter(name):
        try:
            results.append(f"{name} got {await q.get()}")
        except asyncio.CancelledError:
            results.append(f"{name} cancelled")
            raise

    g1 = asyncio.create_task(getter("g1"))
    g2 = asyncio.create_task(getter("g2"))
    await asyncio.sleep(0)
    q.put_nowait("x")  # wakes g1
    g1.cancel()  # before g1 runs: the item must go to g2
    await asyncio.gather(g1, g2, return_exceptions=True)
    log(f"woken getter cancelled: {results} qsize={q.qsize()}")


async def woken_putter_cancelled(log):
    q = asyncio.Queue(1)
    q.put_nowait("a")
    results = []

    async def putter(name):
        try:
            await q.put(name)
            results.append(f"{name} put")
        except asyncio.CancelledError:
            results.append(f"{name} cancelled")
            raise

    p1 = asyncio.create_task(putter("p1"))
    p2 = asyncio.create_task(putter("p2"))
    await asyncio.sleep(0)
    results.append(f"took {q.get_nowait()}")  # wakes p1
    p1.cancel()  # before p1 runs: the slot must go to p2
    await asyncio.gather(p1, p2, return_exceptions=True)
    log(f"woken putter cancelled: {results} items={[q.get_nowait() for _ in range(q.qsize())]}")


async def waiting_cancelled(log):
    q = asyncio.Queue(1)
    g = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    g.cancel()
    await asyncio.gather(g, return_exceptions=True)
    q.put_nowait(1)
    p = asyncio.create_task(q.put(2))
    await asyncio.sleep(0)
    p.cancel()
    await asyncio.gather(p, return_exceptions=True)
    log(f"cancelled while waiting: get {g.cancelled()}, put {p.cancelled()}, qsize={q.qsize()}, item={q.get_nowait()}")


async def barging(log):
    # A woken getter loses the item to a get that runs first, and waits again behind the others.
    q = asyncio.Queue()
    order = []

    async def getter(name):
        order.append(f"{name}:{await q.get()}")

    ts = [asyncio.create_task(getter(n)) for n in ("a", "b")]
    await asyncio.sleep(0)
    q.put_nowait(1)  # wakes a
    order.append(f"main:{q.get_nowait()}")  # main takes it first
    q.put_nowait(2)  # wakes b (a is done, not in the list any more)
    await asyncio.sleep(0)
    q.put_nowait(3)
    await asyncio.gather(*ts)
    log(f"barging: {order}")


async def main():
    log = print
    await contention(log, 3, 3, 2, 4)
    await contention(log, 1, 3, 1, 5)
    await contention(log, 3, 1, 1, 3)
    await contention(log, 2, 2, 0, 3)
    await woken_getter_cancelled(log)
    await woken_putter_cancelled(log)
    await waiting_cancelled(log)
    await barging(log)


asyncio.run(main())
