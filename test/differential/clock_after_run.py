# The clock after run_until_complete stays where the future finished (issue #16 §1): a call_later
# made between two run_until_complete calls lands before a longer timer scheduled in the first;
# run_forever stopped by its first callback still runs the rest of that pass. Only the order is
# compared (a loaded machine delays Python's real clock); src/base-events.stop.test.ts checks times.
import asyncio

log = print
loop = asyncio.new_event_loop()


async def first():
    loop.call_later(0.4, lambda: log('sleeper'))
    return 'first done'


log(loop.run_until_complete(first()))
loop.call_later(0.2, lambda: log('short'))
loop.run_until_complete(asyncio.sleep(0.6))
log('after sleep')
loop.call_soon(loop.stop)
for i in range(3):
    loop.call_soon(log, f'same pass {i}')
loop.run_forever()
log('stopped')
loop.close()
