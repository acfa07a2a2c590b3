#!/usr/bin/env bash
# run.sh - DhcpSharp against Kea, ISC dhcpd and dnsmasq under perfdhcp, in one run.
#
# Every server runs in its own fresh start (empty lease store on disk), pinned to CPU
# $DSP_SRV_CPU; perfdhcp runs pinned to CPU $DSP_CLI_CPU and acts as a relay. Each measured
# run is preceded by a short unmeasured warm-up ($DSP_WARMUP_SECS s at $DSP_WARMUP_RATE/s,
# see below).
#
# For rep in 1..REPS (interleaved, so background noise hits every server alike):
#   1. fixed rates: each server once at each of CMP_RATES for PERIOD s -> CPU us per DORA at equal load
#   2. max rate: a lock-step ladder over all servers: each server's next candidate rate is run
#      in turn (A B C D, A B C D ...). Per server: START, then doubling until a run fails,
#      then BISECT bisection steps (25/s grid), at most MAX_STEPS runs. Pass = loss <= 1 %
#      (DSP_MAX_LOSS), perfdhcp really sent >= 97 % of the offered DISCOVERs, server alive.
# Then summarize.py prints medians per server and the dhcpsharp / best-peer ratios.
#
# dhcpsharp gets an unmeasured warm-up first ($DSP_WARMUP_SECS=15 s at $DSP_WARMUP_RATE=300/s: .NET JIT tiering).
# Env: REPS (3), CMP_RATES ("500 4000"), SERVERS ("dhcpsharp kea dhcpd dnsmasq"; NAME@stock = the
#      same server measured with stock perfdhcp, e.g. "dhcpsharp kea dhcpsharp@stock kea@stock"), BISECT (2),
#      MAX_STEPS (7), START_dhcpsharp (2000), START_kea (1000), START_dhcpd (250),
#      START_dnsmasq (100), DSP_PERIOD (20), DSP_MAX_MINUTES (75: no new run starts after),
#      DSP_SUFFIX (namespace name suffix), DSP_WORK (/var/tmp/dsperf: state + results; must be
#      on disk), DSP_SKIP_BUILD=1 (reuse the built dll), DSP_SRV_CPU / DSP_CLI_CPU (0 / 1).
# Output: $DSP_RESULTS/runs.log (one key=value line per run), raw/ (perfdhcp output + trailer),
#         summary.md.
set -u
. "$(dirname "$0")/lib.sh"
dsp_need_root

REPS=${REPS:-3}
CMP_RATES=${CMP_RATES:-500 4000}
SERVERS=${SERVERS:-$DSP_ALL_SERVERS}
BISECT=${BISECT:-2}
MAX_STEPS=${MAX_STEPS:-7}
MAX_MIN=${DSP_MAX_MINUTES:-75}
declare -A START=([dhcpsharp]=${START_dhcpsharp:-2000} [kea]=${START_kea:-1000} [dhcpd]=${START_dhcpd:-250} [dnsmasq]=${START_dnsmasq:-100})
for s in $SERVERS; do [ -n "${START[$s]:-}" ] || START[$s]=${START[$(dsp_base "$s")]:-1000}; done

mkdir -p "$DSP_RUN" "$DSP_RESULTS"
trap dsp_cleanup EXIT
trap 'exit 130' INT TERM
[ "$(stat -f -c %T "$DSP_WORK")" = tmpfs ] && dsp_die "DSP_WORK=$DSP_WORK is on tmpfs; lease files must be on disk"
dsp_install_deps
dsp_build
dsp_netns_up
T0=$(date +%s)
RUNID=$(date +%Y%m%d-%H%M%S)
{
  echo "# run $RUNID: servers=$SERVERS reps=$REPS cmp_rates=${CMP_RATES// /,} period=$DSP_PERIOD warmup=${DSP_WARMUP_SECS}s@$DSP_WARMUP_RATE clients=$DSP_CLIENTS"
  # the source revision the dll was built from (SourceLink stamps it into the informational version)
  echo "# host: $(nproc) cpu, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); dhcpsharp dll built $(date -u -r "$DSP_DLL" +%FT%TZ) from $(grep -a -o -m1 '+[0-9a-f]\{40\}' "$(dirname "$DSP_DLL")/DhcpSharp.Server.dll" | head -1 | cut -c2-10)"
  echo "# versions: $(perfdhcp -v 2>&1 | head -1 | tr -d '\n') perfdhcp, kea $(kea-dhcp4 -v), $(dhcpd --version 2>&1 | head -1), $(dnsmasq -v | head -1 | cut -d' ' -f1-3), dotnet $(dotnet --version)"
} | tee -a "$DSP_RESULTS/runs.log"

time_left() { [ $(( $(date +%s) - T0 )) -lt $((MAX_MIN * 60)) ]; }
get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

for rep in $(seq "$REPS"); do
  # 1. equal load for everyone
  for rate in $CMP_RATES; do
    for s in $SERVERS; do
      time_left || break 3
      dsp_measure "$s" "$rate" "$RUNID-cmp-$rep" | cut -c1-200
    done
  done
  # 2. lock-step ladders
  declare -A LO=() HI=() NEXT=() STEPS=() NB=()
  for s in $SERVERS; do LO[$s]=0; HI[$s]=0; NEXT[$s]=${START[$s]}; STEPS[$s]=0; NB[$s]=0; done
  while :; do
    active=0
    for s in $SERVERS; do
      [ "${NEXT[$s]}" -gt 0 ] || continue
      time_left || break 3
      active=1
      r=${NEXT[$s]}
      line=$(dsp_measure "$s" "$r" "$RUNID-max-$rep")
      echo "$line" | cut -c1-200
      STEPS[$s]=$((STEPS[$s] + 1))
      if [ "$(get pass "$line")" = yes ]; then LO[$s]=$r; else HI[$s]=$r; fi
      # next candidate
      if [ "${HI[$s]}" = 0 ]; then n=$((r * 2))                    # still climbing
      elif [ "${LO[$s]}" = 0 ]; then n=$((r / 2 / 25 * 25))        # the start rate failed: step down
      else
        n=$(( (LO[$s] + HI[$s]) / 2 / 25 * 25 )); NB[$s]=$((NB[$s] + 1))
        if [ "${NB[$s]}" -gt "$BISECT" ] || [ "$n" -le "${LO[$s]}" ]; then n=0; fi
      fi
      [ "${STEPS[$s]}" -ge "$MAX_STEPS" ] || [ "$n" -lt 25 ] && n=0
      NEXT[$s]=$n
    done
    [ "$active" = 1 ] || break
  done
  for s in $SERVERS; do
    echo "tag=$RUNID-maxresult-$rep server=$s max_ok_rate=${LO[$s]} first_fail_rate=${HI[$s]} steps=${STEPS[$s]}" | tee -a "$DSP_RESULTS/runs.log"
  done
done
dsp_log "measurements done in $(( ($(date +%s) - T0) / 60 )) min"
"$DSP_PYTHON" "$DSP_HERE/summarize.py" "$DSP_RESULTS/runs.log" "$RUNID" | tee "$DSP_RESULTS/summary-$RUNID.md"
