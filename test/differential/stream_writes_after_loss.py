# Twin of stream_writes_after_loss.ts: writes after close() / abort(), drain() after the loss
# clock: real
# (real sockets and children: the virtual clock would jump past their I/O)
# (asyncio selector_events.py _SelectorSocketTransport.write / close / _force_close, streams.py drain).
import asyncio
import logging

warnings = []


class Count(logging.Handler):
    def emit(self, record):
        warnings.append(record.getMessage())


logging.getLogger('asyncio').addHandler(Count())
logging.getLogger('asyncio').propagate = False


async def main():
    received = []

    async def handler(reader, writer):
        data = await reader.read()
        received.append(len(data))
        received.append(data.endswith(b'tail'))
        writer.close()

    server = await asyncio.start_server(handler, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]

    # close() while 10 MB are still buffered: they are sent, and so is a write made after close()
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'x' * 10_000_000)
    print('buffered before close:', writer.transport.get_write_buffer_size() > 0)
    writer.close()
    writer.write(b'tail')
    print('closing:', writer.is_closing())
    await writer.drain()
    print('drain while flushing: ok')
    await writer.wait_closed()
    while len(received) < 2:
        await asyncio.sleep(0.01)
    print('peer received:', received[0], 'ends with tail:', received[1])
    try:
        await writer.drain()
    except ConnectionResetError as e:
        print('drain after the close:', type(e).__name__, e)

    # close() with nothing buffered: drain() at once reports the loss
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.close()
    try:
        await writer.drain()
        print('drain after close: ok')
    except ConnectionResetError as e:
        print('drain after close:', type(e).__name__, e)
    await writer.wait_closed()

    # abort(): writes are dropped; from the fifth on, each is logged
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.transport.abort()
    print('size after abort:', writer.transport.get_write_buffer_size())
    for i in range(7):
        writer.write(b'lost')
        print('write', i, 'warnings so far:', len(warnings))
    print('warning:', warnings[0])
    try:
        await writer.drain()
    except ConnectionResetError as e:
        print('drain after abort:', type(e).__name__, e)
    print('read after abort:', len(await reader.read()), 'bytes')
    server.close()
    await server.wait_closed()


asyncio.run(main())
