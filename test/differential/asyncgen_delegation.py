# PEP 828 (`async yield from`, `return value` in async generators) is a draft: this side spells the
# delegation out by hand, as PEP 380's expansion of `yield from` (send, throw, close and the
# return value all pass through), and carries return values in a holder instead of `return value`.
# The .ts side writes `yield* inner()` and `return value`.
import asyncio


class Boom(Exception):
    pass


STOP = object()


async def accumulator(log, out):
    total = 0
    try:
        while True:
            try:
                value = yield total
            except Boom as e:
                log(f'accumulator caught {e}')
                value = 0
            if value is None:
                out.append(total)
                return
            await asyncio.sleep(0.01)
            total += value
    finally:
        log('accumulator finally')


async def outer(log):
    out = []
    inner = accumulator(log, out)
    # `async yield from inner`, expanded (PEP 380's expansion with the async methods):
    try:
        value = await inner.__anext__()
    except StopAsyncIteration:
        value = STOP
    while value is not STOP:
        try:
            sent = yield value
        except GeneratorExit:
            await inner.aclose()
            raise
        except BaseException as e:
            try:
                value = await inner.athrow(e)
            except StopAsyncIteration:
                value = STOP
        else:
            try:
                value = await inner.asend(sent)
            except StopAsyncIteration:
                value = STOP
    log(f'outer got {out[0]}')
    yield f'final {out[0]}'


async def closing_outer(log):
    try:
        inner = accumulator(log, [])
        # `async yield from inner`, expanded (PEP 380's expansion with the async methods):
        try:
            value = await inner.__anext__()
        except StopAsyncIteration:
            value = STOP
        while value is not STOP:
            try:
                sent = yield value
            except GeneratorExit:
                await inner.aclose()
                raise
            except BaseException as e:
                try:
                    value = await inner.athrow(e)
                except StopAsyncIteration:
                    value = STOP
            else:
                try:
                    value = await inner.asend(sent)
                except StopAsyncIteration:
                    value = STOP
    finally:
        log('outer finally')


async def main():
    log = print
    g = outer(log)
    log(f'start -> {await g.asend(None)}')
    log(f'asend 10 -> {await g.asend(10)}')
    log(f'asend 5 -> {await g.asend(5)}')
    log(f'athrow -> {await g.athrow(Boom("reset?"))}')
    log(f'anext -> {await g.__anext__()}')
    try:
        await g.__anext__()
    except StopAsyncIteration:
        log('outer exhausted')
    c = closing_outer(log)
    log(f'c start -> {await c.__anext__()}')
    log(f'c asend 7 -> {await c.asend(7)}')
    await c.aclose()
    log('c closed')


asyncio.run(main())
