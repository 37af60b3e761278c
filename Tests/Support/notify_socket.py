#!/usr/bin/env python3
"""A stand-in for systemd's notify socket: binds a UNIX datagram socket at PATH, prints "ready",
then prints every datagram it receives (newlines as "|"), one per line, until killed.

Usage: notify_socket.py PATH"""
import os
import socket
import sys

path = sys.argv[1]
if os.path.exists(path):
    os.unlink(path)
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
print("ready", flush=True)
while True:
    data = sock.recv(4096)
    print(data.decode("utf-8", "replace").replace("\n", "|"), flush=True)
