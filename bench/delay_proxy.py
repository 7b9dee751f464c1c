#!/usr/bin/env python3
"""A slow link between an SSH client and sshd, for tests/e2e/ssh.sh and
bench/ssh_latency.py: a TCP proxy that delays every chunk by DELAY ms each
way and lets at most RATE kbit/s through each way (a 3G line as the issue
measured it: 150 ms each way, 384 kbit/s).

    python3 bench/delay_proxy.py LISTEN_PORT TARGET_PORT [DELAY_MS] [KBIT]

It prints "ready PORT" once listening and runs until killed.  Order is kept:
a chunk leaves no earlier than its arrival plus the delay, and no earlier
than the previous chunk has gone out at the line's rate.
"""
import asyncio
import sys
import time


async def pump(reader, writer, delay, rate):
    queue = asyncio.Queue()
    line_free = 0.0  # when the line has sent everything queued so far

    async def sender():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        writer.close()

    task = asyncio.ensure_future(sender())
    try:
        while True:
            data = await reader.read(4096)
            if not data:
                break
            now = time.monotonic()
            line_free = max(line_free, now) + len(data) * 8 / rate
            queue.put_nowait((max(now + delay, line_free + delay), data))
    except ConnectionError:
        pass
    queue.put_nowait((0, None))
    await task


async def main():
    listen, target = int(sys.argv[1]), int(sys.argv[2])
    delay = (float(sys.argv[3]) if len(sys.argv) > 3 else 150.0) / 1000
    rate = (float(sys.argv[4]) if len(sys.argv) > 4 else 384.0) * 1000

    async def client(creader, cwriter):
        try:
            sreader, swriter = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            cwriter.close()
            return
        await asyncio.gather(pump(creader, swriter, delay, rate),
                             pump(sreader, cwriter, delay, rate),
                             return_exceptions=True)

    server = await asyncio.start_server(client, "127.0.0.1", listen)
    print("ready", listen, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
