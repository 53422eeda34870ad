# CPython's rule for the CancelledError message (Lib/asyncio/tasks.py __step / __wakeup): cancel(msg)
# on a task that awaits a future cancels that future with msg; a later cancel() only sets _must_cancel,
# and __step keeps the future's CancelledError. So the first message that reached the awaited future
# wins: sleeps, Event.wait(), Queue.get(), awaited tasks and gathers, self-cancellation, uncancel().
import asyncio

def msg(e):
    return repr(e.args[0]) if e.args else '<none>'

async def outcome(label, t):
    try:
        r = await t
        print(f'{label}: returned {r!r}')
    except asyncio.CancelledError as e:
        print(f'{label}: CancelledError {msg(e)} cancelled={t.cancelled()}')

async def sleeper():
    await asyncio.sleep(1)
    return 'slept'

async def waiter(aw):
    return await aw

async def main():
    loop = asyncio.get_running_loop()
    # 1 sleeping task cancelled twice
    t = asyncio.create_task(sleeper()); await asyncio.sleep(0)
    t.cancel('m26'); t.cancel('m31')
    await outcome('sleep m26,m31', t)
    t = asyncio.create_task(sleeper()); await asyncio.sleep(0)
    t.cancel('m32'); t.cancel()
    await outcome('sleep m32,none', t)
    t = asyncio.create_task(sleeper()); await asyncio.sleep(0)
    t.cancel(); t.cancel('m33')
    await outcome('sleep none,m33', t)
    # cancel then uncancel on a sleeping task
    t = asyncio.create_task(sleeper()); await asyncio.sleep(0)
    t.cancel('stop'); print('uncancel ->', t.uncancel())
    await outcome('sleep cancel+uncancel', t)
    # event
    ev = asyncio.Event()
    t = asyncio.create_task(waiter(ev.wait())); await asyncio.sleep(0)
    t.cancel('e1'); t.cancel('e2')
    await outcome('event e1,e2', t)
    q = asyncio.Queue()
    t = asyncio.create_task(waiter(q.get())); await asyncio.sleep(0)
    t.cancel('q1'); t.cancel('q2')
    await outcome('queue q1,q2', t)
    # awaiting a task that ended with CancelledError('inner')
    inner = asyncio.create_task(sleeper())
    t = asyncio.create_task(waiter(inner)); await asyncio.sleep(0)
    inner.cancel('inner'); await asyncio.sleep(0)
    t.cancel('outer')
    await outcome('task inner->outer', t)
    # awaiting a gather that ended with CancelledError('inner')
    a = asyncio.create_task(sleeper())
    g = asyncio.gather(a)
    t = asyncio.create_task(waiter(g)); await asyncio.sleep(0)
    a.cancel('inner'); await asyncio.sleep(0); await asyncio.sleep(0)
    print('gather done', g.done())
    t.cancel('outer')
    await outcome('gather inner->outer', t)
    # task cancels itself then gets a second cancel
    async def selfcancel():
        asyncio.current_task().cancel('self')
        await asyncio.sleep(1)
    t = asyncio.create_task(selfcancel()); await asyncio.sleep(0)
    t.cancel('second')
    await outcome('self then second (sleep)', t)
    async def selfcancel_fut():
        asyncio.current_task().cancel('self')
        await loop.create_future()
    t = asyncio.create_task(selfcancel_fut()); await asyncio.sleep(0)
    t.cancel('second')
    await outcome('self then second (future)', t)
    async def selfcancel_uncancel():
        asyncio.current_task().cancel('self')
        await asyncio.sleep(0.002)
    t = asyncio.create_task(selfcancel_uncancel()); await asyncio.sleep(0)
    print('uncancel ->', t.uncancel())
    await outcome('self then uncancel (sleep)', t)
    async def to0():
        async with asyncio.timeout(0):
            await asyncio.sleep(1)
    t = asyncio.create_task(to0()); await asyncio.sleep(0)
    t.cancel('outside')
    await outcome('timeout(0) then cancel', t)
    # gather.cancel twice
    a = asyncio.create_task(sleeper()); b = asyncio.create_task(sleeper())
    g = asyncio.gather(a, b); await asyncio.sleep(0)
    g.cancel('a'); g.cancel('b')
    await outcome('gather.cancel a,b', g)
    # existing test gather_cancel_last_child_message
    a = asyncio.create_task(sleeper()); b = asyncio.create_task(sleeper())
    g = asyncio.gather(a, b); await asyncio.sleep(0.002)
    a.cancel('first'); g.cancel('second')
    await outcome('gather_cancel_last_child_message', g)

asyncio.run(main())
