#!/usr/bin/env python3
"""parse_run.py RAW TAG - one perfdhcp run (perfdhcp's report + the '#' trailer lines that
lib.sh appends) -> one 'key=value ...' line on stdout.

loss      = (DISCOVERs sent - ACKs received) / DISCOVERs sent
achieved  = ACKs received / test period (perfdhcp's own "Rate:" divides by period + wait)
gen_ok    = perfdhcp really sent >= 97 % of rate x period DISCOVERs (else the load generator,
            not the server, was the limit, and the run cannot count as a pass)
us_dora   = server CPU (utime+stime, all threads) during the run / ACKs received
pass      = loss <= DSP_MAX_LOSS (default 1 %) and gen_ok and the server still alive
"""
import os
import re
import sys

raw, tag = sys.argv[1], sys.argv[2]
text = open(raw, encoding="utf-8", errors="replace").read()
max_loss = float(os.environ.get("DSP_MAX_LOSS", "1.0"))


def section(name):
    m = re.search(r"\*\*\*Statistics for: %s\*\*\*(.*?)(?=\*\*\*|\Z)" % name, text, re.S)
    return m.group(1) if m else ""


def num(block, key, default="nan"):
    m = re.search(key + r":\s*([0-9.]+|nan)", block)
    return m.group(1) if m else default


def trailer(key, default="NA"):
    m = re.search(r"\b" + key + r"=(\S+)", text)
    return m.group(1) if m else default


do, ra = section("DISCOVER-OFFER"), section("REQUEST-ACK")
rate = int(trailer("rate", "0"))
period = float(trailer("period", "1"))
do_sent = int(num(do, "sent packets", "0"))
do_recv = int(num(do, "received packets", "0"))
ra_sent = int(num(ra, "sent packets", "0"))
ra_recv = int(num(ra, "received packets", "0"))
loss = 100.0 * (do_sent - ra_recv) / do_sent if do_sent else 100.0
gen_ok = do_sent >= 0.97 * rate * period

t0, t1 = (int(x) for x in trailer("srv_ticks", "0,0").split(","))
hz = int(trailer("hz", "100"))
srv_cpu = (t1 - t0) / hz
m = re.search(r"# perfdhcp_cpu user=([0-9.]+) sys=([0-9.]+) wall=([0-9.]+)", text)
pd_cpu = float(m.group(1)) + float(m.group(2)) if m else float("nan")
pd_wall = float(m.group(3)) if m else float("nan")


def delta(key, index):
    a, b = trailer(key + "0", ""), trailer(key + "1", "")
    try:
        return int(b.split(",")[index]) - int(a.split(",")[index])
    except (ValueError, IndexError):
        return "NA"


alive = trailer("alive")
row = {
    "tag": tag,
    "server": trailer("server"),
    "rate": rate,
    "period": int(period),
    "do_sent": do_sent,
    "do_recv": do_recv,
    "ra_sent": ra_sent,
    "ra_recv": ra_recv,
    "loss_pct": f"{loss:.3f}",
    "achieved": f"{ra_recv / period:.1f}",
    "gen_ok": "yes" if gen_ok else "no",
    "do_avg_ms": num(do, "avg delay"),
    "do_max_ms": num(do, "max delay"),
    "ra_avg_ms": num(ra, "avg delay"),
    "ra_max_ms": num(ra, "max delay"),
    "srv_cpu_s": f"{srv_cpu:.2f}",
    "srv_cpu_pct": f"{100 * srv_cpu / period:.0f}",
    "us_dora": f"{1e6 * srv_cpu / ra_recv:.1f}" if ra_recv else "NA",
    "pd_cpu_s": f"{pd_cpu:.2f}",
    "pd_us_dora": f"{1e6 * pd_cpu / ra_recv:.0f}" if ra_recv else "NA",
    "srv_udp_in": delta("srv_udp", 0),
    "srv_rcvbuf_err": delta("srv_udp", 1),
    "srv_in_err": delta("srv_udp", 2),
    "cli_rcvbuf_err": delta("cli_udp", 1),
    "ctx_vol": delta("ctxsw", 0),
    "ctx_invol": delta("ctxsw", 1),
    "rss_kib": trailer("rss_kib"),
    "hwm_kib": trailer("hwm_kib"),
    "commits": trailer("commits"),
    "writes": trailer("writes"),
    "load": trailer("load"),
    "cpubusy": trailer("cpubusy"),
    "alive": alive,
    "pd_rc": trailer("perfdhcp_rc"),
    "pass": "yes" if (loss <= max_loss and gen_ok and alive == "yes") else "no",
    "raw": os.path.basename(raw),
}
print(" ".join(f"{k}={v}" for k, v in row.items()))
