# Async generators (PEP 525): anext/asend/athrow/aclose, the end, re-entrancy, closing with awaits
# in finally, a value yielded while closing, and run() closing what is left open.
import asyncio


class Boom(Exception):
    pass


async def ticker(log, name):
    try:
        for i in range(1, 4):
            await asyncio.sleep(0.01)
            try:
                got = yield i
                log(f'{name} got {got}')
            except Boom as e:
                log(f'{name} caught {e}')
                yield -i
    finally:
        log(f'{name} finally start')
        await asyncio.sleep(0.01)
        log(f'{name} finally end')


async def stubborn(log):
    try:
        yield 1
    finally:
        yield 2


def name_of(e):
    return type(e).__name__


async def main():
    log = print
    g = ticker(log, 'g')
    log(f'anext -> {await g.__anext__()}')
    log(f'asend -> {await g.asend("hello")}')
    log(f'athrow -> {await g.athrow(Boom("bad"))}')
    task = asyncio.ensure_future(g.__anext__())
    await asyncio.sleep(0)
    for op in ('anext', 'athrow', 'aclose'):
        try:
            if op == 'anext':
                await g.__anext__()
            elif op == 'athrow':
                await g.athrow(Boom('x'))
            else:
                await g.aclose()
        except RuntimeError as e:
            log(f'{op} while running: {name_of(e)}')
    log(f'task -> {await task}')
    await g.aclose()
    for op in ('anext', 'athrow', 'aclose'):
        try:
            if op == 'anext':
                r = await g.__anext__()
            elif op == 'athrow':
                r = await g.athrow(Boom('late'))
            else:
                r = await g.aclose()
            log(f'{op} after close -> {r}')
        except StopAsyncIteration as e:
            log(f'{op} after close: {name_of(e)}')
    h = ticker(log, 'h')
    try:
        await h.asend(5)
    except TypeError as e:
        log(f'asend(5) to a fresh generator: {name_of(e)}')
    await h.aclose()
    log('h closed without running')
    s = stubborn(log)
    await s.__anext__()
    try:
        await s.aclose()
    except RuntimeError as e:
        log(f'stubborn aclose: {name_of(e)}')
    left = ticker(log, 'left')
    log(f'left -> {await left.__anext__()}')
    log('main done')


asyncio.run(main())
print('after run')
