# Done-callback order around gather and TaskGroup: each done callback of a child is its own
# call_soon when the child finishes, in registration order, interleaved with the others
# (user callbacks before and after gather's, a child in two gathers and in a TaskGroup, a
# cancelled child, an eager child, a callback added after completion).
import asyncio

log = print


async def child(name, n):
    for _ in range(n):
        await asyncio.sleep(0)
    return name


def cb(label):
    def callback(fut):
        log(f'{label} (child {"cancelled" if fut.cancelled() else fut.result()})')
        asyncio.get_running_loop().call_soon(log, f'soon from {label}')
    return callback


async def main():
    loop = asyncio.get_running_loop()
    c = asyncio.create_task(child('c', 2))
    d = asyncio.create_task(child('d', 1))
    c.add_done_callback(cb('cb1'))
    g1 = asyncio.gather(c, d)
    c.add_done_callback(cb('cb2'))
    g2 = asyncio.gather(c)
    c.add_done_callback(cb('cb3'))
    g1.add_done_callback(lambda f: log(f'g1 done {f.result()}'))
    g2.add_done_callback(lambda f: log(f'g2 done {f.result()}'))
    await g1
    log('after g1')
    await asyncio.sleep(0)
    log(f'remove after completion {c.remove_done_callback(cb)}')
    c.add_done_callback(cb('cb4 added late'))
    log('added late')
    await asyncio.sleep(0)

    # A child in a TaskGroup and in a gather, with a callback after both; a cancelled sibling.
    async with asyncio.TaskGroup() as tg:
        e = tg.create_task(child('e', 1))
        f = tg.create_task(child('f', 3))
        e.add_done_callback(cb('e-cb'))
        g3 = asyncio.gather(e, f, return_exceptions=True)
        g3.add_done_callback(lambda fut: log(f'g3 done {[type(r).__name__ if isinstance(r, BaseException) else r for r in fut.result()]}'))
        f.add_done_callback(cb('f-cb'))
        await asyncio.sleep(0)
        f.cancel()
        log('f cancelled')
    log('group done')
    await asyncio.sleep(0)

    # An eager child: done at creation, so each callback is its own call_soon at registration.
    loop.set_task_factory(asyncio.eager_task_factory)
    async with asyncio.TaskGroup() as tg:
        h = tg.create_task(child('h', 0))
        log(f'eager done {h.done()}')
        h.add_done_callback(cb('h-cb'))
        g4 = asyncio.gather(h, tg.create_task(child('i', 1)))
        g4.add_done_callback(lambda fut: log(f'g4 done {fut.result()}'))
        log('eager created')
    log('eager group done')
    await asyncio.sleep(0)


asyncio.run(main())
