#!/usr/bin/env bash
# Build the harness, instrument DhcpSharp.Protocol.dll with SharpFuzz, and run AFL++ on it.
#
#   fuzz/run.sh [SECONDS]        default 660 (11 min); afl-fuzz stops itself after SECONDS (-V)
#
# Environment:
#   ARTIFACTS=/tmp/dhcpsharp-fuzz-art   private MSBuild artifacts path (keeps clear of other builds)
#   FRESH=1                             archive an existing findings/ to findings.YYYYmmdd-HHMMSS/
#                                       and start from corpus/ (default: resume when findings/ exists)
#   AFL_EXTRA="..."                     extra afl-fuzz arguments
# Prerequisites: apt-get install -y afl++; dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0
set -euo pipefail

DURATION="${1:-660}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
ARTIFACTS="${ARTIFACTS:-/tmp/dhcpsharp-fuzz-art}"
OUT="$HERE/out"
FINDINGS="$HERE/findings"
export PATH="$PATH:$HOME/.dotnet/tools"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz missing: apt-get install -y afl++" >&2; exit 1; }
command -v sharpfuzz >/dev/null || { echo "sharpfuzz missing: dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0" >&2; exit 1; }

# 1. Build into a fresh directory: the SharpFuzz rewrite is in place and refuses a dll twice.
rm -rf "$OUT"
dotnet publish "$HERE/DhcpSharp.Fuzz/DhcpSharp.Fuzz.csproj" -c Release --artifacts-path "$ARTIFACTS" -o "$OUT" -nologo -v quiet

PLAIN="$ARTIFACTS/bin/DhcpSharp.Fuzz/release/DhcpSharp.Fuzz.dll"   # uninstrumented copy, for replay/triage

# 2. Smoke test (uninstrumented: instrumented code needs AFL's shared memory): every seed must pass.
dotnet "$PLAIN" "$HERE/corpus" | tail -1

# 3. Instrument only the library under test (not the harness, not the BCL).
sharpfuzz "$OUT/DhcpSharp.Protocol.dll"

# 4. Fuzz. Container-friendly AFL++ settings; no memory limit (the CLR reserves a lot of VA).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_UI="${AFL_NO_UI:-1}"
INPUT="$HERE/corpus"
if [[ -f "$FINDINGS/default/fuzzer_stats" ]]; then
  if [[ "${FRESH:-0}" == 1 ]]; then
    mv "$FINDINGS" "$FINDINGS.$(date +%Y%m%d-%H%M%S)"
  else
    INPUT=-   # resume the previous session's queue
  fi
fi
mkdir -p "$FINDINGS"
# shellcheck disable=SC2086
afl-fuzz -i "$INPUT" -o "$FINDINGS" -t 5000 -m none -V "$DURATION" ${AFL_EXTRA:-} -- dotnet "$OUT/DhcpSharp.Fuzz.dll"

# 5. Summary.
echo
grep -E '^(start_time|last_update|run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg|stability)' "$FINDINGS/default/fuzzer_stats"
shopt -s nullglob
crashes=("$FINDINGS"/default/crashes/id:*)
if (( ${#crashes[@]} > 0 )); then
  echo "crashes found; replay them (uninstrumented) with: dotnet $PLAIN $FINDINGS/default/crashes"
  exit 2
fi
