#!/usr/bin/env python3
"""Markdown table of DISCOVER -> OFFER latency percentiles from probe.py's results.csv."""
import csv
import sys
from collections import defaultdict

rows = list(csv.DictReader(open(sys.argv[1])))
samples = defaultdict(lambda: {"app": [], "kernel": [], "lost": 0})
for r in rows:
    s = samples[r["server"]]
    if r["app_us"]:
        s["app"].append(float(r["app_us"]))
        s["kernel"].append(float(r["kernel_us"]))
    else:
        s["lost"] += 1


def pct(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))  # nearest rank
    return ordered[rank]


print("DISCOVER → proxy OFFER latency, ms (kernel receive timestamp − send; in brackets: when the probe got it)\n")
print("| server | samples | lost | p50 | p90 | p99 | p99.9 | max |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name, s in samples.items():
    k, a = s["kernel"], s["app"]
    cells = [f"{pct(k, p) / 1000:.3f} ({pct(a, p) / 1000:.3f})" for p in (50, 90, 99, 99.9)]
    print(f"| {name} | {len(k) + s['lost']} | {s['lost']} | {' | '.join(cells)} | {max(k) / 1000:.3f} ({max(a) / 1000:.3f}) |")

names = list(samples)
if len(names) == 2:
    a, b = names
    print(f"\nratio {a}/{b}: p50 {pct(samples[a]['kernel'], 50) / pct(samples[b]['kernel'], 50):.2f}×, "
          f"p99 {pct(samples[a]['kernel'], 99) / pct(samples[b]['kernel'], 99):.2f}×")
