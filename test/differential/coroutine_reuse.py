# One coroutine object given to two tasks: the second fails with "cannot reuse already awaited
# coroutine" (yieldio adds a hint after a colon: only the part before it is printed), the first
# keeps its result; a cancel() before the second task's first step does not change that.
import asyncio


async def quick():
    return 'q'


async def slow():
    await asyncio.sleep(0.01)
    return 's'


async def outcome(label, t):
    try:
        print(label, 'returned', await t)
    except asyncio.CancelledError:
        print(label, 'cancelled')
    except RuntimeError as e:
        print(label, 'RuntimeError', str(e).split(':')[0])


async def main():
    for eager in (False, True):
        loop = asyncio.get_running_loop()
        loop.set_task_factory(asyncio.eager_task_factory if eager else None)
        print('eager' if eager else 'lazy')
        for make in (quick, slow):
            c = make()
            t1 = asyncio.create_task(c)
            t2 = asyncio.create_task(c)
            await outcome(f'{make.__name__} t2', t2)
            await outcome(f'{make.__name__} t1', t1)
            t3 = asyncio.create_task(c)
            await outcome(f'{make.__name__} t3 (finished)', t3)
        if not eager:
            c = quick()
            await asyncio.create_task(c)
            t2 = asyncio.create_task(c)
            t2.cancel()
            await outcome('finished then cancelled', t2)
            c = slow()
            t1 = asyncio.create_task(c)
            t1.cancel()
            t2 = asyncio.create_task(c)
            await outcome('cancelled first t1', t1)
            await outcome('cancelled first t2', t2)
            # gather wraps a coroutine a task already holds: the task steps first and keeps it.
            c = quick()
            t1 = asyncio.create_task(c)
            g = asyncio.gather(c, return_exceptions=True)
            await outcome('task then gather t1', t1)
            print('task then gather', [type(r).__name__ for r in await g])
            # An eager task given gather's coroutine steps before gather's task: it keeps it.
            c = quick()
            g = asyncio.gather(c, return_exceptions=True)
            loop.set_task_factory(asyncio.eager_task_factory)
            t2 = asyncio.create_task(c)
            loop.set_task_factory(None)
            await outcome('gather then eager task t2', t2)
            print('gather then eager task', [type(r).__name__ for r in await g])
        c = quick()
        print('gather', await asyncio.gather(c, c))


asyncio.run(main())
