"""asyncio twin of bench/locks-queues.bench.ts: producer/consumer through Queue(100) with 1, 10 and
100 producers and consumers (1,000,000 items), and a Lock handed off among 1,000 contending tasks."""
import asyncio
from _measure import measure

ITEMS = 1_000_000
MAXSIZE = 100
EXPECTED = ITEMS * (ITEMS - 1) // 2

LOCK_TASKS = 1000
LOCK_ROUNDS = 500


def producer_consumer(workers):
    async def main():
        queue = asyncio.Queue(MAXSIZE)
        per_producer = ITEMS // workers
        total = 0

        async def producer(base):
            for i in range(base, base + per_producer):
                await queue.put(i)

        async def consumer():
            nonlocal total
            while True:
                item = await queue.get()
                if item < 0:
                    return
                total += item

        consumers = [asyncio.create_task(consumer()) for _ in range(workers)]
        producers = [asyncio.create_task(producer(p * per_producer)) for p in range(workers)]
        for p in producers:
            await p
        for _ in range(workers):
            await queue.put(-1)
        for c in consumers:
            await c
        assert total == EXPECTED, total

    return main


async def lock_handoff():
    lock = asyncio.Lock()
    count = 0

    async def worker():
        nonlocal count
        for _ in range(LOCK_ROUNDS):
            async with lock:
                count += 1
                await asyncio.sleep(0)

    tasks = [asyncio.create_task(worker()) for _ in range(LOCK_TASKS)]
    for t in tasks:
        await t
    assert count == LOCK_TASKS * LOCK_ROUNDS, count


for w in (1, 10, 100):
    measure(f"queue-pc-{w}x{w}", producer_consumer(w))
measure("lock-handoff-1000", lock_handoff)
