#!/usr/bin/env python3
"""Markdown tables from bench/tftp/run.sh's results.csv: medians per server and windowsize."""
import csv
import statistics
import sys
from collections import defaultdict

NAMES = {"dsh": "dhcpsharp", "hpa": "tftpd-hpa", "dnm": "dnsmasq"}

rows = list(csv.DictReader(open(sys.argv[1])))
speed = defaultdict(list)
cpu = defaultdict(list)
by_rep = defaultdict(dict)
for r in rows:
    key = (int(r["windowsize"]), r["server"])
    speed[key].append(float(r["mb_per_s"]))
    cpu[key].append(float(r["server_cpu_ms"]))
    by_rep[(int(r["windowsize"]), int(r["rep"]))][r["server"]] = (float(r["mb_per_s"]), float(r["server_cpu_ms"]))

windows = sorted({w for w, _ in speed})
reps = len({r["rep"] for r in rows})
med = statistics.median


def paired(window, a, b, index):
    """Median over repetitions of a/b measured in the same repetition."""
    ratios = [v[a][index] / v[b][index] for (w, _), v in by_rep.items() if w == window and a in v and b in v and v[b][index] > 0]
    return med(ratios) if ratios else float("nan")


print(f"Throughput, MB/s (10^6 bytes/s), median of {reps} (min–max); ratio = median of the per-repetition ratios\n")
print("| windowsize | dhcpsharp | tftpd-hpa | dnsmasq | dhcpsharp / tftpd-hpa | dhcpsharp / dnsmasq |")
print("|---:|---:|---:|---:|---:|---:|")
for w in windows:
    cells = [f"{med(speed[(w, s)]):.1f} ({min(speed[(w, s)]):.1f}–{max(speed[(w, s)]):.1f})" for s in ("dsh", "hpa", "dnm")]
    print(f"| {w} | {' | '.join(cells)} | **{paired(w, 'dsh', 'hpa', 0):.2f}×** | {paired(w, 'dsh', 'dnm', 0):.2f}× |")

print(f"\nServer CPU time per transfer, ms (cpuacct cgroup of the server process and its children), median of {reps}\n")
print("| windowsize | dhcpsharp | tftpd-hpa | dnsmasq | dhcpsharp / tftpd-hpa | dhcpsharp / dnsmasq |")
print("|---:|---:|---:|---:|---:|---:|")
for w in windows:
    cells = [f"{med(cpu[(w, s)]):.0f}" for s in ("dsh", "hpa", "dnm")]
    print(f"| {w} | {' | '.join(cells)} | {paired(w, 'dsh', 'hpa', 1):.2f}× | {paired(w, 'dsh', 'dnm', 1):.2f}× |")

# tftpd-hpa 5.2 and dnsmasq 2.90 leave windowsize out of their OACK (see negotiation.txt): all of
# their transfers are lock-step whatever atftp asked, so every run is a sample of the same thing.
pooled = {s: [v for (w, name), values in speed.items() if name == s for v in values] for s in ("hpa", "dnm")}
print(f"\nPooled over all windowsizes (tftpd-hpa and dnsmasq ignore windowsize, so all their runs are lock-step): "
      f"tftpd-hpa {med(pooled['hpa']):.1f} MB/s, dnsmasq {med(pooled['dnm']):.1f} MB/s (n = {len(pooled['hpa'])} each); "
      f"dhcpsharp at windowsize {windows[-1]} / pooled tftpd-hpa = **{med(speed[(windows[-1], 'dsh')]) / med(pooled['hpa']):.2f}×**")
