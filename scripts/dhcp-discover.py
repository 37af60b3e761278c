#!/usr/bin/env python3
"""Sends DHCPDISCOVERs from the lab's client namespace (run it with `ip netns exec <name>-lan`).

Each DISCOVER comes from a new client (unique chaddr) with a chosen `secs`, so that a server whose
partner is gone counts it as unacked once `secs` exceeds `max-ack-delay` (perfdhcp always sends
secs = 0, which never counts). Usage: dhcp-discover.py [--count N] [--secs S] [--interval I] [--interface br0]
"""
import argparse
import os
import random
import socket
import struct
import time


def discover(xid, mac, secs):
    header = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, secs, 0x8000, b"\0" * 4, b"\0" * 4,
                         b"\0" * 4, b"\0" * 4, mac + b"\0" * 10, b"\0" * 64, b"\0" * 128)
    options = b"\x63\x82\x53\x63" + b"\x35\x01\x01" + b"\x3d\x07\x01" + mac + b"\x37\x03\x01\x03\x06" + b"\xff"
    return header + options


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--secs", type=int, default=10)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--interface", default="br0")
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, args.interface.encode())
    sock.bind(("0.0.0.0", 68))
    seed = random.Random(os.getpid())
    for i in range(args.count):
        mac = bytes([0x02, 0x00, seed.randrange(256), seed.randrange(256), (i >> 8) & 255, i & 255])
        sock.sendto(discover(seed.randrange(1 << 32), mac, args.secs), ("255.255.255.255", 67))
        time.sleep(args.interval)


if __name__ == "__main__":
    main()
