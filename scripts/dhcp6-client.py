#!/usr/bin/env python3
"""DHCPv6 test clients for the lab's client namespace (run it with `ip netns exec <name>-lan`).

Each client is new (its own DUID-LL from a chosen MAC). It sends SOLICIT with an IA_NA (and with
`--pd` an IA_PD) to All_DHCP_Relay_Agents_and_Servers (ff02::1:2) on the link, takes the ADVERTISE
of whichever server answers (in load-balancing the HA hook lets only the server whose scope the
client hashes into answer), sends REQUEST for what was advertised and waits for the REPLY, so every
client holds a real lease (both partners record it through HA lease updates). `--decline` then
sends DECLINE for the address, as a client does that found it in use (duplicate address detection
failed). Only the standard library: no DHCPv6 client package is needed offline. It prints one JSON
line: what was sent and answered, and the addresses and prefixes leased.

Usage: dhcp6-client.py [--count N] [--interval I] [--interface br0] [--pd] [--decline] [--seed N]
"""
import argparse
import ipaddress
import json
import os
import random
import select
import socket
import struct
import time

SOLICIT, ADVERTISE, REQUEST, REPLY, DECLINE = 1, 2, 3, 7, 9
CLIENTID, SERVERID, IA_NA, IAADDR, ORO, ELAPSED, STATUS, IA_PD, IAPREFIX = 1, 2, 3, 5, 6, 8, 13, 25, 26
SERVERS = "ff02::1:2"


def option(code, data):
    return struct.pack("!HH", code, len(data)) + data


def options(data):
    """(code, data) of each option in data."""
    found, i = [], 0
    while i + 4 <= len(data):
        code, length = struct.unpack("!HH", data[i:i + 4])
        found.append((code, data[i + 4:i + 4 + length]))
        i += 4 + length
    return found


def message(kind, xid, body):
    return bytes([kind]) + xid.to_bytes(3, "big") + body


def parse(data):
    """(kind, xid, server id, IA_NA option data or None, IA_PD option data or None, status) of a reply."""
    if len(data) < 4:
        return None
    kind, xid = data[0], int.from_bytes(data[1:4], "big")
    server, na, pd, status = None, None, None, 0
    for code, value in options(data[4:]):
        if code == SERVERID:
            server = value
        elif code == IA_NA:
            na = value
        elif code == IA_PD:
            pd = value
        elif code == STATUS and len(value) >= 2:
            status = struct.unpack("!H", value[:2])[0]
    return kind, xid, server, na, pd, status


def leased_address(na):
    """The address in an IA_NA's IAADDR, unless the IA carries a failure status."""
    if na is None or len(na) < 12:
        return None
    address = None
    for code, value in options(na[12:]):
        if code == STATUS and len(value) >= 2 and struct.unpack("!H", value[:2])[0] != 0:
            return None
        if code == IAADDR and len(value) >= 24:
            address = value[:16]
    return address


def leased_prefix(pd):
    if pd is None or len(pd) < 12:
        return None
    for code, value in options(pd[12:]):
        if code == STATUS and len(value) >= 2 and struct.unpack("!H", value[:2])[0] != 0:
            return None
        if code == IAPREFIX and len(value) >= 25:
            return value[8], value[9:25]
    return None


def wait_for(sock, xid, kind, timeout):
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([sock], [], [], left)
        if not ready:
            return None
        reply = parse(sock.recv(4096))
        if reply and reply[1] == xid and reply[0] == kind:
            return reply


def wait_for_link_local(interface, timeout=10.0):
    """DHCPv6 clients send from their link-local address: wait until DAD has finished with it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open("/proc/net/if_inet6") as table:
            for line in table:
                fields = line.split()
                # scope 20 is link-local; flag 0x40 is tentative.
                if fields[5] == interface and fields[3] == "20" and not int(fields[4], 16) & 0x40:
                    return
        time.sleep(0.1)
    raise SystemExit(f"dhcp6-client: {interface} has no usable link-local address")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--interface", default="br0")
    parser.add_argument("--pd", action="store_true", help="also ask for a delegated prefix (IA_PD)")
    parser.add_argument("--decline", action="store_true", help="lease, then DECLINE the address")
    parser.add_argument("--seed", type=int, default=None, help="client identities (default: the pid)")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for each reply")
    args = parser.parse_args()
    wait_for_link_local(args.interface)
    index = socket.if_nametoindex(args.interface)
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, args.interface.encode())
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
    sock.bind(("::", 546))
    seed = random.Random(os.getpid() if args.seed is None else args.seed)
    summary = {"sent": 0, "advertised": 0, "replied": 0, "declined": 0, "addresses": [], "prefixes": []}
    for i in range(args.count):
        mac = bytes([0x02, 0x06, seed.randrange(256), seed.randrange(256), (i >> 8) & 255, i & 255])
        client = option(CLIENTID, struct.pack("!HH", 3, 1) + mac)
        iaid = struct.pack("!I", i + 1)
        common = client + option(ELAPSED, b"\0\0") + option(ORO, struct.pack("!H", 23))
        solicit = common + option(IA_NA, iaid + b"\0" * 8)
        if args.pd:
            solicit += option(IA_PD, iaid + b"\0" * 8)
        xid = seed.randrange(1 << 24)
        sock.sendto(message(SOLICIT, xid, solicit), (SERVERS, 547, 0, index))
        summary["sent"] += 1
        advertise = wait_for(sock, xid, ADVERTISE, args.timeout)
        if advertise and advertise[2] and leased_address(advertise[3]):
            summary["advertised"] += 1
            _, _, server, na, pd, _ = advertise
            request = common + option(SERVERID, server) + option(IA_NA, na)
            if args.pd and leased_prefix(pd):
                request += option(IA_PD, pd)
            xid = seed.randrange(1 << 24)
            sock.sendto(message(REQUEST, xid, request), (SERVERS, 547, 0, index))
            reply = wait_for(sock, xid, REPLY, args.timeout)
            address = reply and leased_address(reply[3])
            if address:
                summary["replied"] += 1
                summary["addresses"].append(str(ipaddress.IPv6Address(address)))
                prefix = leased_prefix(reply[4]) if args.pd else None
                if prefix:
                    summary["prefixes"].append(f"{ipaddress.IPv6Address(prefix[1])}/{prefix[0]}")
                if args.decline:
                    xid = seed.randrange(1 << 24)
                    decline = common + option(SERVERID, server) + option(IA_NA, reply[3])
                    sock.sendto(message(DECLINE, xid, decline), (SERVERS, 547, 0, index))
                    if wait_for(sock, xid, REPLY, args.timeout):
                        summary["declined"] += 1
        time.sleep(args.interval)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
