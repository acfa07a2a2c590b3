#!/usr/bin/env bash
# lib.sh - shared settings and functions of the DHCP load benchmark (sourced, never run).
#
#   netns $DSP_NS_SRV                          netns $DSP_NS_CLI
#   +--------------------------+   veth      +--------------------------+
#   | dsperf-s0 10.237.0.1/16  |<----------->| dsperf-c0 10.237.0.2/16  |
#   | server under test        |             | perfdhcp (a relay:       |
#   | (pinned to $DSP_SRV_CPU) |             |  giaddr 10.237.0.2, :67) |
#   +--------------------------+             +--------------------------+
#
# Ground rules: traffic stays inside the two namespaces this benchmark creates (the veth pair
# is created directly inside them, so it never exists in the host namespace); every process
# runs under `timeout` and is stopped by the PID it recorded, never by name; the namespaces
# are deleted on exit (dsp_cleanup, installed as an EXIT trap by the scripts).
set -o pipefail

DSP_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DSP_REPO=$(cd "$DSP_HERE/../.." && pwd)

DSP_SUFFIX=${DSP_SUFFIX:-}
DSP_NS_SRV=dsperf-srv$DSP_SUFFIX
DSP_NS_CLI=dsperf-cli$DSP_SUFFIX
DSP_IF_SRV=dsperf-s0          # interface names live inside the namespaces: no clash possible
DSP_IF_CLI=dsperf-c0
DSP_SRV_IP=10.237.0.1
DSP_CLI_IP=10.237.0.2         # perfdhcp's relay address (giaddr); replies go to its port 67
DSP_NET=10.237.0.0
DSP_PLEN=16
DSP_NETMASK=255.255.0.0
# 65,279 addresses: 10.237.1.0 .. 10.237.255.254, room for perfdhcp's 50,000 clients
DSP_POOL_START=10.237.1.0
DSP_POOL_END=10.237.255.254
DSP_LEASE_SECS=${DSP_LEASE_SECS:-3600}

DSP_SRV_CPU=${DSP_SRV_CPU:-0}     # the server gets one CPU ...
DSP_CLI_CPU=${DSP_CLI_CPU:-1}     # ... and perfdhcp the other
DSP_CLIENTS=${DSP_CLIENTS:-50000} # perfdhcp -R: distinct simulated clients
DSP_PERIOD=${DSP_PERIOD:-20}      # seconds of one measured perfdhcp run
# Unmeasured load before the measured run, for the servers that JIT-compile (.NET tiered
# compilation costs ~1-2 s of CPU in the first ~30 s). The C servers have nothing to warm up, and
# pre-loading dnsmasq's lease file would make its per-ACK rewrite dearer, so they start cold.
DSP_WARMUP_SERVERS=${DSP_WARMUP_SERVERS:-dhcpsharp}
DSP_WARMUP_SECS=${DSP_WARMUP_SECS:-15}
DSP_WARMUP_RATE=${DSP_WARMUP_RATE:-300}
DSP_SERVER_MAX_LIFE=${DSP_SERVER_MAX_LIFE:-300}   # hard bound on any server process (s)

# State (configs, lease files, logs) must be on disk, not tmpfs: fsync cost is part of the test.
DSP_WORK=${DSP_WORK:-/var/tmp/dsperf$DSP_SUFFIX}
DSP_RUN=$DSP_WORK/run
DSP_RESULTS=${DSP_RESULTS:-$DSP_WORK/results}
DSP_ARTIFACTS=${DSP_ARTIFACTS:-/tmp/helper-perf-art}
DSP_DLL=${DSP_DLL:-$DSP_ARTIFACTS/bin/DhcpSharp.Cli/release/dhcpsharp.dll}
DSP_PYTHON=${DSP_PYTHON:-python3}

DSP_ALL_SERVERS="dhcpsharp kea dhcpd dnsmasq"

dsp_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
dsp_die() { dsp_log "ERROR: $*"; exit 1; }
dsp_need_root() { [ "$(id -u)" = 0 ] || dsp_die "must run as root (namespaces, port 67, raw sockets)"; }
dsp_ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$1"; }

