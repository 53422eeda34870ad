# Twin of node_errors.ts: Node system errors under their Python names (yieldio/node errors.ts).
# clock: real
# (real sockets and children: the virtual clock would jump past their I/O)
import asyncio, os, socket, struct, tempfile


def describe(e):
    return f'{type(e).__name__} errno={e.errno} OSError={isinstance(e, OSError)} ConnectionError={isinstance(e, ConnectionError)}'


async def main():
    # connection refused: a port nobody listens on
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    try:
        await asyncio.open_connection('127.0.0.1', port)
    except OSError as e:
        print('refused:', describe(e))
    # a missing Unix socket
    try:
        await asyncio.open_unix_connection(os.path.join(tempfile.gettempdir(), 'yieldio-missing-%d.sock' % os.getpid()))
    except OSError as e:
        print('unix missing:', describe(e))
    # spawn: a missing program, a file that is not executable
    try:
        await asyncio.create_subprocess_exec('/nonexistent/yieldio-program')
    except OSError as e:
        print('spawn missing:', describe(e))
    try:
        await asyncio.create_subprocess_exec('/etc/passwd')
    except OSError as e:
        print('spawn not executable:', describe(e))

    # the peer resets the connection while we read
    async def reset(reader, writer):
        await reader.readexactly(1)  # connected for sure: the RST cannot fail the connect
        sock = writer.get_extra_info('socket')
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        writer.transport.abort()

    server = await asyncio.start_server(reset, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'x')
    try:
        await reader.read()
    except OSError as e:
        print('read after reset:', describe(e))
    try:
        await writer.wait_closed()
    except OSError as e:
        print('wait_closed after reset:', describe(e))
    try:
        await writer.drain()
    except OSError as e:
        print('drain after reset:', describe(e))
    server.close()
    await server.wait_closed()
    print('TimeoutError is an OSError:', issubclass(TimeoutError, OSError))


asyncio.run(main())
