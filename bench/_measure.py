"""Shared by the asyncio twins in bench/: time a workload under asyncio.run, print one JSON line.

bench/run.ts runs every bench/*.py (not the _-prefixed ones) with an optional group-id filter as
argv[1] and reads lines {"id": group id, "name": implementation, "cold": first run, "ms": [warm
repetitions]}. BENCH_REPEAT (set by `npm run bench -- --quick`) overrides the repetitions.
"""
import asyncio, json, os, sys, time

FILTER = sys.argv[1] if len(sys.argv) > 1 else ""
NAME = "asyncio (CPython %d.%d)" % sys.version_info[:2]


def measure(group_id, make, repeat=3):
    """Runs asyncio.run(make()) once cold (the first run in this process), then `repeat` warm
    times. If the coroutine returns a number, that is the measurement in ms (the group's metric),
    not the wall time."""
    if FILTER and FILTER not in group_id:
        return
    repeat = int(os.environ.get("BENCH_REPEAT", repeat))
    times = []
    for i in range(repeat + 1):
        start = time.perf_counter()
        reported = asyncio.run(make())
        ms = reported if isinstance(reported, (int, float)) else (time.perf_counter() - start) * 1000
        times.append(ms)
    print(json.dumps({"id": group_id, "name": NAME, "cold": times[0], "ms": times[1:]}), flush=True)
