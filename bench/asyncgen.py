"""asyncio twin of bench/asyncgen.bench.ts: 1,000,000 items through source -> map -> filter async generators."""
import asyncio
from _measure import measure

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


measure("asyncgen-pipeline-1M", pipeline)
