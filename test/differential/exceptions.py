# Exceptions propagating through awaits: nested coroutines and tasks, finally blocks in order,
# the same exception object on every retrieval, siblings unaffected, done callbacks.
import asyncio


class AppError(Exception):
    pass


async def leaf(log):
    try:
        await asyncio.sleep(0.01)
        raise AppError('from leaf')
    finally:
        log('leaf finally')


async def middle(log):
    try:
        await leaf(log)
    finally:
        log('middle finally')


async def top(log):
    try:
        return await asyncio.create_task(middle(log))
    except AppError as e:
        log(f'top caught {type(e).__name__}: {e}')
        raise RuntimeError('wrapped') from e


async def sibling(log):
    await asyncio.sleep(0.15)  # well after the leaf fails, even on a loaded machine
    log('sibling finished normally')
    return 'ok'


async def main():
    log = print
    t = asyncio.create_task(top(log))
    s = asyncio.create_task(sibling(log))
    t.add_done_callback(lambda f: log(f'done callback: exception is {f.exception()}'))
    try:
        await t
    except RuntimeError as e:
        log(f'main caught {e}, cause: {e.__cause__}')
        first = e
    try:
        await t
    except RuntimeError as e:
        log(f'second await raises the same object: {e is first}')
    log(f'exception() is it too: {t.exception() is first}')
    log(f'sibling -> {await s}')

    async def fails_at_once():
        raise AppError('immediate')

    f = asyncio.create_task(fails_at_once())
    await asyncio.sleep(0)
    log(f'failed task done={f.done()} exception={f.exception()}')
    try:
        f.result()
    except AppError as e:
        log(f'result() raises {e}')


asyncio.run(main())
