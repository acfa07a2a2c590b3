#!/usr/bin/env bash
# startup-1m.sh [LEASES=1000000] [REPS=3] - start-up time and memory of `dhcpsharp serve` with a
# lease store holding LEASES bound leases, on a /12 subnet (pool 10.240.0.10-10.255.255.250,
# 1,048,565 addresses; AddressPool.MaximumSize is 2^22).
#
# For each rep: start the server in a namespace of its own (interface dsperf-m0, 10.240.0.1/12),
# time from launch to the log line "DHCP server started" and to the UDP :67 socket, then read
# VmRSS and VmHWM from /proc/PID/status, stop it. The same with an empty store gives the
# baseline. The lease DB is regenerated before every start (the server rewrites it: start-up
# purges, and WAL checkpoints), so it is in the page cache each time (a warm start).
# Output: $DSP_RESULTS/startup-1m.log (key=value lines) and a markdown table on stdout.
set -u
. "$(dirname "$0")/lib.sh"
dsp_need_root
LEASES=${1:-1000000}
REPS=${2:-3}
NS=dsperf-1m$DSP_SUFFIX
IF=dsperf-m0
D=$DSP_WORK/startup
mkdir -p "$D" "$DSP_RESULTS" "$DSP_RUN"
LOG=$DSP_RESULTS/startup-1m.log

cleanup() {
  [ -f "$D/server.pid" ] && { dsp_kill_pid "$(cat "$D/server.pid")"; rm -f "$D/server.pid"; }
  [ -f "$D/timeout.pid" ] && { dsp_kill_pid "$(cat "$D/timeout.pid")"; rm -f "$D/timeout.pid"; }
  if [ "${OWN_NS:-0}" = 1 ] && dsp_ns_exists "$NS"; then
    for p in $(ip netns pids "$NS" 2>/dev/null); do dsp_kill_pid "$p"; done
    ip netns del "$NS" && dsp_log "deleted netns $NS"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
dsp_install_deps
dsp_build
dsp_ns_exists "$NS" && dsp_die "namespace $NS exists: set DSP_SUFFIX or delete it"
ip netns add "$NS" && OWN_NS=1
ip -n "$NS" link set lo up
if ! ip -n "$NS" link add "$IF" type dummy 2>/dev/null; then
  ip -n "$NS" link add "$IF" type veth peer name "${IF}p"     # no dummy module: a veth pair inside the namespace
  ip -n "$NS" link set "${IF}p" up
fi
ip -n "$NS" addr add 10.240.0.1/12 dev "$IF"
ip -n "$NS" link set "$IF" up

now_ms() { date +%s%3N; }
one() {   # one LEASE_COUNT TAG
  local n=$1 tag=$2 t0 t_started="" t_ready="" spid i
  rm -f "$D"/leases.db*
  if [ "$n" -gt 0 ]; then
    "$DSP_PYTHON" "$DSP_HERE/gen_leases.py" "$D/leases.db" "$n" 10.240.0.10 >&2 || dsp_die "lease generation failed"
  fi
  sync "$D/leases.db" 2>/dev/null
  : > "$D/stdout.log"
  t0=$(now_ms)
  setsid timeout -k 3 300 ip netns exec "$NS" \
    dotnet "$DSP_DLL" serve --interface "$IF" --subnet 10.240.0.0/12 --range 10.240.0.10-10.255.255.250 \
    --lease-time 3600 --leases "$D/leases.db" > "$D/stdout.log" 2> "$D/stderr.log" < /dev/null &
  echo $! > "$D/timeout.pid"
  spid=$(dsp_child_of "$(cat "$D/timeout.pid")") || dsp_die "server did not start"
  echo "$spid" > "$D/server.pid"
  for i in $(seq 12000); do   # up to ~240 s
    kill -0 "$spid" 2>/dev/null || { tail "$D/stderr.log" "$D/stdout.log"; dsp_die "server exited"; }
    if [ -z "$t_started" ] && grep -q "DHCP server started" "$D/stdout.log"; then t_started=$(now_ms); fi
    if [ -n "$t_started" ] && ip netns exec "$NS" ss -lunp 2>/dev/null | grep -Eq ":67[[:space:]].*pid=$spid,"; then t_ready=$(now_ms); break; fi
    sleep 0.02
  done
  [ -n "$t_ready" ] || dsp_die "server not ready after 240 s"
  sleep 2   # let start-up settle (background JIT, GC) before reading memory
  local rss hwm cpu loaded threads
  rss=$(awk '/^VmRSS/{print $2}' "/proc/$spid/status")
  hwm=$(awk '/^VmHWM/{print $2}' "/proc/$spid/status")
  threads=$(awk '/^Threads/{print $2}' "/proc/$spid/status")
  cpu=$(dsp_cpu_ticks "$spid")
  loaded=$(sed -n 's/.*Loaded \([0-9]*\) leases.*/\1/p' "$D/stdout.log" | head -1)
  dsp_kill_pid "$spid"; rm -f "$D/server.pid"; dsp_kill_pid "$(cat "$D/timeout.pid")"; rm -f "$D/timeout.pid"
  local line
  line="tag=$tag leases=$n loaded=${loaded:-NA} started_ms=$((t_started - t0)) ready_ms=$((t_ready - t0)) rss_kib=$rss hwm_kib=$hwm threads=$threads cpu_s=$(echo "scale=2; $cpu / $(dsp_hz)" | bc) load=$(cut -d' ' -f1 /proc/loadavg) db_mib=$(du -m "$D/leases.db" | cut -f1)"
  echo "$line" | tee -a "$LOG" >&2
  echo "$line"
}

RUNID=startup-$(date +%Y%m%d-%H%M%S)
echo "# $RUNID: $LEASES leases, /12 pool, $(nproc) cpu, load $(cut -d' ' -f1-3 /proc/loadavg), dotnet $(dotnet --version)" | tee -a "$LOG"
RESULTS=()
for rep in $(seq "$REPS"); do      # interleaved: empty, full, empty, full ...
  RESULTS+=("$(one 0 "$RUNID-empty-$rep")")
  RESULTS+=("$(one "$LEASES" "$RUNID-full-$rep")")
done
printf '%s\n' "${RESULTS[@]}" | "$DSP_PYTHON" -c '
import re, statistics, sys
rows = [dict(re.findall(r"(\w+)=(\S+)", l)) for l in sys.stdin if l.strip()]
print("| lease store | reps | \"DHCP server started\" after (ms, median; min-max) | UDP :67 bound after (ms) | VmRSS (MiB) | VmHWM (MiB) | CPU s to start |")
print("|---|---|---|---|---|---|---|")
for kind in ("empty", "full"):
    rr = [r for r in rows if "-%s-" % kind in r["tag"]]
    if not rr: continue
    m = lambda k: statistics.median(float(r[k]) for r in rr)
    st = [int(r["started_ms"]) for r in rr]
    print("| %s leases (%s loaded) | %d | %.0f (%d-%d) | %.0f | %.0f | %.0f | %.1f |" % (
        rr[0]["leases"], rr[0]["loaded"], len(rr), m("started_ms"), min(st), max(st), m("ready_ms"),
        m("rss_kib") / 1024, m("hwm_kib") / 1024, m("cpu_s")))
'
