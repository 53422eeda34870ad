# asyncio.Runner keeps one context across run() calls; run(coro, context=ctx) runs in ctx; the
# loop_factory option of run() and Runner (issue #16 §3).
import asyncio
import contextvars

log = print
cvar = contextvars.ContextVar('cvar', default=-1)


async def f(val):
    old = cvar.get()
    await asyncio.sleep(0)
    cvar.set(val)
    return old


async def get_context():
    return contextvars.copy_context()


with asyncio.Runner() as runner:
    log(f'first run saw {runner.run(f(1))}')
    log(f'second run saw {runner.run(f(2))}')
    log(f'context after two runs: {runner.run(get_context()).get(cvar)}')
    ctx = contextvars.Context()
    log(f'run in ctx saw {runner.run(f(10), context=ctx)}')
    log(f'ctx has {ctx.get(cvar)}')
    log(f'runner context still {runner.run(f(3))}')
log(f'outside: {cvar.get()}')

made = []


def factory():
    loop = asyncio.new_event_loop()
    made.append(loop)
    return loop


async def which_loop():
    return asyncio.get_running_loop() is made[0]


log(f'run with loop_factory uses it: {asyncio.run(which_loop(), loop_factory=factory)}')
log(f'factory called {len(made)} time(s); loop closed: {made[0].is_closed()}')
with asyncio.Runner(loop_factory=factory, debug=True) as runner:
    log(f'runner loop from factory: {runner.get_loop() is made[1]}, debug: {runner.get_loop().get_debug()}')
