#!/usr/bin/env bash
# proxyDHCP reply latency: PXE DISCOVER → proxy OFFER, p50/p99, for `dhcpsharp serve --proxy`
# and, as a reference on the same machine, dnsmasq in proxy mode (--dhcp-range=…,proxy with a
# pxe-service). Each server runs in its own network namespace (dstftpb-px*, 10.236.0.64/28),
# connected by a veth pair to one client namespace where probe.py broadcasts BIOS PXE DISCOVERs
# to 255.255.255.255:67 (a new xid and MAC each), alternating between the servers sample by
# sample, and times each OFFER. Also reports the server CPU time per reply (cpuacct cgroup).
#
# Usage (root):  bench/proxy-latency/run.sh     # SAMPLES=2000 RATE=100 (DISCOVERs/s per server)
#   DHCPSHARP_DLL=/path/dhcpsharp.dll  use this build instead of building src/DhcpSharp.Cli (Release)
#   OUT=dir                            keep results.csv, summary.md and the server logs there
# Needs: iproute2, dnsmasq, python3, the .NET SDK.
set -euo pipefail

SAMPLES=${SAMPLES:-2000}
WARMUP=${WARMUP:-200}
RATE=${RATE:-100}
LIMIT=${LIMIT:-1800}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
if [[ $(id -u) -ne 0 ]]; then
  echo "bench/proxy-latency/run.sh: needs root (network namespaces, port 67)" >&2
  exit 2
fi
for tool in ip dnsmasq python3 timeout; do
  command -v "$tool" >/dev/null || { echo "bench/proxy-latency/run.sh: $tool is missing" >&2; exit 2; }
done

work=$(mktemp -d /tmp/dstftpb-px.XXXXXX)
chmod 755 "$work"
out=${OUT:-$work/out}
mkdir -p "$out" "$work/root"

namespaces=(dstftpb-pxc dstftpb-pxd dstftpb-pxm)
server_pids=()
declare -A server_pid=() cgroup=()

