#!/usr/bin/env bash
# make-client-captures.sh - regenerate the non-QEMU golden DHCP captures.
#
# Real DHCP clients (busybox udhcpc, ISC dhclient, dhcpcd) and ISC dhcrelay talk
# to dnsmasq inside private network namespaces; dumpcap records the exchanges as
# classic libpcap files (capture filter: UDP 67/68/4011 only).
#
# Output (default: tests/DhcpSharp.Protocol.Tests/Captures/ of this repo):
#   udhcpc-dnsmasq.pcap   udhcpc: DISCOVER/OFFER/REQUEST/ACK, renew (SIGUSR1), release (SIGUSR2)
#   dhclient-dnsmasq.pcap dhclient: obtain, T1 renew (unicast), INIT-REBOOT request, release (-r)
#   dhcpcd-dnsmasq.pcap   dhcpcd: obtain (DUID client id, FQDN), renew (-N), release (-k)
#   relay-dhcrelay.pcap   udhcpc behind dhcrelay -a, captured on the server side link
#                         (giaddr + option 82 circuit-id), renew/release routed unicast
#   cooked-any.pcap       udhcpc obtain + release captured on the "any" pseudo-interface
#                         (Linux cooked capture, DLT_LINUX_SLL = linktype 113)
#
# Usage (root): tools/captures/make-client-captures.sh [OUTPUT_DIR]
#
# Safety: every interface is created inside namespaces named dsc-<pid>-*; nothing
# is created in, or sent on, the host's own network namespace. Every command runs
# under `timeout`; background processes are tracked by PID and killed by PID, and
# the namespaces are deleted by an EXIT trap. Addresses: 10.231.0.0/16 only.
# Files written outside OUTPUT_DIR: a private temporary directory under /tmp
# (removed on exit unless DSC_KEEP_TMP=1). dhcpcd runs in a private mount
# namespace with tmpfs over /run and /var/lib/dhcpcd, so it leaves nothing behind.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT_DIR=${1:-$SCRIPT_DIR/../../tests/DhcpSharp.Protocol.Tests/Captures}
STEP_T=${DSC_STEP_TIMEOUT:-15}   # bound for short commands (ip, sysctl, tshark ...)
BG_T=${DSC_BG_TIMEOUT:-180}      # bound for background processes (servers, clients, dumpcap)
FILTER='udp port 67 or udp port 68 or udp port 4011'

NSP="dsc-$$"
NS_SRV=$NSP-srv NS_CLI=$NSP-cli                 # direct: server <-> client
NS_RSV=$NSP-rsv NS_RLY=$NSP-rly NS_RCL=$NSP-rcl # relay: server <-> relay <-> client

CREATED_NS=()
PIDS=()
TMP=""

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
t()   { timeout "$STEP_T" "$@"; }            # short, bounded command
nsx() { local ns=$1; shift; t ip netns exec "$ns" "$@"; }

for c in ip dnsmasq udhcpc dhclient dhcpcd dhcrelay dumpcap tshark capinfos timeout; do
    command -v "$c" >/dev/null || die "missing command: $c"
