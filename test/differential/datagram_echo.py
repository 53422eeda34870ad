# Twin of datagram_echo.ts: UDP endpoints (loop.create_datagram_endpoint) and their protocol callbacks.
# clock: real
# (real sockets and children: the virtual clock would jump past their I/O)
import asyncio
import socket


class UpperEcho(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport
        print('server: connection_made')

    def datagram_received(self, data, addr):
        print('server: got', data.decode(), 'from', addr[0])
        self.transport.sendto(data.upper(), addr)

    def connection_lost(self, exc):
        print('server: connection_lost', exc)


class Client(asyncio.DatagramProtocol):
    def __init__(self):
        self.waiter = None

    def connection_made(self, transport):
        print('client: connection_made')

    def datagram_received(self, data, addr):
        print('client: got', data.decode(), 'from', addr[0])
        self.waiter.set_result(None)

    def error_received(self, exc):
        print('client: error_received', type(exc).__name__)
        self.waiter.set_result(None)

    def connection_lost(self, exc):
        print('client: connection_lost', exc)

    async def next(self):
        self.waiter = asyncio.get_running_loop().create_future()
        await self.waiter


async def main():
    loop = asyncio.get_running_loop()
    server, _ = await loop.create_datagram_endpoint(UpperEcho, local_addr=('127.0.0.1', 0))
    host, port = server.get_extra_info('sockname')
    client, proto = await loop.create_datagram_endpoint(Client, remote_addr=(host, port))
    await asyncio.sleep(0)
    client.sendto(b'ping')
    await proto.next()
    try:
        client.sendto(b'x', ('127.0.0.1', 1))
    except ValueError as e:
        print('sendto elsewhere:', str(e).split(':')[0])
    client.close()
    server.close()
    await asyncio.sleep(0.05)

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('127.0.0.1', 0))
    free = s.getsockname()[1]
    s.close()
    refused, proto = await loop.create_datagram_endpoint(Client, remote_addr=('127.0.0.1', free))
    refused.sendto(b'anyone?')
    await proto.next()
    refused.close()
    await asyncio.sleep(0.05)
    try:
        await loop.create_datagram_endpoint(Client, local_addr=('127.0.0.1', 0), reuse_address=True)
    except TypeError as e:
        print('reuse_address:', type(e).__name__)


asyncio.run(main())