# Debian packages: perfdhcp (kea-admin), the three peers. apt may start their system services
# in the host namespace: stop them (they would not disturb the namespaces, but cost CPU).
dsp_install_deps() {
  local missing=() p
  for p in kea-dhcp4-server kea-admin isc-dhcp-server dnsmasq iproute2 time sqlite3 gcc libc6-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    dsp_log "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || dsp_die "apt-get install failed"
    if command -v systemctl >/dev/null; then
      for p in kea-dhcp4-server isc-dhcp-server dnsmasq; do
        systemctl is-active --quiet "$p" 2>/dev/null && systemctl stop "$p" 2>/dev/null
      done
    fi
  fi
  command -v perfdhcp >/dev/null || dsp_die "perfdhcp missing (package kea-admin)"
  dsp_build_shim
}

# perfdhcp's receive buffer (see rcvbuf-shim.c): built once per run into $DSP_WORK.
DSP_SHIM=${DSP_SHIM:-$DSP_WORK/rcvbuf-shim.so}
DSP_PERFDHCP_RCVBUF=${DSP_PERFDHCP_RCVBUF:-4194304}
export DSP_PERFDHCP_RCVBUF
dsp_build_shim() {
  mkdir -p "$DSP_WORK"
  gcc -O2 -shared -fPIC -o "$DSP_SHIM" "$DSP_HERE/rcvbuf-shim.c" -ldl || dsp_die "cannot build $DSP_HERE/rcvbuf-shim.c"
}

dsp_build() {
  if [ "${DSP_SKIP_BUILD:-0}" = 1 ] && [ -f "$DSP_DLL" ]; then return 0; fi
  dsp_log "building src/DhcpSharp.Cli (Release) into $DSP_ARTIFACTS"
  (cd "$DSP_REPO" && timeout 900 dotnet build src/DhcpSharp.Cli -c Release --artifacts-path "$DSP_ARTIFACTS" -v q -nologo >"$DSP_WORK/build.log" 2>&1) \
    || { tail -30 "$DSP_WORK/build.log"; dsp_die "build failed"; }
  [ -f "$DSP_DLL" ] || dsp_die "no $DSP_DLL after the build"
}

dsp_netns_up() {
  dsp_ns_exists "$DSP_NS_SRV" && dsp_die "namespace $DSP_NS_SRV exists (another run?): set DSP_SUFFIX or delete it"
  dsp_ns_exists "$DSP_NS_CLI" && dsp_die "namespace $DSP_NS_CLI exists (another run?): set DSP_SUFFIX or delete it"
  ip netns add "$DSP_NS_SRV" && DSP_OWN_NS=1
  ip netns add "$DSP_NS_CLI"
  ip link add "$DSP_IF_SRV" netns "$DSP_NS_SRV" type veth peer name "$DSP_IF_CLI" netns "$DSP_NS_CLI"
  local ns
  for ns in "$DSP_NS_SRV" "$DSP_NS_CLI"; do
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1   # per-namespace sysctl
  done
  ip -n "$DSP_NS_SRV" addr add "$DSP_SRV_IP/$DSP_PLEN" brd + dev "$DSP_IF_SRV"
  ip -n "$DSP_NS_CLI" addr add "$DSP_CLI_IP/$DSP_PLEN" brd + dev "$DSP_IF_CLI"
  ip -n "$DSP_NS_SRV" link set "$DSP_IF_SRV" txqueuelen 10000 up
  ip -n "$DSP_NS_CLI" link set "$DSP_IF_CLI" txqueuelen 10000 up
  timeout 5 bash -c "until ip -n $DSP_NS_CLI link show $DSP_IF_CLI | grep -q LOWER_UP && ip -n $DSP_NS_SRV link show $DSP_IF_SRV | grep -q LOWER_UP; do sleep 0.1; done" \
    || dsp_die "veth did not come up"
  dsp_log "netns up: $DSP_NS_SRV/$DSP_IF_SRV $DSP_SRV_IP <-> $DSP_NS_CLI/$DSP_IF_CLI $DSP_CLI_IP"
}

# Stop a pid this benchmark started: TERM, wait up to 5 s, then KILL.
dsp_kill_pid() {
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  sleep 0.2
}

