#!/usr/bin/env bash
# one-run.sh SERVER RATE [PERIOD_S] - one measured run (fresh server, warm-up, perfdhcp for
# PERIOD_S seconds at RATE DORA/s) in namespaces created for it and deleted on exit.
# SERVER: dhcpsharp | kea | dhcpd | dnsmasq. Prints the key=value result line.
set -u
. "$(dirname "$0")/lib.sh"
dsp_need_root
SERVER=${1:?usage: $0 SERVER RATE [PERIOD_S]}; RATE=${2:?rate}; DSP_PERIOD=${3:-$DSP_PERIOD}
mkdir -p "$DSP_RUN" "$DSP_RESULTS"
trap dsp_cleanup EXIT
trap 'exit 130' INT TERM
dsp_install_deps
[ "$SERVER" = dhcpsharp ] && dsp_build
dsp_netns_up
dsp_measure "$SERVER" "$RATE" one
