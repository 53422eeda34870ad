"""asyncio twins of bench/combinators.bench.ts: prints JSON lines {"id", "name", "ms"} per workload."""
import asyncio
from _measure import measure

N = 100_000


async def once():
    await asyncio.sleep(0)


def gather_all(n):
    async def main():
        await asyncio.gather(*[once() for _ in range(n)])
    return main


def task_group(n):
    async def main():
        async with asyncio.TaskGroup() as tg:
            for _ in range(n):
                tg.create_task(once())
    return main


measure("gather-100k", gather_all(N), repeat=5)
measure("taskgroup-100k", task_group(N), repeat=5)
