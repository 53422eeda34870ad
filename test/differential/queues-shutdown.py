# Queues: FIFO/LIFO/priority order, blocked putters and getters, a getter and a putter woken and
# cancelled in the same iteration, task_done/join, shutdown and shutdown(immediate=True).
import asyncio


async def tick(n=1):
    for _ in range(n):
        await asyncio.sleep(0)


def outcome(task):
    if task.cancelled():
        return 'cancelled'
    exc = task.exception()
    if exc is not None:
        return type(exc).__name__
    return f'ok {task.result()}'


async def order_part(log):
    for cls in (asyncio.Queue, asyncio.LifoQueue, asyncio.PriorityQueue):
        q = cls()
        for x in (3, 1, 2):
            q.put_nowait(x)
        log(f'{cls.__name__}: {[q.get_nowait() for _ in range(3)]}')
    pq = asyncio.PriorityQueue()
    for item in ([2, 'b'], [1, 'z'], [1, 'a'], [1]):
        pq.put_nowait(item)
    log(f'tuples: {[pq.get_nowait() for _ in range(4)]}')


async def race_part(log):
    q = asyncio.Queue(1)
    getters = [asyncio.create_task(q.get()) for _ in range(3)]
    await tick()
    q.put_nowait('a')
    getters[0].cancel()  # woken, then cancelled before it runs
    await tick(3)
    log(f'getters: {[outcome(g) if g.done() else "pending" for g in getters]} qsize={q.qsize()}')
    q.put_nowait('b')
    await tick(2)
    q.put_nowait('c')
    putters = [asyncio.create_task(q.put(x)) for x in 'de']
    await tick()
    log(f'got {q.get_nowait()} full={q.full()}')
    putters[0].cancel()
    await tick(3)
    log(f'putters: {[outcome(p) for p in putters]} items={q.get_nowait()} empty={q.empty()}')


async def join_part(log):
    q = asyncio.Queue(2)
    done = []

    async def worker(name):
        while True:
            try:
                item = await q.get()
            except asyncio.QueueShutDown:
                log(f'worker {name} sees shutdown')
                return
            await asyncio.sleep(0)
            done.append(item)
            q.task_done()

    workers = [asyncio.create_task(worker(n)) for n in 'AB']
    for i in range(6):
        await q.put(i)
    await q.join()
    log(f'joined: {sorted(done)}')
    q.shutdown()
    await asyncio.gather(*workers)
    try:
        q.task_done()
    except ValueError as e:
        log('task_done: refused')


async def shutdown_part(log):
    q = asyncio.Queue(2)
    q.put_nowait(1)
    q.put_nowait(2)
    putters = [asyncio.create_task(q.put(x)) for x in (3, 4)]
    await tick()
    q.shutdown()
    await tick()
    log(f'putters after shutdown: {[outcome(p) for p in putters]}')
    log(f'drain: {await q.get()} {q.get_nowait()}')
    try:
        await q.get()
    except asyncio.QueueShutDown:
        log('get on empty shut-down queue: QueueShutDown')
    try:
        q.put_nowait(5)
    except asyncio.QueueShutDown:
        log('put_nowait after shutdown: QueueShutDown')

    q = asyncio.Queue(1)
    q.put_nowait('x')
    putter = asyncio.create_task(q.put('y'))
    empty = asyncio.Queue()
    getters = [asyncio.create_task(empty.get()) for _ in range(2)]
    joiner = asyncio.create_task(q.join())
    await tick()
    q.shutdown(immediate=True)
    empty.shutdown(immediate=True)
    await tick(2)
    log(f'immediate: putter={outcome(putter)} getters={[outcome(g) for g in getters]} '
        f'qsize={q.qsize()} unfinished={q._unfinished_tasks} joined={joiner.done()}')


async def main():
    log = print
    await order_part(log)
    await race_part(log)
    await join_part(log)
    await shutdown_part(log)


asyncio.run(main())
