# "exception was never retrieved": which failures are reported (fire-and-forget task, bare
# future, shield whose outer was cancelled) and which are not (awaited, exception() looked at,
# cancel() on a done future, test_tb_logger_not_called_after_cancel). Reports are collected by a
# custom handler and printed after run() returns: CPython reports at garbage collection
# (refcounting: at once), yieldio at collection or at loop.close() at the latest.
import asyncio
import gc

reports = []


def handler(loop, ctx):
    fut = ctx.get('future')
    name = fut.get_name() if isinstance(fut, asyncio.Task) else '-'
    reports.append(f"{ctx['message']}: {ctx['exception']} (task {name})")


class AppError(Exception):
    pass


async def boom(msg, delay=0.0):
    if delay:
        await asyncio.sleep(delay)
    raise AppError(msg)


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    asyncio.create_task(boom('forgotten'), name='forgotten')
    awaited = asyncio.create_task(boom('awaited'), name='awaited')
    try:
        await awaited
    except AppError as e:
        print(f'caught {e}')
    looked = asyncio.create_task(boom('looked at'), name='looked')
    await asyncio.sleep(0.01)
    print(f'exception() is {looked.exception()}')
    fut = loop.create_future()
    fut.set_exception(AppError('future then cancel'))
    print(f'cancel() on a failed future returns {fut.cancel()}')
    failed = asyncio.create_task(boom('task then cancel'), name='cancelled-after')
    await asyncio.sleep(0.01)
    print(f'cancel() on a failed task returns {failed.cancel()}')
    bare = loop.create_future()
    bare.set_exception(AppError('bare future'))
    inner = asyncio.create_task(boom('shielded', 0.05), name='shielded')
    outer = asyncio.shield(inner)
    outer.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        print('outer cancelled')
    await asyncio.sleep(0.1)
    del awaited, looked, fut, failed, bare, inner, outer
    gc.collect()
    print('main returns')


asyncio.run(main())
gc.collect()
for line in sorted(reports):
    print(line)
print(f'{len(reports)} reports')
