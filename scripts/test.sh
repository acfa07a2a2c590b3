#!/usr/bin/env bash
# Runs the whole DhcpSharp test suite on a Debian machine that has only the .NET SDK.
# Installs (via apt) the third-party tools the tests talk to, builds, runs every test project,
# and ends with one line "N passed, N failed". Needs root for apt (and, later, network namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: tshark (independent decoder), the DHCP clients, relay and servers the
# end-to-end tests talk to, TFTP clients, QEMU with BIOS/UEFI PXE firmware for the boot tests, and
# PostgreSQL (the tests start private clusters with initdb/pg_ctl; the system service is not used).
packages=(tshark iproute2 util-linux python3 udhcpc isc-dhcp-client dhcpcd-base isc-dhcp-relay tftp-hpa atftp curl qemu-system-x86 ipxe-qemu ipxe ovmf pxelinux syslinux-common dnsmasq-base kea-dhcp4-server postgresql)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "scripts/test.sh: missing Debian packages: ${missing[*]}; run as root (or sudo) so they can be installed." >&2
    exit 2
  fi
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout 900 apt-get update -qq
  timeout 1800 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# One test module at a time: the QEMU boots (software-emulated) and the namespace tests time real
# clients, and must not compete with each other for the two cores.
timeout 3000 dotnet test --solution DhcpSharp.slnx -c Release --max-parallel-test-modules 1 2>&1 | tee "$log" || status=$?

# Microsoft.Testing.Platform prints per-run "succeeded: N" / "failed: N"; sum them.
passed=$(awk '/^[[:space:]]+succeeded:/ {s += $2} END {print s + 0}' "$log")
failed=$(awk '/^[[:space:]]+failed:/ {s += $2} END {print s + 0}' "$log")
if ((status != 0 && failed == 0)); then
  failed=1 # build error, crash or timeout: never report green
fi
echo "$passed passed, $failed failed"
exit "$status"
