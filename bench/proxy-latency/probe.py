#!/usr/bin/env python3
"""
PXE DISCOVER -> proxy OFFER latency probe (stdlib only; run as root inside the client namespace).

For each target interface it opens a UDP socket on 0.0.0.0:68 pinned to that interface
(SO_BINDTODEVICE) and broadcasts BIOS PXE DHCPDISCOVERs (option 60 "PXEClient:Arch:00000:
UNDI:002001", 93 = 0, 94, 97, 57, 55) to 255.255.255.255:67, each with a new xid and MAC, and
waits for the OFFER with that xid. Targets are probed in turn, sample by sample, so noise hits
them alike. Latency is measured twice: "kernel" from just before sendto() to the kernel's
receive timestamp of the OFFER (SO_TIMESTAMPNS; leaves out the probe's own wake-up delay), and
"app" to the moment recvmsg() returned.

usage: probe.py --samples N --rate R --warmup W --out results.csv NAME=IFACE [NAME=IFACE ...]
"""
import argparse
import csv
import os
import select
import socket
import struct
import sys
import time

SO_BINDTODEVICE = getattr(socket, "SO_BINDTODEVICE", 25)
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
SCM_TIMESTAMPNS = SO_TIMESTAMPNS


def discover(xid: int, mac: bytes) -> bytes:
    header = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, 0x8000,
                         bytes(4), bytes(4), bytes(4), bytes(4), mac + bytes(10), bytes(64), bytes(128))
    vendor = b"PXEClient:Arch:00000:UNDI:002001"
    guid = bytes([0]) + bytes.fromhex("8a0c1c2e5ca14e009d00") + mac
    options = b"".join([
        b"\x63\x82\x53\x63",
        bytes([53, 1, 1]),
        bytes([57, 2, 0x05, 0xC0]),
        bytes([93, 2, 0, 0]),
        bytes([94, 3, 1, 2, 1]),
        bytes([60, len(vendor)]) + vendor,
        bytes([97, len(guid)]) + guid,
        bytes([55, 9, 1, 3, 6, 43, 60, 66, 67, 97, 128]),
        bytes([255]),
    ])
    packet = header + options
    return packet + bytes(max(0, 300 - len(packet)))


def open_socket(interface: str) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, interface.encode() + b"\0")
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind(("0.0.0.0", 68))
    return s


def probe(s: socket.socket, xid: int, mac: bytes, timeout: float):
    """(app_us, kernel_us) for one DISCOVER, or None if no OFFER came within timeout."""
    packet = discover(xid, mac)
    sent = time.time_ns()
    s.sendto(packet, ("255.255.255.255", 67))
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([s], [], [], left)
        if not ready:
            return None
        data, ancillary, _, _ = s.recvmsg(2048, socket.CMSG_SPACE(16))
        returned = time.time_ns()
        if len(data) < 240 or data[0] != 2 or struct.unpack_from("!I", data, 4)[0] != xid:
            continue  # our own broadcast looped back, or someone else's reply
        kernel = returned
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SCM_TIMESTAMPNS and len(value) >= 16:
                seconds, nanoseconds = struct.unpack("qq", value[:16])
                kernel = seconds * 1_000_000_000 + nanoseconds
        return (returned - sent) / 1000, (kernel - sent) / 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--rate", type=float, default=100, help="DISCOVERs per second per target")
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--out", required=True)
    parser.add_argument("targets", nargs="+", help="NAME=IFACE")
    args = parser.parse_args()

    targets = [(t.split("=", 1)[0], open_socket(t.split("=", 1)[1])) for t in args.targets]
    interval = 1.0 / (args.rate * len(targets))
    counter = int.from_bytes(os.urandom(2), "big") << 8
    with open(args.out, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["sample", "server", "app_us", "kernel_us"])
        next_send = time.monotonic()
        for sample in range(-args.warmup, args.samples):
            for name, s in targets:
                counter += 1
                xid = int.from_bytes(os.urandom(4), "big")
                mac = bytes([0x02, 0xB5]) + counter.to_bytes(4, "big")
                result = probe(s, xid, mac, args.timeout)
                if sample >= 0:
                    out.writerow([sample, name, f"{result[0]:.1f}" if result else "", f"{result[1]:.1f}" if result else ""])
                next_send += interval
                pause = next_send - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                else:
                    next_send = time.monotonic()
    return 0


if __name__ == "__main__":
    sys.exit(main())
