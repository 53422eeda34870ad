"""asyncio twins of bench/combinators.bench.ts: prints JSON lines {"id", "name", "ms"} per workload."""
import asyncio, json, sys, time

FILTER = sys.argv[1] if len(sys.argv) > 1 else ""
N = 100_000


def measure(group_id, make, repeat=5):
    if FILTER and FILTER not in group_id:
        return
    times = []
    for i in range(repeat + 1):
        start = time.perf_counter()
        asyncio.run(make())
        ms = (time.perf_counter() - start) * 1000
        if i > 0:
            times.append(ms)
    print(json.dumps({"id": group_id, "name": "asyncio (CPython %d.%d)" % sys.version_info[:2], "ms": times}), flush=True)


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


measure("gather-100k", gather_all(N))
measure("taskgroup-100k", task_group(N))
