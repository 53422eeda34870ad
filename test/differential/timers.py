# Timers and loop.time() in ms (real clock here, virtual there: times are rounded to 200 ms):
# call_later/call_at by deadline, a cancelled timer never fires, sleep with a result value.
import asyncio


async def main():
    log = print
    loop = asyncio.get_running_loop()
    t0 = loop.time()

    def at():
        return round((loop.time() - t0) * 1000 / 200) * 200

    loop.call_later(0.4, lambda: log(f'timer 400 fired at {at()}'))
    loop.call_at(t0 + 0.2, lambda: log(f'call_at 200 fired at {at()}'))
    h = loop.call_later(0.05, lambda: log('cancelled timer (must not fire)'))
    log(f'handle cancelled before: {h.cancelled()}')
    h.cancel()
    log(f'handle cancelled after: {h.cancelled()}')
    v = await asyncio.sleep(0.2, 'value')
    log(f'slept 200 -> {v} at {at()}')
    await asyncio.sleep(0.4)
    log(f'slept 400 more at {at()}')


asyncio.run(main())
