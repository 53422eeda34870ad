# Cancel messages: the first retrieval gets the coroutine's own CancelledError (with the message),
# later ones a fresh error without it; messages through a chain of awaited tasks; plain futures.
import asyncio


def msg(e):
    return repr(e.args[0]) if e.args else '<none>'


async def sleeper():
    await asyncio.sleep(1)


async def awaiter(inner):
    return await inner


async def catcher(log):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        log(f'catcher got {msg(e)}')
        raise


async def retrieve(log, label, t):
    try:
        await t
    except asyncio.CancelledError as e:
        log(f'{label}: await -> {msg(e)}')
    try:
        t.result()
    except asyncio.CancelledError as e:
        log(f'{label}: result() -> {msg(e)}')
    try:
        t.exception()
    except asyncio.CancelledError as e:
        log(f'{label}: exception() -> {msg(e)}')


async def main():
    log = print
    t = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    t.cancel('stop')
    await retrieve(log, 'direct', t)

    inner = asyncio.create_task(sleeper())
    outer = asyncio.create_task(awaiter(inner))
    await asyncio.sleep(0)
    inner.cancel('inner msg')
    await retrieve(log, 'outer (inner cancelled)', outer)
    await retrieve(log, 'inner (after outer took it)', inner)

    inner = asyncio.create_task(sleeper())
    outer = asyncio.create_task(awaiter(inner))
    await asyncio.sleep(0)
    outer.cancel('outer msg')
    await retrieve(log, 'outer (outer cancelled)', outer)
    log(f'inner cancelled={inner.cancelled()}')
    await retrieve(log, 'inner (cancelled through outer)', inner)

    c = asyncio.create_task(catcher(log))
    await asyncio.sleep(0)
    c.cancel('hello')
    await retrieve(log, 'catcher', c)

    early = asyncio.create_task(catcher(log))
    early.cancel('early')
    await retrieve(log, 'early', early)

    nomsg = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    nomsg.cancel()
    await retrieve(log, 'no message', nomsg)

    f = asyncio.get_running_loop().create_future()
    f.cancel('future msg')
    await retrieve(log, 'future', f)


asyncio.run(main())
