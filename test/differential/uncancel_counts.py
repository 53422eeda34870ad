# cancelling()/uncancel() counts: repeated cancels, a task that catches and uncancels, a second
# cancel that cannot reach a waiter (must-cancel), and uncancel() to zero withdrawing it (3.13).
import asyncio


async def stubborn(log):
    for i in range(3):
        try:
            await asyncio.sleep(0.05)
            return f'slept on try {i}'
        except asyncio.CancelledError:
            t = asyncio.current_task()
            log(f'caught {i} cancelling={t.cancelling()}')
            log(f'uncancel -> {t.uncancel()}')
    return 'gave up'


async def main():
    log = print
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(stubborn(log))
    await asyncio.sleep(0)
    log(f'cancel -> {t.cancel()} cancelling={t.cancelling()}')
    await asyncio.sleep(0)
    log(f'after first: cancelling={t.cancelling()}')
    log(f'cancel -> {t.cancel()} cancel -> {t.cancel()} cancelling={t.cancelling()}')
    await asyncio.sleep(0)
    log(f'after double: cancelling={t.cancelling()}')
    log(f'result={await t} cancelled={t.cancelled()} cancelling={t.cancelling()}')

    fut = loop.create_future()

    async def waiter():
        await fut
        return 42

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    fut.set_result(None)
    log(f'cancel -> {w.cancel()} cancelling={w.cancelling()}')
    log(f'uncancel -> {w.uncancel()} uncancel again -> {w.uncancel()}')
    log(f'waiter result={await w} cancelled={w.cancelled()}')

    async def swallow():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            pass
        return 'swallowed'

    s = asyncio.create_task(swallow())
    await asyncio.sleep(0)
    s.cancel()
    log(f'swallow result={await s} cancelled={s.cancelled()} cancelling={s.cancelling()}')


asyncio.run(main())
