"""asyncio twin of bench/asyncgen.bench.ts: 1,000,000 items through source -> map -> filter async generators."""
import asyncio, json, sys, time

FILTER = sys.argv[1] if len(sys.argv) > 1 else ""
N = 1_000_000
EXPECTED = 3 * (N // 2) * (N // 2 - 1)


async def source(n):
    for i in range(n):
        yield i


async def amap(src):
    async for x in src:
        yield x * 3


async def afilter(src):
    async for x in src:
        if x % 2 == 0:
            yield x


async def pipeline():
    total = 0
    async for x in afilter(amap(source(N))):
        total += x
    assert total == EXPECTED, total


def measure(group_id, make, repeat=3):
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


measure("asyncgen-pipeline-1M", pipeline)
