# Misuse and CPython test-suite divergences (issue #10 §4-§5): what CPython 3.13 raises or accepts,
# printed as messages (class names only where api.md keeps them: RuntimeError, TypeError).
import asyncio


def first(msg):
    return str(msg).split(':')[0]


async def foo():
    yield 1
    await asyncio.sleep(0.01)
    try:
        yield 2
        yield 3
    except ZeroDivisionError:
        yield 1000
    await asyncio.sleep(0.01)
    yield 4


async def echo():
    v = yield 1
    v = yield v
    yield v * 100


async def two():
    yield 1
    yield 2


async def main():
    loop = asyncio.get_running_loop()

    # setResult on a closed loop's future with a callback; without one it succeeds.
    other = asyncio.new_event_loop()
    fut = other.create_future()
    fut.add_done_callback(lambda f: None)
    other.close()
    try:
        fut.set_result(1)
    except RuntimeError as e:
        print('closed loop:', type(e).__name__, e, 'done', fut.done())
    quiet = other.create_future()
    quiet.set_result(2)
    print('closed loop, no callbacks:', quiet.result())

    # set_exception with a non-exception.
    try:
        loop.create_future().set_exception('str')
    except TypeError as e:
        print('set_exception str:', type(e).__name__, first(e))

    # cancel(42): the message is kept.
    t = asyncio.ensure_future(asyncio.sleep(1))
    await asyncio.sleep(0)
    t.cancel(42)
    try:
        await t
    except asyncio.CancelledError as e:
        print('cancel(42):', str(e), t.cancelled())

    # A float maxsize.
    q = asyncio.Queue(1.3)
    q.put_nowait(1)
    f1 = q.full()
    q.put_nowait(2)
    print('Queue(1.3):', q.maxsize, f1, q.full())

    # ExceptionGroup with a non-exception member.
    try:
        ExceptionGroup('x', [ValueError('ok'), 1])
    except ValueError as e:
        print('ExceptionGroup:', first(e))

    # A pending future's iterator resumed outside a task.
    pending = loop.create_future()
    it = pending.__await__()
    it.send(None)
    try:
        it.send(None)
    except RuntimeError as e:
        print('iter:', type(e).__name__, e)
    pending.cancel()

    # TaskGroup.create_task after the group finished: refused and closed.
    ran = []

    async def job():
        ran.append('ran')

    async with asyncio.TaskGroup() as tg:
        pass
    coro = job()
    try:
        tg.create_task(coro)
    except RuntimeError as e:
        print('taskgroup finished:', type(e).__name__, str(e).endswith('is finished'), 'closed', coro.cr_frame is None, ran)

    # Async generators driven by hand.
    it = foo()
    print('anext_04:', await it.__anext__(), await it.__anext__(), end=' ')
    try:
        it.__anext__().throw(ZeroDivisionError)
    except StopIteration as ex:
        print(ex.args[0], await it.__anext__())
    it = echo()
    vals = []
    for sent in (None, 10, 12):
        try:
            it.__anext__().send(sent)
        except StopIteration as ex:
            vals.append(ex.args[0])
    print('anext_05:', vals)
    nxt = two().aclose()
    try:
        nxt.throw(GeneratorExit)
    except StopIteration:
        print('aclose throw GeneratorExit: closed')
    try:
        nxt.throw(GeneratorExit)
    except RuntimeError as e:
        print('again:', type(e).__name__, e)

    # Options that are not options.
    c = asyncio.sleep(0)
    try:
        asyncio.gather(c, return_exception=True)
    except TypeError as e:
        print('gather misspelt:', type(e).__name__)
    c.close()

    # create_task with a misspelt option: the near key is suggested; the coroutine is still usable.
    c = m()
    try:
        asyncio.create_task(c, names='worker')
    except TypeError as e:
        print('create_task misspelt:', type(e).__name__, 'near', str(e).split('Did you mean ')[1])
    print('create_task after:', await asyncio.create_task(c, name='worker'))


async def m():
    return 1


asyncio.run(main())
c = m()
try:
    asyncio.run(c, 'debug')
except TypeError as e:
    print('run(main, debug):', type(e).__name__)
c.close()
