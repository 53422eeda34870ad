# Locks: FIFO handoff, a waiter cancelled in the iteration it is woken, Semaphore unit passing,
# Condition notify/cancel (the wakeup passes on, wait re-acquires), Barrier indices/reset/abort.
import asyncio


async def tick(n=1):
    for _ in range(n):
        await asyncio.sleep(0)


async def lock_part(log):
    lock = asyncio.Lock()
    await lock.acquire()

    async def waiter(name):
        try:
            await lock.acquire()
        except asyncio.CancelledError:
            log(f'lock {name} cancelled, locked={lock.locked()}')
            raise
        log(f'lock {name} acquired')
        await asyncio.sleep(0)
        lock.release()
        log(f'lock {name} released')

    tasks = [asyncio.create_task(waiter(n)) for n in 'abcd']
    await tick()
    lock.release()
    tasks[0].cancel()  # woken and cancelled in the same iteration
    newcomer = asyncio.create_task(waiter('new'))
    await asyncio.gather(*tasks, newcomer, return_exceptions=True)
    log(f'lock done locked={lock.locked()}')


async def semaphore_part(log):
    sem = asyncio.Semaphore(0)

    async def worker(n):
        try:
            await sem.acquire()
            log(f'sem {n} acquired value={sem._value}')
        except asyncio.CancelledError:
            log(f'sem {n} cancelled')
            raise

    tasks = [asyncio.create_task(worker(n)) for n in range(4)]
    await tick()
    sem.release()
    sem.release()
    tasks[0].cancel()
    await tick(4)
    log(f'sem value={sem._value} locked={sem.locked()}')
    sem.release()
    await asyncio.gather(*tasks, return_exceptions=True)
    bounded = asyncio.BoundedSemaphore(1)
    try:
        bounded.release()
    except ValueError as e:
        log(f'bounded: {e}')


async def condition_part(log):
    cond = asyncio.Condition()

    async def waiter(name):
        async with cond:
            try:
                await cond.wait()
                log(f'cond {name} woke, locked={cond.locked()}')
            except asyncio.CancelledError:
                log(f'cond {name} cancelled, locked={cond.locked()}')
                raise

    tasks = [asyncio.create_task(waiter(n)) for n in 'xyz']
    await tick(2)
    async with cond:
        cond.notify(1)
        tasks[0].cancel()
    await tick(6)
    async with cond:
        cond.notify_all()
    await asyncio.gather(*tasks, return_exceptions=True)
    try:
        await cond.wait()
    except RuntimeError as e:
        log(f'cond: {e}')


async def barrier_part(log):
    barrier = asyncio.Barrier(3)

    async def party(name):
        try:
            index = await barrier.wait()
            log(f'barrier {name} index={index}')
        except asyncio.BrokenBarrierError as e:
            log(f'barrier {name} broken: {e}')

    tasks = [asyncio.create_task(party(n)) for n in 'pqr']
    await asyncio.gather(*tasks)
    tasks = [asyncio.create_task(party(n)) for n in 'st']
    await tick(3)
    log(f'n_waiting={barrier.n_waiting}')
    await barrier.reset()
    await asyncio.gather(*tasks)
    await barrier.abort()
    log(f'broken={barrier.broken}')
    await party('late')
    await barrier.reset()
    log(f'broken={barrier.broken} n_waiting={barrier.n_waiting} parties={barrier.parties}')


async def main():
    log = print
    await lock_part(log)
    await semaphore_part(log)
    await condition_part(log)
    await barrier_part(log)


asyncio.run(main())
