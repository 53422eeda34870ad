# Cancellation with finally blocks: awaiting inside finally, a second cancel interrupting the
# cleanup, a delegated helper whose finally awaits (the caller must not resume), a swallowed cancel.
import asyncio


async def helper(log):
    try:
        await asyncio.sleep(1)
    finally:
        log('helper cleanup start')
        await asyncio.sleep(0.01)
        log('helper cleanup end')


async def caller(log):
    await helper(log)
    log('caller resumed (must not happen)')


async def twice(log):
    try:
        await asyncio.sleep(1)
    finally:
        log('twice cleanup 1')
        await asyncio.sleep(0.01)
        log('twice cleanup 2 (must not happen)')


async def swallow(log):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        log('swallow caught')
    finally:
        log('swallow finally')
    await asyncio.sleep(0)
    return 'swallowed'


def state(t):
    if t.cancelled():
        return 'cancelled'
    if t.exception() is not None:
        return f'error {t.exception()}'
    return f'result {t.result()}'


async def main():
    log = print
    t1 = asyncio.create_task(caller(log))
    t2 = asyncio.create_task(twice(log))
    t3 = asyncio.create_task(swallow(log))
    await asyncio.sleep(0)
    log(f'cancel returns {t1.cancel()} {t2.cancel()} {t3.cancel()}')
    await asyncio.sleep(0)
    log('second cancel of twice')
    t2.cancel()
    for name, t in (('caller', t1), ('twice', t2), ('swallow', t3)):
        try:
            await t
        except asyncio.CancelledError:
            log(f'awaiting {name} raised CancelledError')
        log(f'{name}: {state(t)} cancelling={t.cancelling()}')
    log(f'cancel after done returns {t1.cancel()}')


asyncio.run(main())
