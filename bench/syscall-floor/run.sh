#!/usr/bin/env bash
# run.sh - CPU floor per DORA-shaped exchange (2 datagrams in, 2 out) of a minimal C UDP server,
# without and with one fdatasync per exchange, at the rates given (default "500 4000 8000").
# Same rig shape as bench/dhcp-perf: two namespaces created here and deleted on exit, server
# pinned to CPU 0, client to CPU 1, processes stopped by PID, everything under timeout.
# Env: RATES, SECS (10), WORK (/var/tmp/syscall-floor: must be on disk for the fsync case).
set -u
[ "$(id -u)" = 0 ] || { echo "run as root (namespaces)" >&2; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
RATES=${RATES:-500 4000 8000}
SECS=${SECS:-10}
WORK=${WORK:-/var/tmp/syscall-floor}
NS_S=floor-srv; NS_C=floor-cli
mkdir -p "$WORK"
SPID=""
cleanup() {
  [ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
  ip netns del "$NS_S" 2>/dev/null; ip netns del "$NS_C" 2>/dev/null
}
trap cleanup EXIT
gcc -O2 -o "$WORK/echo-server" "$HERE/echo-server.c" && gcc -O2 -o "$WORK/client" "$HERE/client.c" || exit 1
ip netns add "$NS_S" && ip netns add "$NS_C" || exit 1
ip link add fl-s0 netns "$NS_S" type veth peer name fl-c0 netns "$NS_C"
ip -n "$NS_S" addr add 10.238.0.1/24 dev fl-s0; ip -n "$NS_C" addr add 10.238.0.2/24 dev fl-c0
for ns in "$NS_S" "$NS_C"; do ip -n "$ns" link set lo up; done
ip -n "$NS_S" link set fl-s0 up; ip -n "$NS_C" link set fl-c0 up
sleep 1
hz=$(getconf CLK_TCK)
echo "| rate /s | fdatasync per exchange | exchanges done | server CPU µs per exchange |"
echo "|---:|---|---:|---:|"
for rate in $RATES; do
  for durable in 0 1; do
    timeout $((SECS + 30)) ip netns exec "$NS_S" taskset -c 0 "$WORK/echo-server" "$durable" "$WORK/floor.dat" &
    SPID=$!   # timeout's PID; its only child is the server (ip netns exec and taskset exec it)
    sleep 0.5
    SRV=$(cat /proc/"$SPID"/task/*/children | awk '{print $1}')
    c0=$(awk '{print $14 + $15}' "/proc/$SRV/stat")
    res=$(timeout $((SECS + 10)) ip netns exec "$NS_C" taskset -c 1 "$WORK/client" 10.238.0.1 "$rate" "$SECS")
    c1=$(awk '{print $14 + $15}' "/proc/$SRV/stat")
    kill "$SPID"; wait "$SPID" 2>/dev/null; SPID=""
    done_=$(sed -n 's/.*done=\([0-9]*\).*/\1/p' <<<"$res")
    awk -v r="$rate" -v d="$durable" -v n="$done_" -v t=$((c1 - c0)) -v hz="$hz" \
      'BEGIN { printf "| %d | %s | %d | %.1f |\n", r, (d ? "yes" : "no"), n, (n ? t / hz * 1e6 / n : 0) }'
  done
done
