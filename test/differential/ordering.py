# Ordering: call_soon FIFO, a callback scheduled during a pass runs in the next one, timers by
# deadline, due timers after the callbacks already ready, tasks taking turns with sleep(0).
# Timers are far apart (200 ms) so a loaded machine cannot make one due early on the real clock.
import asyncio


async def worker(log, name, n):
    for i in range(n):
        log(f'{name} step {i}')
        await asyncio.sleep(0)
    return name


async def main():
    loop = asyncio.get_running_loop()
    log = print
    loop.call_soon(log, 'soon 1')
    loop.call_later(0.4, log, 'timer 400')
    loop.call_later(0.2, log, 'timer 200')
    loop.call_soon(log, 'soon 2')
    loop.call_later(0, log, 'timer 0')
    loop.call_later(-0.5, log, 'timer negative')

    def nested():
        log('soon 3')
        loop.call_soon(log, 'soon scheduled by soon 3')

    loop.call_soon(nested)
    a = asyncio.create_task(worker(log, 'a', 3))
    b = asyncio.create_task(worker(log, 'b', 2))
    log('main before sleep(0)')
    await asyncio.sleep(0)
    log('main after sleep(0)')
    log(f'results {await a} {await b}')
    await asyncio.sleep(0.45)
    log('main done')


asyncio.run(main())
