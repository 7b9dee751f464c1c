#!/usr/bin/env python3
"""A slow link for mosh (UDP), the counterpart of bench/delay_proxy.py:
every datagram is delayed by DELAY ms each way.

    python3 bench/udp_delay_proxy.py LISTEN_PORT TARGET_PORT [DELAY_MS]

The client (mosh-client) sends to LISTEN_PORT; datagrams go on to
127.0.0.1:TARGET_PORT (mosh-server) and its answers back to the client's
last address.  Prints "ready PORT" and runs until killed.
"""
import asyncio
import sys


class Link(asyncio.DatagramProtocol):
    def __init__(self, loop, delay, send):
        self.loop, self.delay, self.send = loop, delay, send

    def datagram_received(self, data, addr):
        self.loop.call_later(self.delay, self.send, data, addr)


async def main():
    listen, target = int(sys.argv[1]), int(sys.argv[2])
    delay = (int(sys.argv[3]) if len(sys.argv) > 3 else 150) / 1000.0
    loop = asyncio.get_running_loop()
    client = {"addr": None}
    front = back = None

    def to_server(data, addr):
        client["addr"] = addr
        back.sendto(data)

    def to_client(data, _addr):
        if client["addr"]:
            front.sendto(data, client["addr"])

    front, _ = await loop.create_datagram_endpoint(
        lambda: Link(loop, delay, to_server), local_addr=("127.0.0.1", listen))
    back, _ = await loop.create_datagram_endpoint(
        lambda: Link(loop, delay, to_client), remote_addr=("127.0.0.1", target))
    print("ready", listen, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
