#!/usr/bin/env python3
"""Fake Kea Control Agents on loopback that answer by command: one port per target, HTTP/1.1 with
keep-alive, each command's body from a file (`status-get=FILE statistic-get-all=FILE …`; anything
else gets result 2, "not supported"). asyncio: the benchmarks measure keawatch's CPU, not this.

Usage: fake_kea_commands.py FIRST_PORT COUNT COMMAND=FILE…   (prints "ready", runs until killed;
FAKE_KEA_HOST sets the loopback address, default 127.0.0.1)
A FILE may contain {port}: it is replaced by the port (distinct answers per target)."""
import asyncio
import json
import os
import sys

first_port, count = int(sys.argv[1]), int(sys.argv[2])
HOST = os.environ.get("FAKE_KEA_HOST", "127.0.0.1")
bodies = {}
for argument in sys.argv[3:]:
    command, path = argument.split("=", 1)
    bodies[command] = open(path, "rb").read().strip()
unsupported = b'[{"result": 2, "text": "command not supported."}]'


async def serve(reader, writer, port):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = await reader.readexactly(length) if length else b""
            try:
                command = json.loads(body).get("command", "")
            except ValueError:
                command = ""
            answer = bodies.get(command, unsupported).replace(b"{port}", str(port).encode())
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(answer))
            writer.write(answer)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    servers = []
    for i in range(count):
        port = first_port + i
        servers.append(await asyncio.start_server(lambda r, w, p=port: serve(r, w, p), HOST, port, backlog=64))
    print("ready", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