# EXIT trap: stop recorded servers, then anything left inside our namespaces (by PID), then
# delete the namespaces (only those this run created).
dsp_cleanup() {
  local f p ns
  for f in "$DSP_RUN"/*/server.pid "$DSP_RUN"/*/timeout.pid; do
    [ -f "$f" ] && { dsp_kill_pid "$(cat "$f")"; rm -f "$f"; }
  done
  [ "${DSP_OWN_NS:-0}" = 1 ] || return 0
  for ns in "$DSP_NS_CLI" "$DSP_NS_SRV"; do
    dsp_ns_exists "$ns" || continue
    for p in $(ip netns pids "$ns" 2>/dev/null); do dsp_kill_pid "$p"; done
    ip netns del "$ns" 2>/dev/null && dsp_log "deleted netns $ns"
  done
  DSP_OWN_NS=0
}

# utime+stime of all threads of a pid, in clock ticks (integer).
dsp_cpu_ticks() { [ -r "/proc/$1/stat" ] && sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12+$13}' || echo NA; }
dsp_hz() { getconf CLK_TCK; }
# Context switches summed over the live threads: "voluntary nonvoluntary".
dsp_ctxsw() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt/{v+=$2} /^nonvoluntary_ctxt/{n+=$2} END{print v+0, n+0}'; }
# Udp: counters of a namespace, as "InDatagrams RcvbufErrors InErrors".
dsp_udp() { ip netns exec "$1" awk '/^Udp:/{n++; if(n==2) print $2, $6, $4}' /proc/net/snmp; }

