# eager_task_factory: tasks run synchronously in create_task until their first suspension; a
# coroutine that never suspends is done at once; the order of the steps that follow.
import asyncio


async def main():
    log = print
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    main_task = asyncio.current_task()

    async def quick():
        log(f'quick runs, current is main: {asyncio.current_task() is main_task}')
        return 'q'

    t = asyncio.create_task(quick())
    log(f'quick done={t.done()} result={t.result()} current is main again: {asyncio.current_task() is main_task}')

    async def slow(name):
        log(f'{name} start')
        await asyncio.sleep(0)
        log(f'{name} resumed')
        await asyncio.sleep(0.01)
        log(f'{name} slept')
        return name

    a = asyncio.create_task(slow('a'))
    log(f'a done={a.done()}')
    b = asyncio.create_task(slow('b'))
    loop.call_soon(log, 'callback')
    log(f'awaited {await a} {await b}')

    async def boom():
        raise RuntimeError('eager boom')

    e = asyncio.create_task(boom())
    log(f'boom done={e.done()} exc={e.exception()}')

    async def cancelled_early():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log('cancelled_early caught')
            raise

    c = asyncio.create_task(cancelled_early())
    log(f'cancel -> {c.cancel()}')
    try:
        await c
    except asyncio.CancelledError:
        log(f'cancelled_early cancelled={c.cancelled()}')

    async def child_spawner():
        log('spawner start')
        inner = asyncio.create_task(quick())
        log(f'spawner inner done={inner.done()}')
        return await inner

    log(f'spawner -> {await asyncio.create_task(child_spawner())}')


asyncio.run(main())
