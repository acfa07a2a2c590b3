#!/usr/bin/env python3
"""gen_leases.py DB COUNT FIRST_ADDRESS - write a DhcpSharp lease store (SQLite) holding COUNT
bound leases on consecutive addresses from FIRST_ADDRESS, each for its own client, all expiring
7 days from now. The schema is SqliteLeaseStore's (src/DhcpSharp.Server/Leases/SqliteLeaseStore.cs):
address = host-order uint32, times = unix milliseconds, state 2 = bound, user_version 1, WAL.
"""
import ipaddress
import os
import sqlite3
import sys
import time

db, count, first = sys.argv[1], int(sys.argv[2]), int(ipaddress.IPv4Address(sys.argv[3]))
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(db + suffix):
        os.remove(db + suffix)
now_ms = int(time.time() * 1000)
con = sqlite3.connect(db)
con.executescript("""
    PRAGMA journal_mode=WAL;
    CREATE TABLE IF NOT EXISTS leases (
        address     INTEGER PRIMARY KEY,
        client_key  TEXT    NOT NULL,
        htype       INTEGER NOT NULL,
        hwaddr      BLOB    NOT NULL,
        client_id   BLOB,
        hostname    TEXT,
        state       INTEGER NOT NULL,
        starts      INTEGER NOT NULL,
        expires     INTEGER NOT NULL
    ) WITHOUT ROWID;
    PRAGMA user_version = 1;
""")


def rows():
    for i in range(count):
        mac = bytes((0x02, 0x42, (i >> 24) & 0xFF, (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF))
        yield (first + i, "hw:1:" + mac.hex(), 1, mac, None, f"host-{i}" if i % 4 == 0 else None,
               2, now_ms - 3600_000, now_ms + 7 * 86400_000)


t0 = time.time()
with con:
    con.executemany("INSERT INTO leases VALUES (?,?,?,?,?,?,?,?,?)", rows())
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.close()
print(f"{count} bound leases from {ipaddress.IPv4Address(first)} to "
      f"{ipaddress.IPv4Address(first + count - 1)} in {db} ({os.path.getsize(db) / 2**20:.1f} MiB, {time.time() - t0:.1f} s)")
