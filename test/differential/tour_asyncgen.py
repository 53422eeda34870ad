# The tour's §15 chapters (examples/tour/15-*.ts), as CPython 3.13 runs them: pulling stops the
# producer (network calls counted), asend/athrow/aclose on a running average, StopAsyncIteration
# raised inside the body, and a forgotten generator closed by asyncio.run after main returns.
import asyncio

log = print


class Bad(Exception):
    pass


async def main():
    calls = 0
    ingredients = [85, 92, 78, 95, 88]

    async def check(offset):
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.001)
        return ingredients[offset] if offset < len(ingredients) else None

    async def quality_check():
        offset = 0
        while True:
            q = await check(offset)
            if q is None:
                return
            yield q
            offset += 1

    async for q in quality_check():
        if q > 90:
            break
    log(f'first above 90: {q} after {calls} calls')

    async def running_average():
        total = 0
        count = 0
        average = None
        try:
            while True:
                try:
                    value = yield average
                    await asyncio.sleep(0.001)
                    total += value or 0
                    count += 1
                    average = total / count
                except Bad as e:
                    log(f'caught {e} at the yield')
        finally:
            log('finally runs')

    avg = running_average()
    log(f'anext -> {await avg.__anext__()}')
    log(f'asend(10) -> {await avg.asend(10)}')
    log(f'asend(20) -> {await avg.asend(20)}')
    log(f'athrow -> {await avg.athrow(Bad("not a number"))}')
    log(f'asend(30) -> {await avg.asend(30)}')
    await avg.aclose()

    async def stray():
        yield 1
        raise StopAsyncIteration()

    s = stray()
    await s.__anext__()
    try:
        await s.__anext__()
    except RuntimeError as e:
        log(f'RuntimeError: {str(e)}')

    async def connection():
        try:
            yield 'row 1'
            yield 'row 2'
        finally:
            log('connection finally')

    global forgotten
    forgotten = connection()  # kept alive: only the loop's shutdown can close it
    log(f'main takes {await forgotten.__anext__()}')
    log('main returns')


asyncio.run(main())
log('after run')
