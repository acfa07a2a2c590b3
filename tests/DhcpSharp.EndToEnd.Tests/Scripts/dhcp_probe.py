#!/usr/bin/env python3
"""DHCP probe for the DhcpSharp end-to-end tests (Python standard library only).

Runs inside a client network namespace the test created; never configures anything.

  dhcp_probe.py steps INTERFACE STATE_FILE STEP...
      Plays any number of DHCP clients, one per MAC address, and prints one JSON line per step.
      STATE_FILE (JSON) keeps what each MAC was given from one run to the next.
      Steps (comma-separated words):
        discover,MAC[,ADDR]   DISCOVER (asking for ADDR, option 50); prints the OFFERed address (or null)
        lease,MAC             DISCOVER + REQUEST; prints the ACKed address (or null; "nak": true on NAK)
        request,MAC,ADDR      INIT-REBOOT REQUEST for ADDR (option 50, no server id); prints the
                              ACKed address, or null with "nak": true / no reply
        decline,MAC           DECLINE the address MAC was last given (no reply expected)
        release,MAC           RELEASE the address MAC was last given (no reply expected)
        sleep,SECONDS
      Every request sets the broadcast flag, so replies reach this socket although the
      interface has no address in the pool.

  dhcp_probe.py barrage INTERFACE SERVER_IP COUNT SECONDS SEED
      Sends at least COUNT UDP datagrams to port 67 (alternately SERVER_IP and the limited
      broadcast), stopping early only when SECONDS have passed: random bytes, real DHCP messages
      with random bytes changed, truncated messages, and messages with garbage options.
      Prints one JSON line: {"sent": N, "seconds": S, "kinds": {...}}.
"""

import json
import random
import select
import socket
import struct
import sys
import time

SO_BINDTODEVICE = 25
MAGIC = b"\x63\x82\x53\x63"
DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM = 1, 2, 3, 4, 5, 6, 7, 8
NAMES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK", 6: "NAK", 7: "RELEASE", 8: "INFORM"}
REPLY_TIMEOUT = 1.5
ATTEMPTS = 2


def mac_bytes(text):
    return bytes(int(part, 16) for part in text.split(":"))


def build(message_type, mac, xid, ciaddr="0.0.0.0", giaddr="0.0.0.0", options=(), broadcast=True):
    header = struct.pack(
        "!BBBBIHH4s4s4s4s16s64s128s",
        1, 1, 6, 0, xid, 0, 0x8000 if broadcast else 0,
        socket.inet_aton(ciaddr), b"\0" * 4, b"\0" * 4, socket.inet_aton(giaddr),
        mac + b"\0" * (16 - len(mac)), b"", b"")
    body = bytes([53, 1, message_type])
    for code, value in options:
        body += bytes([code, len(value)]) + value
    body += b"\xff"
    packet = header + MAGIC + body
    return packet + b"\0" * max(0, 300 - len(packet))


def parse_reply(data):
    """(xid, chaddr, yiaddr, message type, server id) of a BOOTREPLY, or None."""
    if len(data) < 240 or data[0] != 2 or data[236:240] != MAGIC:
        return None
    xid = struct.unpack("!I", data[4:8])[0]
    yiaddr = socket.inet_ntoa(data[16:20])
    chaddr = data[28:34]
    message_type, server = None, None
    i = 240
    while i < len(data):
        code = data[i]
        if code == 255:
            break
        if code == 0:
            i += 1
            continue
        if i + 1 >= len(data):
            break
        length = data[i + 1]
        value = data[i + 2:i + 2 + length]
        if code == 53 and length == 1:
            message_type = value[0]
        elif code == 54 and length == 4:
            server = socket.inet_ntoa(value)
        i += 2 + length
    return xid, chaddr, yiaddr, message_type, server