done
[[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces)"

# ---------------------------------------------------------------- cleanup
stop_pid() {   # stop one process we started (by PID), TERM then KILL
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$? i ns p
    trap - EXIT INT TERM
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[i]}"; done
    for ns in "${CREATED_NS[@]}"; do
        # Anything still inside one of *our* namespaces was started by this script.
        for p in $(timeout 5 ip netns pids "$ns" 2>/dev/null); do
            log "warning: leftover pid $p in $ns, killing it"
            kill -KILL "$p" 2>/dev/null || true
        done
        timeout 10 ip netns del "$ns" 2>/dev/null || log "warning: could not delete netns $ns"
    done
    if [[ -n $TMP && -d $TMP ]]; then
        if [[ ${DSC_KEEP_TMP:-0} == 1 || $rc -ne 0 ]]; then log "work files kept in $TMP"; else rm -rf "$TMP"; fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- helpers
bg() {   # bg NAME CMD... : start a bounded background process, record its PID in BG_PID
    local name=$1; shift
    timeout "$BG_T" "$@" >"$TMP/$name.out" 2>&1 &
    BG_PID=$!
    PIDS+=("$BG_PID")
}

wait_until() {   # wait_until SECONDS CMD... : poll CMD every 0.2 s
    local deadline=$((SECONDS + $1)); shift
    until "$@" 2>/dev/null; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

new_ns() {
    t ip netns add "$1"
    CREATED_NS+=("$1")
    nsx "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    t ip -n "$1" link set lo up
}

set_mac() {   # set_mac NS IFACE MAC
    t ip -n "$1" link set "$2" down
    t ip -n "$1" link set "$2" address "$3"
    t ip -n "$1" link set "$2" up
}

start_capture() {   # start_capture NS IFACE FILE [LINKTYPE] ; sets CAP_PID
    local ns=$1 ifc=$2 file=$3 lt=${4:-}
    bg "cap-$(basename "$file" .pcap)" ip netns exec "$ns" dumpcap -P -i "$ifc" ${lt:+-y "$lt"} -f "$FILTER" -w "$file"
    CAP_PID=$BG_PID
    wait_until 20 grep -q 'Capturing on' "$TMP/cap-$(basename "$file" .pcap).out" \
        || die "dumpcap did not start: $(cat "$TMP/cap-$(basename "$file" .pcap).out")"
    sleep 0.5
}

stop_capture() {   # stop_capture PID : SIGINT (forwarded by timeout) -> dumpcap flushes and exits
    sleep 0.5
    kill -INT "$1" 2>/dev/null || true
    wait_until 10 bash -c "! kill -0 $1" || true
    stop_pid "$1"
}

start_dnsmasq() {   # start_dnsmasq NAME NS IFACE DNSMASQ-OPTIONS... ; sets DNSMASQ_LOG
    local name=$1 ns=$2 ifc=$3; shift 3
    DNSMASQ_LOG=$TMP/$name.log
    : >"$DNSMASQ_LOG"
    bg "$name" ip netns exec "$ns" dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root \
        --port=0 --no-resolv --no-hosts --pid-file= --interface="$ifc" --bind-interfaces \
        --dhcp-authoritative --no-ping --log-dhcp --log-facility="$DNSMASQ_LOG" \
        --dhcp-leasefile="$TMP/$name.leases" "$@"
    wait_until 20 bash -c "timeout 5 ip netns exec $ns ss -Hlun 'sport = :67' | grep -q ." \
        || die "dnsmasq ($name) did not start: $(cat "$TMP/$name.out" "$DNSMASQ_LOG")"
}

count_log() {   # count_log LOGFILE WORD MAC : number of dnsmasq log lines "WORD(iface) ... MAC"
    grep -c -i -E "$2\([^)]*\) .*$3" "$1" || true
}
log_ge() { [[ $(count_log "$1" "$2" "$3") -ge $4 ]]; }

summarize() {   # summarize FILE : print linktype + DHCP message types; fail if not classic pcap
    local f=$1 magic
    magic=$(xxd -p -l 4 "$f")
    [[ $magic == d4c3b2a1 || $magic == a1b2c3d4 ]] || die "$f is not classic pcap (magic $magic)"
    log "$(basename "$f"): $(stat -c %s "$f") bytes, $(capinfos -T -r -E "$f" 2>/dev/null | cut -f2), $(t tshark -r "$f" -Y dhcp -T fields -e dhcp.option.dhcp 2>/dev/null | sort | uniq -c | awk '
        BEGIN { n[1]="DISCOVER"; n[2]="OFFER"; n[3]="REQUEST"; n[4]="DECLINE"; n[5]="ACK"; n[6]="NAK"; n[7]="RELEASE"; n[8]="INFORM" }
        { printf "%s%s x%d", (NR > 1 ? ", " : ""), n[$2], $1 }')"
}

require_types() {   # require_types FILE TYPE... : each DHCP message type number must be present
    local f=$1 ty; shift
    for ty in "$@"; do
        [[ $(t tshark -r "$f" -Y "dhcp.option.dhcp == $ty" 2>/dev/null | wc -l) -ge 1 ]] \
            || die "$(basename "$f"): DHCP message type $ty missing"
    done
}

# ---------------------------------------------------------------- setup
TMP=$(mktemp -d /tmp/dsc-captures.XXXXXX)
chmod 755 "$TMP"
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
log "work dir $TMP, output $OUT_DIR"

# Client hook scripts: configure only the namespace's interface (no resolv.conf, no hostname).
cat >"$TMP/udhcpc.hook" <<'EOF'
#!/bin/sh
case "$1" in
    deconfig) ip -4 addr flush dev "$interface" ;;
    bound|renew)
        ip addr replace "$ip/${mask:-24}" dev "$interface"
        [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
        ;;
esac
exit 0
EOF
cat >"$TMP/dhclient.hook" <<'EOF'
#!/bin/sh
case "$reason" in
    PREINIT) ip link set "$interface" up ;;
    BOUND|RENEW|REBIND|REBOOT) ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
    EXPIRE|FAIL|RELEASE|STOP) ip -4 addr flush dev "$interface" ;;
