#!/usr/bin/env bash
# TFTP throughput: dhcpsharp vs tftpd-hpa vs dnsmasq, downloaded with atftp over veth pairs
# between network namespaces (dstftpb-*; 10.236.0.0/24). Each server runs for the whole
# benchmark in its own namespace (warm, as in production); the repetitions are interleaved
# (rep → windowsize → server, server order rotated every rep) so that machine noise hits all
# servers alike. Reports medians (MB/s, 1 MB = 10^6 bytes) and the server's CPU time per
# transfer (a cpuacct cgroup per server, so tftpd-hpa's forked per-transfer children count too).
#
# Usage (root):  bench/tftp/run.sh            # REPS=5 WINDOWS="1 4 16" SIZE_MIB=64 BLKSIZE=1468
#   DHCPSHARP_DLL=/path/dhcpsharp.dll  use this build instead of building src/DhcpSharp.Cli (Release)
#   OUT=dir                            keep results.csv, summary.md and the server logs there
# Needs: iproute2, atftp, tftpd-hpa (in.tftpd), dnsmasq, python3, the .NET SDK. Debian:
#   apt-get install iproute2 atftp tftpd-hpa dnsmasq-base   (do not enable the tftpd-hpa service)
set -euo pipefail

REPS=${REPS:-5}
WINDOWS=${WINDOWS:-"1 4 16"}
SIZE_MIB=${SIZE_MIB:-64}
BLKSIZE=${BLKSIZE:-1468}
LIMIT=${LIMIT:-3600} # seconds any server may live

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
if [[ $(id -u) -ne 0 ]]; then
  echo "bench/tftp/run.sh: needs root (network namespaces, port 69)" >&2
  exit 2
fi