class Prober:
    def __init__(self, interface, clients):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, interface.encode() + b"\0")
        self.sock.bind(("0.0.0.0", 68))
        self.clients = clients  # mac text -> {"address", "server"}: what it was last given

    def exchange(self, packet, xid, mac, wanted):
        """Sends (twice at most) and waits for a reply of a wanted type for this xid and MAC."""
        for _ in range(ATTEMPTS):
            self.sock.sendto(packet, ("255.255.255.255", 67))
            deadline = time.monotonic() + REPLY_TIMEOUT
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                ready, _, _ = select.select([self.sock], [], [], left)
                if not ready:
                    break
                reply = parse_reply(self.sock.recv(4096))
                if reply and reply[0] == xid and reply[1] == mac and reply[3] in wanted:
                    return reply
        return None

    def discover(self, mac_text, wanted=None):
        mac = mac_bytes(mac_text)
        xid = random.getrandbits(32)
        options = [(55, bytes([1, 3, 6, 51]))] + ([(50, socket.inet_aton(wanted))] if wanted else [])
        reply = self.exchange(build(DISCOVER, mac, xid, options=options), xid, mac, {OFFER})
        if reply is None:
            return {"address": None}
        self.clients[mac_text] = {"address": reply[2], "server": reply[4]}
        return {"address": reply[2], "server": reply[4]}

    def lease(self, mac_text):
        offer = self.discover(mac_text)
        if offer["address"] is None:
            return {"address": None, "stage": "no offer"}
        mac = mac_bytes(mac_text)
        xid = random.getrandbits(32)
        options = [(50, socket.inet_aton(offer["address"])), (54, socket.inet_aton(offer["server"])), (55, bytes([1, 3, 6, 51]))]
        reply = self.exchange(build(REQUEST, mac, xid, options=options), xid, mac, {ACK, NAK})
        if reply is None:
            return {"address": None, "stage": "no ack", "offered": offer["address"]}
        if reply[3] == NAK:
            return {"address": None, "nak": True, "offered": offer["address"]}
        return {"address": reply[2], "server": reply[4]}

    def request(self, mac_text, address):
        mac = mac_bytes(mac_text)
        xid = random.getrandbits(32)
        reply = self.exchange(build(REQUEST, mac, xid, options=[(50, socket.inet_aton(address))]), xid, mac, {ACK, NAK})
        if reply is None:
            return {"address": None, "requested": address}
        if reply[3] == NAK:
            return {"address": None, "nak": True, "requested": address}
        self.clients[mac_text] = {"address": reply[2], "server": reply[4]}
        return {"address": reply[2], "server": reply[4]}

    def decline(self, mac_text):
        client = self.clients[mac_text]
        options = [(50, socket.inet_aton(client["address"])), (54, socket.inet_aton(client["server"]))]
        self.sock.sendto(build(DECLINE, mac_bytes(mac_text), random.getrandbits(32), options=options), ("255.255.255.255", 67))
        return {"address": client["address"]}

    def release(self, mac_text):
        client = self.clients[mac_text]
        packet = build(RELEASE, mac_bytes(mac_text), random.getrandbits(32), ciaddr=client["address"],
                       options=[(54, socket.inet_aton(client["server"]))], broadcast=False)
        self.sock.sendto(packet, ("255.255.255.255", 67))
        return {"address": client["address"]}


def run_steps(interface, state_file, steps):
    try:
        with open(state_file) as f:
            clients = json.load(f)
    except FileNotFoundError:
        clients = {}
    prober = Prober(interface, clients)
    for step in steps:
        op, *args = step.split(",")
        if op == "sleep":
            time.sleep(float(args[0]))
            result = {}
        else:
            result = getattr(prober, op)(*args)
            result["mac"] = args[0]
        result["op"] = op
        print(json.dumps(result), flush=True)
        with open(state_file, "w") as f:
            json.dump(clients, f)


def mutated_messages(rng):
    """Real-looking DHCP messages of every type to mutate: the parser's interesting paths."""
    while True:
        mac = bytes([0x02]) + bytes(rng.getrandbits(8) for _ in range(5))
        kind = rng.choice([DISCOVER, REQUEST, DECLINE, RELEASE, INFORM])
        options = [(61, b"\x01" + mac), (12, b"fuzz-%d" % rng.getrandbits(16)), (55, bytes([1, 3, 6, 15, 51, 54, 58, 59]))]
        if kind in (REQUEST, DECLINE):
            options.append((50, bytes([10, 233, rng.randrange(256), rng.randrange(256)])))
        if rng.random() < 0.3:
            options.append((82, bytes([1, 4]) + bytes(rng.getrandbits(8) for _ in range(4))))
        yield build(kind, mac, rng.getrandbits(32), options=options, broadcast=rng.random() < 0.5)


def run_barrage(interface, server, count, seconds, seed):
    rng = random.Random(seed)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, interface.encode() + b"\0")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    sock.bind(("0.0.0.0", 0))
    targets = [(server, 67), ("255.255.255.255", 67)]
    messages = mutated_messages(rng)
    kinds = {"random": 0, "flipped": 0, "truncated": 0, "garbage-options": 0}
    sent, send_errors = 0, 0
    start = time.monotonic()
    # Paced in bursts so most datagrams reach the server rather than an overflowing socket buffer.
    burst, pause = 250, 0.01
    while sent < count and time.monotonic() - start < seconds:
        for _ in range(burst):
            roll = rng.random()
            if roll < 0.25:
                kind, data = "random", bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 700)))
            elif roll < 0.65:
                data = bytearray(next(messages))
                for _ in range(rng.randrange(1, 9)):
                    data[rng.randrange(len(data))] = rng.getrandbits(8)
                kind, data = "flipped", bytes(data)
            elif roll < 0.85:
                data = next(messages)
                kind, data = "truncated", data[:rng.randrange(0, len(data))]
            else:
                data = next(messages)[:240] + bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 400)))
                kind = "garbage-options"
            try:
                sock.sendto(data, targets[sent % 2])
            except OSError:
                send_errors += 1
            kinds[kind] += 1
            sent += 1
        time.sleep(pause)
    print(json.dumps({"sent": sent, "send_errors": send_errors, "seconds": round(time.monotonic() - start, 2), "kinds": kinds}), flush=True)


def main(argv):
    if len(argv) >= 4 and argv[1] == "steps":
        run_steps(argv[2], argv[3], argv[4:])
    elif len(argv) == 7 and argv[1] == "barrage":
        run_barrage(argv[2], argv[3], int(argv[4]), float(argv[5]), int(argv[6]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