esac
exit 0
EOF
printf '#!/bin/sh\nexit 0\n' >"$TMP/noop.hook"
chmod 755 "$TMP"/*.hook

cat >"$TMP/dhclient.conf" <<'EOF'
send host-name "dsc-dhclient";
send dhcp-client-identifier 1:02:dc:5c:03:00:01;
request subnet-mask, broadcast-address, time-offset, routers, domain-name,
        domain-name-servers, domain-search, host-name, interface-mtu, ntp-servers;
EOF

cat >"$TMP/dhcpcd.conf" <<'EOF'
duid
vendorclassid
hostname dsc-dhcpcd
fqdn both
option domain_name_servers, domain_name, domain_search, host_name
option classless_static_routes, interface_mtu, ntp_servers
require dhcp_server_identifier
ipv4only
noipv4ll
EOF

# dhcpcd runs inside its own mount namespace (ip netns exec already makes one,
# slave to the host) with tmpfs over /run and a private /var/lib/dhcpcd.
cat >"$TMP/dhcpcd.run" <<'EOF'
#!/bin/bash
# args: TMP IFACE DNSMASQ_LOG MAC
set -u
TMP=$1 IFC=$2 LOGF=$3 MAC=$4
mount -t tmpfs dsc-run /run || exit 2
mkdir -p "$TMP/dhcpcd-db" && mount --bind "$TMP/dhcpcd-db" /var/lib/dhcpcd || exit 2
# fixed DUID-LL so the client identifier is reproducible
echo "00:03:00:01:$MAC" >/var/lib/dhcpcd/duid
acks_ge() { [ "$(grep -c -i -E "DHCPACK\([^)]*\) .*$MAC" "$LOGF")" -ge "$1" ]; }
waitfor() { local d=$((SECONDS + $1)); shift; until "$@"; do ((SECONDS < d)) || return 1; sleep 0.2; done; }
timeout 120 dhcpcd -B -f "$TMP/dhcpcd.conf" -c "$TMP/noop.hook" "$IFC" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
waitfor 40 acks_ge 1 || { echo "dhcpcd: no lease"; exit 1; }
sleep 3
timeout 10 dhcpcd -N "$IFC"                      # renew
waitfor 20 acks_ge 2 || { echo "dhcpcd: no renew"; exit 1; }
sleep 1
timeout 20 dhcpcd -k "$IFC"                      # release
waitfor 20 grep -q -i "DHCPRELEASE.*$MAC" "$LOGF" || { echo "dhcpcd: no release"; exit 1; }
timeout 10 dhcpcd -x "$IFC" 2>/dev/null
waitfor 10 bash -c "! kill -0 $pid 2>/dev/null" || kill -TERM $pid
wait $pid 2>/dev/null
trap - EXIT
exit 0
EOF
chmod 755 "$TMP/dhcpcd.run"

# Direct topology: NS_SRV dsc-s0 10.231.1.1/24 <-veth-> NS_CLI dsc-c0
new_ns "$NS_SRV"
new_ns "$NS_CLI"
t ip -n "$NS_SRV" link add dsc-s0 address 02:dc:5c:01:00:01 type veth peer name dsc-c0 netns "$NS_CLI"
t ip -n "$NS_SRV" addr add 10.231.1.1/24 dev dsc-s0
t ip -n "$NS_SRV" link set dsc-s0 up
t ip -n "$NS_CLI" link set dsc-c0 up

# Short T1/T2 so a real RENEWING-state request happens within seconds.
start_dnsmasq dnsmasq-direct "$NS_SRV" dsc-s0 \
    --dhcp-range=10.231.1.100,10.231.1.199,255.255.255.0,10m \
    --domain=dsc.test \
    --dhcp-option=option:router,10.231.1.1 \
    --dhcp-option=option:dns-server,10.231.1.1 \
    --dhcp-option=option:ntp-server,10.231.1.1 \
    --dhcp-option=option:T1,8 --dhcp-option=option:T2,40
LOG_DIRECT=$DNSMASQ_LOG

# ---------------------------------------------------------------- udhcpc
run_udhcpc() {   # run_udhcpc NAME NS IFACE MAC LOG RENEW(0/1)
    local name=$1 ns=$2 ifc=$3 mac=$4 logf=$5 renew=$6 upid
    set_mac "$ns" "$ifc" "$mac"
    bg "$name" ip netns exec "$ns" udhcpc -f -i "$ifc" -s "$TMP/udhcpc.hook" -p "$TMP/$name.pid" \
        -t 5 -T 2 -A 3 -x hostname:dsc-udhcpc -F dsc-udhcpc -O ntpsrv -O domain
    local bgpid=$BG_PID
    wait_until 30 log_ge "$logf" DHCPACK "$mac" 1 || die "$name: no lease"
    wait_until 5 test -s "$TMP/$name.pid" || die "$name: no pid file"
    upid=$(cat "$TMP/$name.pid")
    sleep 1
    if [[ $renew == 1 ]]; then
        kill -USR1 "$upid"
        wait_until 20 log_ge "$logf" DHCPACK "$mac" 2 || die "$name: no renew ACK"
        sleep 1
    fi
    kill -USR2 "$upid"
    wait_until 20 log_ge "$logf" DHCPRELEASE "$mac" 1 || die "$name: no release"
    stop_pid "$bgpid"
}

log "udhcpc: obtain, renew, release"
start_capture "$NS_SRV" dsc-s0 "$TMP/udhcpc-dnsmasq.pcap"
run_udhcpc udhcpc "$NS_CLI" dsc-c0 02:dc:5c:02:00:01 "$LOG_DIRECT" 1
stop_capture "$CAP_PID"
require_types "$TMP/udhcpc-dnsmasq.pcap" 1 2 3 5 7

# ---------------------------------------------------------------- dhclient
log "dhclient: obtain, T1 renew, SIGTERM, INIT-REBOOT, release"
MAC=02:dc:5c:03:00:01
set_mac "$NS_CLI" dsc-c0 $MAC
DHCL=(dhclient -4 -v -cf "$TMP/dhclient.conf" -lf "$TMP/dhclient.leases" -pf "$TMP/dhclient.pid" -sf "$TMP/dhclient.hook")
start_capture "$NS_SRV" dsc-s0 "$TMP/dhclient-dnsmasq.pcap"
bg dhclient1 ip netns exec "$NS_CLI" "${DHCL[@]}" -d dsc-c0
P=$BG_PID
wait_until 30 log_ge "$LOG_DIRECT" DHCPACK $MAC 1 || die "dhclient: no lease"
wait_until 30 log_ge "$LOG_DIRECT" DHCPACK $MAC 2 || die "dhclient: no T1 renew"   # T1 = 8 s
sleep 1
stop_pid "$P"                                   # SIGTERM: dhclient exits, keeps its lease
bg dhclient2 ip netns exec "$NS_CLI" "${DHCL[@]}" -d dsc-c0                         # INIT-REBOOT
P=$BG_PID
wait_until 30 log_ge "$LOG_DIRECT" DHCPACK $MAC 3 || die "dhclient: no INIT-REBOOT ACK"
sleep 1
nsx "$NS_CLI" "${DHCL[@]}" -r dsc-c0 >"$TMP/dhclient-r.out" 2>&1 || true            # release
wait_until 20 log_ge "$LOG_DIRECT" DHCPRELEASE $MAC 1 || die "dhclient: no release"
stop_pid "$P"
stop_capture "$CAP_PID"
require_types "$TMP/dhclient-dnsmasq.pcap" 1 2 3 5 7

# ---------------------------------------------------------------- dhcpcd
log "dhcpcd: obtain, renew, release"
MAC=02:dc:5c:05:00:01
set_mac "$NS_CLI" dsc-c0 $MAC
start_capture "$NS_SRV" dsc-s0 "$TMP/dhcpcd-dnsmasq.pcap"
bg dhcpcd ip netns exec "$NS_CLI" "$TMP/dhcpcd.run" "$TMP" dsc-c0 "$LOG_DIRECT" $MAC
P=$BG_PID
wait "$P" || die "dhcpcd run failed: $(cat "$TMP/dhcpcd.out")"
stop_capture "$CAP_PID"
require_types "$TMP/dhcpcd-dnsmasq.pcap" 1 2 3 5 7

# ---------------------------------------------------------------- cooked ("any")
log "cooked: udhcpc obtain + release on the 'any' pseudo-interface"
start_capture "$NS_CLI" any "$TMP/cooked-any.pcap" LINUX_SLL
run_udhcpc udhcpc-any "$NS_CLI" dsc-c0 02:dc:5c:06:00:01 "$LOG_DIRECT" 0
stop_capture "$CAP_PID"
require_types "$TMP/cooked-any.pcap" 1 2 3 5 7

# ---------------------------------------------------------------- relay
# NS_RCL dsc-rc0 <-> dsc-rd0 10.231.2.1/24 [NS_RLY dhcrelay] dsc-ru0 10.231.3.2/24 <-> dsc-rs0 10.231.3.1/24 NS_RSV
log "relay: udhcpc behind dhcrelay -a"
new_ns "$NS_RSV"
new_ns "$NS_RLY"
new_ns "$NS_RCL"
t ip -n "$NS_RSV" link add dsc-rs0 address 02:dc:5c:11:00:01 type veth peer name dsc-ru0 netns "$NS_RLY"
t ip -n "$NS_RLY" link add dsc-rd0 address 02:dc:5c:12:00:01 type veth peer name dsc-rc0 netns "$NS_RCL"
t ip -n "$NS_RLY" link set dsc-ru0 address 02:dc:5c:12:00:02
t ip -n "$NS_RSV" addr add 10.231.3.1/24 dev dsc-rs0
t ip -n "$NS_RSV" link set dsc-rs0 up
t ip -n "$NS_RSV" route add 10.231.2.0/24 via 10.231.3.2
t ip -n "$NS_RLY" addr add 10.231.3.2/24 dev dsc-ru0
t ip -n "$NS_RLY" addr add 10.231.2.1/24 dev dsc-rd0
t ip -n "$NS_RLY" link set dsc-ru0 up
t ip -n "$NS_RLY" link set dsc-rd0 up
nsx "$NS_RLY" sysctl -qw net.ipv4.ip_forward=1
t ip -n "$NS_RCL" link set dsc-rc0 up

start_dnsmasq dnsmasq-relay "$NS_RSV" dsc-rs0 \
    --dhcp-range=10.231.2.100,10.231.2.199,255.255.255.0,10m \
    --domain=dsc.test \
    --dhcp-option=option:router,10.231.2.1 \
    --dhcp-option=option:dns-server,10.231.3.1
LOG_RELAY=$DNSMASQ_LOG
bg dhcrelay ip netns exec "$NS_RLY" dhcrelay -4 -d -a --no-pid -id dsc-rd0 -iu dsc-ru0 10.231.3.1
wait_until 20 bash -c "timeout 5 ip netns exec $NS_RLY ss -Hlun 'sport = :67' | grep -q ." \
    || die "dhcrelay did not start: $(cat "$TMP/dhcrelay.out")"
sleep 1
start_capture "$NS_RSV" dsc-rs0 "$TMP/relay-dhcrelay.pcap"
run_udhcpc udhcpc-relay "$NS_RCL" dsc-rc0 02:dc:5c:13:00:01 "$LOG_RELAY" 1
stop_capture "$CAP_PID"
require_types "$TMP/relay-dhcrelay.pcap" 1 2 3 5 7
[[ $(t tshark -r "$TMP/relay-dhcrelay.pcap" -Y 'dhcp.ip.relay != 0.0.0.0 && dhcp.option.type == 82' 2>/dev/null | wc -l) -ge 2 ]] \
    || die "relay capture lacks giaddr/option 82"

# ---------------------------------------------------------------- output
for f in udhcpc-dnsmasq dhclient-dnsmasq dhcpcd-dnsmasq relay-dhcrelay cooked-any; do
    cp "$TMP/$f.pcap" "$OUT_DIR/$f.pcap"
    chmod 644 "$OUT_DIR/$f.pcap"
    summarize "$OUT_DIR/$f.pcap"
done
log "done"
