# Twin of tg-timeout-gather.ts: TaskGroup failure and cancellation, nested timeouts, gather.
import asyncio


async def child(log, name, ms, fail=False):
    try:
        await asyncio.sleep(ms / 1000)
        if fail:
            raise RuntimeError(f"{name} failed")
        log(f"{name} done")
        return name
    except asyncio.CancelledError:
        log(f"{name} cancelled")
        raise
    finally:
        log(f"{name} finally")


async def main():
    log = print
    # 1. The first failure cancels the siblings and the body; every error comes out as one group.
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child(log, "a", 200))
            tg.create_task(child(log, "b", 400, fail=True))
            tg.create_task(child(log, "c", 1000))
            await asyncio.sleep(2)
            log("body not reached")
    except ExceptionGroup as eg:
        log(f"group: {eg.message}: {[str(e) for e in eg.exceptions]}")

    # 2. Nested timeouts: only the inner one expires and only it raises TimeoutError.
    try:
        async with asyncio.timeout(1):
            try:
                async with asyncio.timeout(0.2):
                    await child(log, "inner", 1000)
            except TimeoutError:
                log(f"inner timeout, cancelling={asyncio.current_task().cancelling()}")
            await child(log, "after", 200)
    except TimeoutError:
        log("outer timeout (wrong)")
    log(f"outer ok, cancelling={asyncio.current_task().cancelling()}")

    # 3. gather: results in argument order; return_exceptions collects errors.
    r = await asyncio.gather(child(log, "g1", 400), child(log, "g2", 200))
    log(f"gather {r}")
    r = await asyncio.gather(child(log, "h1", 200, fail=True), child(log, "h2", 400), return_exceptions=True)
    log(f"gather return_exceptions {[str(x) for x in r]}")

    # 4. Cancelling a gather cancels its children; awaiting it raises CancelledError.
    g = asyncio.gather(child(log, "k1", 1000), child(log, "k2", 1000))
    await asyncio.sleep(0.2)
    g.cancel()
    try:
        await g
    except asyncio.CancelledError:
        log(f"gather cancelled={g.cancelled()}")

    # 5. wait_for on a slow coroutine: cancelled and awaited, then TimeoutError.
    try:
        await asyncio.wait_for(child(log, "slow", 1000), 0.2)
    except TimeoutError:
        log("wait_for timed out")


asyncio.run(main())
