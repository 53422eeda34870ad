# Callbacks run in the context current when they were scheduled, a copy (issue #16 §2); with
# context=ctx they run in ctx itself; done callbacks capture at add_done_callback time.
import asyncio
import contextvars

log = print
cvar = contextvars.ContextVar('cvar', default='default')


async def main():
    loop = asyncio.get_running_loop()

    def show(label):
        log(f'{label}: {cvar.get()}')

    def setter(label, value):
        log(f'{label} sees {cvar.get()}')
        cvar.set(value)

    cvar.set('at schedule')
    loop.call_soon(setter, 'call_soon', 'set by call_soon')
    cvar.set('after schedule')
    await asyncio.sleep(0)
    show('main after call_soon')

    ctx = contextvars.copy_context()
    loop.call_soon(setter, 'call_soon ctx', 'written into ctx', context=ctx)
    await asyncio.sleep(0)
    log(f'ctx has: {ctx.get(cvar)}')
    show('main after call_soon ctx')

    loop.call_later(0.01, setter, 'call_later', 'set by call_later')
    loop.call_at(loop.time() + 0.02, setter, 'call_at', 'set by call_at')
    ctx2 = contextvars.Context()
    loop.call_later(0.03, setter, 'call_later ctx2', 'into ctx2', context=ctx2)
    await asyncio.sleep(0.05)
    log(f'ctx2 has: {ctx2.get(cvar)}')
    show('main after timers')

    fut = loop.create_future()
    cvar.set('at add')
    fut.add_done_callback(lambda f: setter('done cb', 'set by done cb'))
    ctx3 = contextvars.copy_context()
    fut.add_done_callback(lambda f: setter('done cb ctx3', 'into ctx3'), context=ctx3)
    cvar.set('at set_result')
    fut.set_result(None)
    await asyncio.sleep(0)
    log(f'ctx3 has: {ctx3.get(cvar)}')
    show('main after done callbacks')

    def spawner():
        cvar.set('in spawner')

        async def child():
            show('task made in a callback')
        loop.create_task(child())
    loop.call_soon(spawner)
    await asyncio.sleep(0.01)

    h = loop.call_soon(show, 'handle')
    log(f'handle context sees: {h.get_context().get(cvar)}')
    await asyncio.sleep(0)
    return 'main done'


log(asyncio.run(main()))
log(f'outside after run: {cvar.get()}')
