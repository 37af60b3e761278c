#!/usr/bin/env python3
"""DHCPv4 test clients for the lab's client namespace (run it with `ip netns exec <name>-lan`).

Each client is new (unique chaddr). Without options it only sends DHCPDISCOVERs with a chosen `secs`,
so that a server whose partner is gone counts it as unacked once `secs` exceeds `max-ack-delay`
(perfdhcp always sends secs = 0, which never counts). `--lease` completes DISCOVER → OFFER → REQUEST
→ ACK, so every client holds a real lease (both partners record it through HA lease updates);
`--decline` then sends a DHCPDECLINE for the acknowledged address, as a client does that found it in
use. It prints one JSON line: what was sent and acknowledged, and the addresses.

Usage: dhcp-discover.py [--count N] [--secs S] [--interval I] [--interface br0] [--lease|--decline]
                        [--seed N]
"""
import argparse
import json
import os
import random
import select
import socket
import struct
import time

DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK = 1, 2, 3, 4, 5, 6


def packet(kind, xid, mac, secs, options=b""):
    header = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, secs, 0x8000, b"\0" * 4, b"\0" * 4,
                         b"\0" * 4, b"\0" * 4, mac + b"\0" * 10, b"\0" * 64, b"\0" * 128)
    body = b"\x63\x82\x53\x63" + bytes([53, 1, kind]) + b"\x3d\x07\x01" + mac + options
    if kind in (DISCOVER, REQUEST):
        body += b"\x37\x03\x01\x03\x06"
    return header + body + b"\xff"


def parse(data):
    """(xid, message type, yiaddr, server id) of a reply, or None."""
    if len(data) < 240 or data[0] != 2 or data[236:240] != b"\x63\x82\x53\x63":
        return None
    xid = struct.unpack("!I", data[4:8])[0]
    yiaddr = socket.inet_ntoa(data[16:20])
    kind, server = None, None
    i = 240
    while i < len(data) and data[i] != 255:
        if data[i] == 0:
            i += 1
            continue
        code, length = data[i], data[i + 1]
        value = data[i + 2:i + 2 + length]
        if code == 53 and length == 1:
            kind = value[0]
        elif code == 54 and length == 4:
            server = value
        i += 2 + length
    return xid, kind, yiaddr, server


def wait_for(sock, xid, kinds, timeout):
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([sock], [], [], left)
        if not ready:
            return None
        reply = parse(sock.recv(4096))
        if reply and reply[0] == xid and reply[1] in kinds:
            return reply


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--secs", type=int, default=10)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--interface", default="br0")
    parser.add_argument("--lease", action="store_true", help="complete DORA: every client gets a lease")
    parser.add_argument("--decline", action="store_true", help="lease, then DHCPDECLINE the address")
    parser.add_argument("--seed", type=int, default=None, help="client identities (default: the pid)")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for each reply")
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, args.interface.encode())
    sock.bind(("0.0.0.0", 68))
    seed = random.Random(os.getpid() if args.seed is None else args.seed)
    full = args.lease or args.decline
    summary = {"sent": 0, "offered": 0, "acknowledged": 0, "declined": 0, "addresses": []}
    for i in range(args.count):
        mac = bytes([0x02, 0x00, seed.randrange(256), seed.randrange(256), (i >> 8) & 255, i & 255])
        xid = seed.randrange(1 << 32)
        secs = args.secs if not full else 0
        sock.sendto(packet(DISCOVER, xid, mac, secs), ("255.255.255.255", 67))
        summary["sent"] += 1
        if full:
            offer = wait_for(sock, xid, {OFFER}, args.timeout)
            if offer:
                summary["offered"] += 1
                _, _, address, server = offer
                requested = b"\x32\x04" + socket.inet_aton(address) + b"\x36\x04" + server
                sock.sendto(packet(REQUEST, xid, mac, 0, requested), ("255.255.255.255", 67))
                ack = wait_for(sock, xid, {ACK, NAK}, args.timeout)
                if ack and ack[1] == ACK:
                    summary["acknowledged"] += 1
                    summary["addresses"].append(address)
                    if args.decline:
                        sock.sendto(packet(DECLINE, xid, mac, 0, requested), ("255.255.255.255", 67))
                        summary["declined"] += 1
        time.sleep(args.interval)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