# The real server pid = the only child of the `timeout` wrapper (ip netns exec and taskset exec).
dsp_child_of() {
  local ppid=$1 i c
  for i in $(seq 50); do
    c=$(cat /proc/"$ppid"/task/*/children 2>/dev/null | awk '{print $1}' | head -1)
    [ -n "$c" ] && { echo "$c"; return 0; }
    sleep 0.1
  done
  return 1
}

# dsp_start NAME: fresh state dir, minimal config, start in the server namespace pinned to
# $DSP_SRV_CPU under timeout; ready when its pid owns UDP :67. Sets DSP_SPID.
dsp_start() {
  local name=$1 d=$DSP_RUN/$1 cmd
  dsp_stop "$name"
  rm -rf "$d"; mkdir -p "$d"
  case "$(dsp_base "$name")" in
  dhcpsharp)
    # Lease DB on disk; SQLite WAL + synchronous=FULL, each ACK waits for its group commit.
    cmd=(dotnet "$DSP_DLL" serve --interface "$DSP_IF_SRV" --subnet "$DSP_NET/$DSP_PLEN"
         --range "$DSP_POOL_START-$DSP_POOL_END" --router "$DSP_SRV_IP"
         --lease-time "$DSP_LEASE_SECS" --leases "$d/leases.db")
    ;;
  kea)
    # memfile, persist=true: appends each lease to a CSV file (no fsync), LFC off.
    cat > "$d/kea-dhcp4.json" <<JSON
{ "Dhcp4": {
    "interfaces-config": { "interfaces": [ "$DSP_IF_SRV" ], "dhcp-socket-type": "raw" },
    "lease-database": { "type": "memfile", "persist": true, "name": "$d/kea-leases4.csv", "lfc-interval": 0 },
    "valid-lifetime": $DSP_LEASE_SECS, "renew-timer": $((DSP_LEASE_SECS/2)), "rebind-timer": $((DSP_LEASE_SECS*7/8)),
    "authoritative": true,
    "subnet4": [ { "id": 1, "subnet": "$DSP_NET/$DSP_PLEN",
                   "pools": [ { "pool": "$DSP_POOL_START - $DSP_POOL_END" } ],
                   "option-data": [ { "name": "routers", "data": "$DSP_SRV_IP" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "WARN", "output_options": [ { "output": "$d/kea.log" } ] } ]
} }
JSON
    export KEA_PIDFILE_DIR=$d KEA_LOCKFILE_DIR=$d
    # no -p/-P: Kea then answers relays on giaddr:67, where perfdhcp listens
    cmd=(kea-dhcp4 -c "$d/kea-dhcp4.json")
    ;;
  dhcpd)
    # ISC dhcpd writes and fsyncs its lease file (it batches a few ACKs per fsync).
    cat > "$d/dhcpd.conf" <<CONF
authoritative;
ddns-update-style none;
ping-check false;
default-lease-time $DSP_LEASE_SECS;
max-lease-time $DSP_LEASE_SECS;
subnet $DSP_NET netmask $DSP_NETMASK {
  range $DSP_POOL_START $DSP_POOL_END;
  option routers $DSP_SRV_IP;
}
CONF
    touch "$d/dhcpd.leases"
    # -f foreground; no -d: per-packet logging to stderr would dominate its CPU
    cmd=(dhcpd -4 -f -q -cf "$d/dhcpd.conf" -lf "$d/dhcpd.leases" -pf "$d/dhcpd.pid" "$DSP_IF_SRV")
    ;;
  dnsmasq)
    # dnsmasq rewrites and fsyncs its whole lease file after lease changes.
    touch "$d/dnsmasq.leases"
    cmd=(dnsmasq --no-daemon --conf-file=/dev/null --port=0 --no-resolv --no-hosts
         --interface="$DSP_IF_SRV" --bind-interfaces --except-interface=lo
         --dhcp-range="$DSP_POOL_START,$DSP_POOL_END,$DSP_NETMASK,${DSP_LEASE_SECS}s"
         --dhcp-option=option:router,"$DSP_SRV_IP" --dhcp-leasefile="$d/dnsmasq.leases"
         --dhcp-lease-max=70000 --dhcp-authoritative --no-ping --quiet-dhcp
         --log-facility="$d/dnsmasq.log" --pid-file="$d/dnsmasq.pid" --user=root --group=root)
    ;;
  *) dsp_die "unknown server $name";;
  esac
  printf '%q ' "${cmd[@]}" > "$d/cmdline"; echo >> "$d/cmdline"
  setsid timeout -k 3 "$DSP_SERVER_MAX_LIFE" ip netns exec "$DSP_NS_SRV" taskset -c "$DSP_SRV_CPU" "${cmd[@]}" \
    > "$d/stdout.log" 2> "$d/stderr.log" < /dev/null &
  echo $! > "$d/timeout.pid"
  DSP_SPID=$(dsp_child_of "$(cat "$d/timeout.pid")") || { cat "$d/stderr.log"; dsp_die "$name did not start"; }
  echo "$DSP_SPID" > "$d/server.pid"
  local i
  for i in $(seq 300); do
    kill -0 "$DSP_SPID" 2>/dev/null || { tail -20 "$d/stderr.log" "$d/stdout.log"; dsp_die "$name exited early"; }
    ip netns exec "$DSP_NS_SRV" ss -lunp 2>/dev/null | grep -Eq ":67[[:space:]].*pid=$DSP_SPID," && return 0
    sleep 0.1
  done
  dsp_die "$name (pid $DSP_SPID) owns no UDP :67 socket after 30 s"
}

dsp_stop() {
  local d=$DSP_RUN/$1
  [ -f "$d/server.pid" ] && { dsp_kill_pid "$(cat "$d/server.pid")"; rm -f "$d/server.pid"; }
  [ -f "$d/timeout.pid" ] && { dsp_kill_pid "$(cat "$d/timeout.pid")"; rm -f "$d/timeout.pid"; }
  return 0
}

# perfdhcp in the client namespace, pinned, bounded; output to $3. $4 = "stock": perfdhcp as
# Debian ships it (its default receive buffer, like a real relay agent); otherwise with the
# 4 MiB receive buffer of rcvbuf-shim.c.
dsp_perfdhcp() {
  local rate=$1 secs=$2 out=$3 mode=${4:-tuned} preload=$DSP_SHIM
  [ "$mode" = stock ] && preload=
  ip netns exec "$DSP_NS_CLI" taskset -c "$DSP_CLI_CPU" \
    /usr/bin/time -f '# perfdhcp_cpu user=%U sys=%S wall=%e' \
    timeout -k 2 $((secs + 15)) \
    env LD_PRELOAD="$preload" perfdhcp -4 -l "$DSP_IF_CLI" -r "$rate" -R "$DSP_CLIENTS" -p "$secs" -d 1 -W 1000000 "$DSP_SRV_IP" > "$out" 2>&1
}

# A server name may carry a rig variant: "kea@stock" is Kea measured with stock perfdhcp.
dsp_base() { echo "${1%@*}"; }
dsp_mode() { case "$1" in *@stock) echo stock;; *) echo tuned;; esac; }

# dsp_measure SERVER RATE TAG: fresh server, warm-up, one measured run of $DSP_PERIOD s.
# Appends the raw output to $DSP_RESULTS/raw/ and one key=value line to $DSP_RESULTS/runs.log
# (and prints it).
dsp_measure() {
  local server=$1 rate=$2 tag=$3 raw hz c0 c1 u0 u1 uc0 uc1 x0 x1 l0 s0 s1 rss hwm alive
  mkdir -p "$DSP_RESULTS/raw"
  raw=$DSP_RESULTS/raw/$tag-$server-r$rate-$(date +%H%M%S).txt
  local base mode
  base=$(dsp_base "$server"); mode=$(dsp_mode "$server")
  dsp_start "$server"
  local spid=$DSP_SPID
  if [ "$DSP_WARMUP_SECS" -gt 0 ] && [[ " $DSP_WARMUP_SERVERS " == *" $base "* ]]; then
    dsp_perfdhcp "$DSP_WARMUP_RATE" "$DSP_WARMUP_SECS" "$raw.warmup" "$mode"
  fi
  hz=$(dsp_hz)
  l0=$(cut -d' ' -f1-3 /proc/loadavg)
  u0=$(dsp_udp "$DSP_NS_SRV"); uc0=$(dsp_udp "$DSP_NS_CLI"); x0=$(dsp_ctxsw "$spid")
  s0=$(grep -E '^cpu[0-9]+ ' /proc/stat)
  c0=$(dsp_cpu_ticks "$spid")
  dsp_perfdhcp "$rate" "$DSP_PERIOD" "$raw" "$mode"
  local rc=$?
  c1=$(dsp_cpu_ticks "$spid")
  s1=$(grep -E '^cpu[0-9]+ ' /proc/stat)
  u1=$(dsp_udp "$DSP_NS_SRV"); uc1=$(dsp_udp "$DSP_NS_CLI"); x1=$(dsp_ctxsw "$spid")
  rss=$(awk '/^VmRSS/{print $2}' "/proc/$spid/status" 2>/dev/null)
  hwm=$(awk '/^VmHWM/{print $2}' "/proc/$spid/status" 2>/dev/null)
  alive=yes; kill -0 "$spid" 2>/dev/null || alive=no
  local cpubusy
  cpubusy=$(paste <(echo "$s0") <(echo "$s1") | awk '
    {n=NF/2; t0=0; t1=0; for(i=2;i<=n;i++){t0+=$i; t1+=$(i+n)}
     id=($(5+n)+$(6+n))-($5+$6); st=$(9+n)-$9; tot=t1-t0; if(tot<=0) tot=1
     printf "%s%s:%.0f%%/st%.0f%%", (NR>1?",":""), $1, 100*(tot-id)/tot, 100*st/tot}')
  dsp_stop "$server"
  # dhcpsharp logs its lease-store totals when it stops (SIGTERM): transactions = fsyncs
  local commits=NA writes=NA
  if [ "$base" = dhcpsharp ]; then
    commits=$(sed -n 's/.*lease store flushed (\([0-9]*\) commits, \([0-9]*\) lease writes.*/\1/p' "$DSP_RUN/$server/stdout.log" "$DSP_RUN/$server/stderr.log" | tail -1)
    writes=$(sed -n 's/.*lease store flushed (\([0-9]*\) commits, \([0-9]*\) lease writes.*/\2/p' "$DSP_RUN/$server/stdout.log" "$DSP_RUN/$server/stderr.log" | tail -1)
  fi
  {
    echo "# server=$server rig=$mode rate=$rate period=$DSP_PERIOD tag=$tag warmup=$( [ -f "$raw.warmup" ] && echo "${DSP_WARMUP_SECS}s@$DSP_WARMUP_RATE" || echo none) cmd=$(cat "$DSP_RUN/$server/cmdline")"
    echo "# perfdhcp_rc=$rc srv_ticks=$c0,$c1 hz=$hz load=${l0// /,} cpubusy=$cpubusy"
    echo "# srv_udp0=${u0// /,} srv_udp1=${u1// /,} cli_udp0=${uc0// /,} cli_udp1=${uc1// /,} ctxsw0=${x0// /,} ctxsw1=${x1// /,}"
    echo "# rss_kib=${rss:-NA} hwm_kib=${hwm:-NA} alive=$alive commits=${commits:-NA} writes=${writes:-NA}"
  } >> "$raw"
  "$DSP_PYTHON" "$DSP_HERE/parse_run.py" "$raw" "$tag" | tee -a "$DSP_RESULTS/runs.log"
}