for tool in ip atftp in.tftpd dnsmasq python3 cmp timeout; do
  command -v "$tool" >/dev/null || { echo "bench/tftp/run.sh: $tool is missing (apt-get install iproute2 atftp tftpd-hpa dnsmasq-base python3)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/dstftpb.XXXXXX)
chmod 755 "$work"
out=${OUT:-$work/out}
mkdir -p "$out"
root=$work/root
mkdir -p "$root"
chmod 755 "$root"

namespaces=(dstftpb-cli dstftpb-dsh dstftpb-hpa dstftpb-dnm)
server_pids=() # PIDs of the `timeout` wrappers; killing one ends its server
declare -A cgroup=()

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
  if [[ -n ${OUT:-} ]]; then rm -rf "$work"; else rm -rf "$root" "$work/out.bin"; echo "results kept in $out"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The dhcpsharp build to measure.
dll=${DHCPSHARP_DLL:-}
if [[ -z $dll ]]; then
  artifacts=${ARTIFACTS:-/tmp/dhcpsharp-bench-cli}
  echo "building src/DhcpSharp.Cli (Release) into $artifacts"
  timeout 900 dotnet build "$repo/src/DhcpSharp.Cli" -c Release --artifacts-path "$artifacts" -nologo -v quiet >/dev/null
  dll=$artifacts/bin/DhcpSharp.Cli/release/dhcpsharp.dll
fi
[[ -f $dll ]] || { echo "no $dll" >&2; exit 2; }

# --- network: one client namespace, one namespace per server, a veth pair (MTU 1500) to each.
for ns in "${namespaces[@]}"; do
  ip netns del "$ns" 2>/dev/null || true
  ip netns add "$ns"
  ip -n "$ns" link set lo up
done
declare -A server_ip
i=0
for name in dsh hpa dnm; do
  s=$((i * 4 + 1)) c=$((i * 4 + 2))
  ip link add "dstftpb-s$i" type veth peer name "dstftpb-c$i"
  ip link set "dstftpb-s$i" netns "dstftpb-$name"
  ip link set "dstftpb-c$i" netns dstftpb-cli
  ip -n "dstftpb-$name" addr add "10.236.0.$s/30" dev "dstftpb-s$i"
  ip -n dstftpb-cli addr add "10.236.0.$c/30" dev "dstftpb-c$i"
  ip -n "dstftpb-$name" link set "dstftpb-s$i" up
  ip -n dstftpb-cli link set "dstftpb-c$i" up
  server_ip[$name]=10.236.0.$s
  i=$((i + 1))
done

# --- files
head -c $((SIZE_MIB << 20)) /dev/urandom >"$root/big.bin"
head -c 100000 /dev/urandom >"$root/small.bin"
chmod 644 "$root"/*.bin
size=$((SIZE_MIB << 20))

# --- servers
declare -A server_pid   # the server process itself (child of timeout)
start() { # name, command...
  local name=$1
  shift
  timeout "$LIMIT" ip netns exec "dstftpb-$name" "$@" >"$out/$name.log" 2>&1 &
  local wrapper=$!
  server_pids+=("$wrapper")
  for _ in $(seq 1 150); do
    if ip netns exec "dstftpb-$name" ss -Hlun 'sport = :69' | grep -q .; then
      server_pid[$name]=$(cat "/proc/$wrapper/task/$wrapper/children" 2>/dev/null | awk '{print $1}')
      [[ -n ${server_pid[$name]} ]] || server_pid[$name]=$wrapper
      echo "$name listening (pid ${server_pid[$name]}): $*"
      return
    fi
    sleep 0.2
  done
  echo "$name did not start listening on port 69; its log:" >&2
  cat "$out/$name.log" >&2
  exit 1
}

start dsh dotnet "$dll" serve --interface dstftpb-s0 --proxy --tftp-root "$root" --http-port 18080
start hpa in.tftpd -L -s "$root" --address "${server_ip[hpa]}:69"
start dnm dnsmasq --no-daemon --conf-file=/dev/null --port=0 --enable-tftp --tftp-root="$root" \
  --interface=dstftpb-s2 --bind-interfaces --pid-file="$work/dnsmasq.pid"

# Server CPU time in ns. Preferred: a cpuacct cgroup per server (cgroup v1 cpuacct.usage or v2
# cpu.stat), which also counts tftpd-hpa's forked per-transfer children after they exit (it
# ignores SIGCHLD, so their time never reaches its cutime). Fallback: /proc/PID/stat
# utime+stime+cutime+cstime (10 ms ticks; misses tftpd-hpa's children).
hz=$(getconf CLK_TCK)
for name in dsh hpa dnm; do
  pid=${server_pid[$name]}
  for dir in /sys/fs/cgroup/cpuacct /sys/fs/cgroup/unified /sys/fs/cgroup; do
    if [[ -d $dir && -w $dir ]] && mkdir -p "$dir/dstftpb-$name" 2>/dev/null && echo "$pid" >"$dir/dstftpb-$name/cgroup.procs" 2>/dev/null; then
      cgroup[$name]=$dir/dstftpb-$name
      break
    fi
  done
  echo "$name CPU accounting: ${cgroup[$name]:-/proc/$pid/stat}"
done
cpu_ns() { # server name
  local group=${cgroup[$1]:-} stat rest
  if [[ -n $group && -f $group/cpuacct.usage ]]; then
    cat "$group/cpuacct.usage"
  elif [[ -n $group && -f $group/cpu.stat ]]; then
    echo $(($(awk '$1 == "usage_usec" {print $2}' "$group/cpu.stat") * 1000))
  else
    stat=$(cat "/proc/${server_pid[$1]}/stat")
    rest=${stat##*) }
    read -ra f <<<"$rest"
    echo $(((f[11] + f[12] + f[13] + f[14]) * 1000000000 / hz))
  fi
}

fetch() { # server, windowsize, remote file, local file, extra atftp args...
  local name=$1 window=$2 remote=$3 local=$4
  shift 4
  timeout 600 ip netns exec dstftpb-cli atftp --get -r "$remote" -l "$local" \
    --option "blksize $BLKSIZE" --option "windowsize $window" "$@" "${server_ip[$name]}" 69
}

# --- what each server negotiates (atftp --trace on a small file)
{
  echo "negotiation (atftp --trace, blksize $BLKSIZE, tsize 0):"
  for name in dsh hpa dnm; do
    for window in $WINDOWS; do
      # The whole trace first: grep -m1 on a pipe would kill atftp mid-transfer (SIGPIPE).
      trace=$(fetch "$name" "$window" small.bin /dev/null --option "tsize 0" --trace 2>&1 || true)
      echo "  $name windowsize $window: $(grep -m1 -E "received (OACK|DATA)" <<<"$trace")"
    done
  done
  trace=$(timeout 60 ip netns exec dstftpb-cli atftp --trace --get -r small.bin -l /dev/null --option "blksize 8192" "${server_ip[dsh]}" 69 2>&1 || true)
  echo "  dsh blksize 8192 on a 1500-byte MTU link: $(grep -m1 "received OACK" <<<"$trace")"
} | tee "$out/negotiation.txt"

# --- warm-up: one full transfer per server (JIT, page cache), checked byte for byte
for name in dsh hpa dnm; do
  fetch "$name" 16 big.bin "$work/out.bin" >/dev/null 2>&1
  cmp -s "$work/out.bin" "$root/big.bin" || { echo "warm-up download from $name differs" >&2; exit 1; }
  rm -f "$work/out.bin"
done

# --- measured, interleaved
echo "rep,windowsize,server,seconds,mb_per_s,server_cpu_ms" >"$out/results.csv"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/load.txt"
order=(dsh hpa dnm)
for rep in $(seq 1 "$REPS"); do
  for window in $WINDOWS; do
    for name in "${order[@]}"; do
      c0=$(cpu_ns "$name")
      t0=$(date +%s%N)
      fetch "$name" "$window" big.bin "$work/out.bin" >/dev/null 2>&1 || { echo "atftp from $name (windowsize $window) failed" >&2; exit 1; }
      t1=$(date +%s%N)
      sleep 0.3 # lets tftpd-hpa's per-transfer child exit
      c1=$(cpu_ns "$name")
      cmp -s "$work/out.bin" "$root/big.bin" || { echo "download from $name (windowsize $window) differs" >&2; exit 1; }
      rm -f "$work/out.bin"
      python3 -c "import sys; s=($t1-$t0)/1e9; print(f'$rep,$window,$name,{s:.3f},{$size/s/1e6:.1f},{($c1-$c0)/1e6:.1f}')" | tee -a "$out/results.csv"
    done
  done
  order=("${order[@]:1}" "${order[0]}") # rotate who goes first
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"

python3 "$here/summarize.py" "$out/results.csv" | tee "$out/summary.md"
