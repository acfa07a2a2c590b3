#!/usr/bin/env python3
"""Regenerates fuzz/corpus/: real DHCP payloads lifted from the reference captures, plus a few
synthetic messages that reach paths the captures do not (option overload, RFC 3396 split
options, relay agent option 82, plain BOOTP).

Usage: python3 fuzz/make-seeds.py [CAPTURE_DIR]   (default /work/shared/reference/captures)
Pure Python, no tshark needed. Classic little-endian pcap with Ethernet link type only.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
CAPTURES = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference/captures"

# (capture file, frame number (1-based), seed name)
REAL = [
    ("A-single-bios-ipxe.pcap", 1, "A-bios-ipxe-discover"),
    ("A-single-bios-ipxe.pcap", 2, "A-bios-ipxe-offer"),
    ("A-single-bios-ipxe.pcap", 9, "A-bios-ipxe-request"),
    ("A-single-bios-ipxe.pcap", 10, "A-bios-ipxe-ack"),
    ("B-proxy-bios-ipxe.pcap", 4, "B-proxy-offer"),
    ("B-proxy-bios-ipxe.pcap", 18, "B-pxe4011-request"),
    ("B-proxy-bios-ipxe.pcap", 19, "B-pxe4011-ack"),
    ("C-proxy-uefi-edk2.pcap", 1, "C-edk2-discover"),
    ("C-proxy-uefi-edk2.pcap", 3, "C-edk2-proxy-offer"),
    ("C-proxy-uefi-edk2.pcap", 10, "C-edk2-4011-request"),
    ("C-proxy-uefi-edk2.pcap", 11, "C-edk2-4011-ack"),
    ("C2-proxy-uefi-ipxerom.pcap", 2, "C2-ipxerom-discover"),
]


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack_from("<I", data, 0)
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        raise SystemExit(f"{path}: not a little-endian classic pcap")
    linktype, = struct.unpack_from("<I", data, 20)
    if linktype != 1:
        raise SystemExit(f"{path}: link type {linktype}, only Ethernet (1) handled")
    offset = 24
    while offset + 16 <= len(data):
        _, _, incl, _ = struct.unpack_from("<IIII", data, offset)
        yield data[offset + 16: offset + 16 + incl]
        offset += 16 + incl


def udp_payload(frame):
    ethertype, = struct.unpack_from(">H", frame, 12)
    ip = 14
    while ethertype in (0x8100, 0x88A8):
        ethertype, = struct.unpack_from(">H", frame, ip + 2)
        ip += 4
    if ethertype != 0x0800 or frame[ip + 9] != 17:
        return None
    ihl = (frame[ip] & 0x0F) * 4
    udp = ip + ihl
    length, = struct.unpack_from(">H", frame, udp + 4)
    return frame[udp + 8: udp + length]


def header(op=1, xid=0x12345678, sname=b"", file=b""):
    h = bytearray(236)
    h[0], h[1], h[2] = op, 1, 6
    struct.pack_into(">I", h, 4, xid)
    h[28:34] = bytes.fromhex("525400c60001")
    h[44:44 + len(sname)] = sname
    h[108:108 + len(file)] = file
    return h + bytes.fromhex("63825363")


def opt(code, value):
    return bytes([code, len(value)]) + value


def synthetic():
    seeds = {}

    # Option 52 = 3: options continue in file, then sname (RFC 2131 §4.1).
    msg = header(op=2)
    file_opts = opt(67, b"undionly.kpxe\0") + b"\xff"
    sname_opts = opt(66, b"10.0.0.1") + b"\xff"
    msg[108:108 + len(file_opts)] = file_opts
    msg[44:44 + len(sname_opts)] = sname_opts
    msg += opt(53, b"\x02") + opt(52, b"\x03") + opt(54, bytes([10, 0, 0, 1])) + b"\xff"
    seeds["synthetic-overload-both"] = bytes(msg)

    # RFC 3396: one long option split into parts (a 300-byte vendor class + a split 43).
    msg = header()
    long_value = bytes(range(256)) + bytes(44)
    msg += opt(53, b"\x01") + opt(60, long_value[:255]) + opt(55, b"\x01\x03\x06") + opt(60, long_value[255:])
    msg += opt(43, bytes.fromhex("060108")) + opt(43, bytes.fromhex("ff")) + b"\xff"
    seeds["synthetic-split-options"] = bytes(msg)

    # Relayed request with option 82 (circuit id, remote id, link selection).
    msg = header()
    msg[24:28] = bytes([192, 168, 1, 1])
    relay = opt(1, b"eth0/1/2") + opt(2, bytes.fromhex("001122334455")) + opt(5, bytes([192, 168, 1, 0]))
    msg += opt(53, b"\x03") + opt(50, bytes([192, 168, 1, 50])) + opt(82, relay) + b"\xff"
    seeds["synthetic-relay82"] = bytes(msg)

    # Plain BOOTP: no option 53, names in sname/file, padded to 300.
    msg = header(op=2, sname=b"bootserver", file=b"/tftpboot/pxelinux.0")
    msg += opt(1, bytes([255, 255, 255, 0])) + opt(3, bytes([10, 0, 0, 254])) + b"\xff"
    msg += bytes(300 - len(msg))
    seeds["synthetic-bootp"] = bytes(msg)

    # Domain search (119, with a compression pointer) and client FQDN (81).
    msg = header(op=2)
    search = b"\x07example\x03com\x00\x03lab\xc0\x00"
    msg += opt(53, b"\x05") + opt(119, search) + opt(81, b"\x05\x00\x00\x04host\x07example\x03com\x00") + b"\xff"
    seeds["synthetic-dns-names"] = bytes(msg)
    return seeds


def main():
    os.makedirs(CORPUS, exist_ok=True)
    for capture, number, name in REAL:
        all_frames = list(frames(os.path.join(CAPTURES, capture)))
        payload = udp_payload(all_frames[number - 1])
        if payload is None:
            raise SystemExit(f"{capture} frame {number} is not UDP/IPv4")
        with open(os.path.join(CORPUS, name + ".bin"), "wb") as f:
            f.write(payload)
    for name, payload in synthetic().items():
        with open(os.path.join(CORPUS, name + ".bin"), "wb") as f:
            f.write(payload)
    print(f"wrote {len(REAL)} captured and {len(synthetic())} synthetic seeds to {CORPUS}")


if __name__ == "__main__":
    main()
