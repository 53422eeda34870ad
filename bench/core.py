"""asyncio twins of bench/core.bench.ts: prints JSON lines {"id", "name", "ms"} per workload."""
import asyncio
from _measure import measure


async def switcher(n):
    for _ in range(n):
        await asyncio.sleep(0)


def switches(tasks, n):
    async def main():
        ts = [asyncio.create_task(switcher(n)) for _ in range(tasks)]
        for t in ts:
            await t
    return main


async def once():
    await asyncio.sleep(0)


def spawn_join(n):
    async def main():
        ts = [asyncio.create_task(once()) for _ in range(n)]
        for t in ts:
            await t
    return main


def delays():
    x, out = 12345, []
    for _ in range(100_000):
        x = (x * 1103515245 + 12345) % 2147483648
        out.append(x / 2147483648 * 1000)
    return out


def timers():
    """The overhead past the last deadline, in ms, task creation included: every deadline counts
    from before the first task is made (the same metric as core.bench.ts)."""
    ds = delays()

    async def main():
        loop = asyncio.get_running_loop()
        last = loop.time() + max(ds) / 1000
        ts = [asyncio.create_task(asyncio.sleep(d / 1000)) for d in ds]
        for t in ts:
            await t
        return (loop.time() - last) * 1000
    return main


measure("switch-1000x1000", switches(1000, 1000))
measure("switch-100000x10", switches(100_000, 10))
measure("spawn-join-1M", spawn_join(1_000_000), repeat=1)
measure("timers-100k", timers(), repeat=1)