cleanup() {
  set +e
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2>/dev/null
  done
  sleep 0.5
  for pid in "${server_pids[@]}"; do
    kill -9 "$pid" 2>/dev/null
  done
  for ns in "${namespaces[@]}"; do
    ip netns del "$ns" 2>/dev/null
  done
  for group in "${cgroup[@]}"; do
    for _ in $(seq 1 50); do
      [[ -s $group/cgroup.procs ]] || break
      sleep 0.1
    done
    rmdir "$group" 2>/dev/null
  done
  if [[ -n ${OUT:-} ]]; then rm -rf "$work"; else rm -rf "$work/root"; echo "results kept in $out"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

dll=${DHCPSHARP_DLL:-}
if [[ -z $dll ]]; then
  artifacts=${ARTIFACTS:-/tmp/dhcpsharp-bench-cli}
  echo "building src/DhcpSharp.Cli (Release) into $artifacts"
  timeout 900 dotnet build "$repo/src/DhcpSharp.Cli" -c Release --artifacts-path "$artifacts" -nologo -v quiet >/dev/null
  dll=$artifacts/bin/DhcpSharp.Cli/release/dhcpsharp.dll
fi
[[ -f $dll ]] || { echo "no $dll" >&2; exit 2; }

# --- network: client namespace pxc; dhcpsharp in pxd (10.236.0.65/30), dnsmasq in pxm (10.236.0.69/30)
for ns in "${namespaces[@]}"; do
  ip netns del "$ns" 2>/dev/null || true
  ip netns add "$ns"
  ip -n "$ns" link set lo up
done
i=0
for ns in dstftpb-pxd dstftpb-pxm; do
  s=$((65 + i * 4)) c=$((66 + i * 4))
  ip link add "dstftpb-ps$i" type veth peer name "dstftpb-pc$i"
  ip link set "dstftpb-ps$i" netns "$ns"
  ip link set "dstftpb-pc$i" netns dstftpb-pxc
  ip -n "$ns" addr add "10.236.0.$s/30" dev "dstftpb-ps$i"
  ip -n dstftpb-pxc addr add "10.236.0.$c/30" dev "dstftpb-pc$i"
  ip -n "$ns" link set "dstftpb-ps$i" up
  ip -n dstftpb-pxc link set "dstftpb-pc$i" up
  i=$((i + 1))
done

start() { # name, namespace, command...
  local name=$1 ns=$2
  shift 2
  timeout "$LIMIT" ip netns exec "$ns" "$@" >"$out/$name.log" 2>&1 &
  local wrapper=$!
  server_pids+=("$wrapper")
  for _ in $(seq 1 150); do
    if ip netns exec "$ns" ss -Hlun 'sport = :67' | grep -q .; then
      server_pid[$name]=$(awk '{print $1}' "/proc/$wrapper/task/$wrapper/children" 2>/dev/null)
      [[ -n ${server_pid[$name]} ]] || server_pid[$name]=$wrapper
      for dir in /sys/fs/cgroup/cpuacct /sys/fs/cgroup/unified /sys/fs/cgroup; do
        if [[ -d $dir && -w $dir ]] && mkdir -p "$dir/dstftpb-px-$name" 2>/dev/null &&
          echo "${server_pid[$name]}" >"$dir/dstftpb-px-$name/cgroup.procs" 2>/dev/null; then
          cgroup[$name]=$dir/dstftpb-px-$name
          break
        fi
      done
      echo "$name listening (pid ${server_pid[$name]}; CPU from ${cgroup[$name]:-nowhere}): $*"
      return
    fi
    sleep 0.2
  done
  echo "$name did not start listening on port 67; its log:" >&2
  cat "$out/$name.log" >&2
  exit 1
}

cpu_ns() {
  local group=${cgroup[$1]:-}
  if [[ -f $group/cpuacct.usage ]]; then
    cat "$group/cpuacct.usage"
  elif [[ -f $group/cpu.stat ]]; then
    echo $(($(awk '$1 == "usage_usec" {print $2}' "$group/cpu.stat") * 1000))
  else
    echo 0
  fi
}

start dhcpsharp dstftpb-pxd dotnet "$dll" serve --interface dstftpb-ps0 --proxy --tftp-root "$work/root" --http-port 18080
start dnsmasq dstftpb-pxm dnsmasq --no-daemon --conf-file=/dev/null --port=0 --interface=dstftpb-ps1 --bind-interfaces \
  --dhcp-range=10.236.0.68,proxy,255.255.255.252 --pxe-service=x86PC,"bench",undionly \
  --dhcp-leasefile="$work/dnsmasq.leases" --pid-file="$work/dnsmasq.pid"

probe() { # samples, output
  timeout $(($1 * 4 / RATE + 600)) ip netns exec dstftpb-pxc python3 "$here/probe.py" \
    --samples "$1" --warmup 0 --rate "$RATE" --out "$2" dhcpsharp=dstftpb-pc0 dnsmasq=dstftpb-pc1
}

sleep 3 # let dhcpsharp finish starting (JIT, Kestrel) before anything is counted
probe "$WARMUP" "$out/warmup.csv"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/load.txt"
cpu_split() { # "user system" in ticks (cgroup v1 cpuacct.stat), or "? ?"
  local group=${cgroup[$1]:-}
  if [[ -f $group/cpuacct.stat ]]; then awk '{printf "%s ", $2}' "$group/cpuacct.stat"; else echo "? ?"; fi
}
d0=$(cpu_ns dhcpsharp) m0=$(cpu_ns dnsmasq) t0=$(date +%s%N) ds0=$(cpu_split dhcpsharp) ms0=$(cpu_split dnsmasq)
probe "$SAMPLES" "$out/results.csv"
d1=$(cpu_ns dhcpsharp) m1=$(cpu_ns dnsmasq) t1=$(date +%s%N) ds1=$(cpu_split dhcpsharp) ms1=$(cpu_split dnsmasq)
echo "cpuacct.stat user/system ticks before → after: dhcpsharp $ds0→ $ds1, dnsmasq $ms0→ $ms1" | tee "$out/cpu-split.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
echo "server CPU per DISCOVER over the measured run ($(((t1 - t0) / 1000000000)) s, idle time included):" \
  "dhcpsharp $(((d1 - d0) / SAMPLES / 1000)) µs, dnsmasq $(((m1 - m0) / SAMPLES / 1000)) µs" | tee "$out/cpu.txt"

python3 "$here/summarize.py" "$out/results.csv" | tee "$out/summary.md"
