#!/usr/bin/env bash
# Routing benchmarks (no Asterisk needed): the decision per call and validate+apply of the
# 500-practice platform of the samples, printed next to the goals (p99 < 20 µs; apply < 2 s).
#   scripts/bench-routing.sh           latency percentiles + BenchmarkDotNet (short job)
#   scripts/bench-routing.sh --quick   latency percentiles only
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$PBX_REPO"
OUT="$PBX_REPO/artifacts/bench"; mkdir -p "$OUT"
dotnet build tests/PbxRouter.Benchmarks -c Release --nologo -v quiet >"$OUT/build-routing.log" 2>&1 || {
  grep error "$OUT/build-routing.log" | sort -u | head >&2; die "build failed"; }
BIN=tests/PbxRouter.Benchmarks/bin/Release/net10.0/PbxRouter.Benchmarks.dll
REPORT="$OUT/routing-$(date +%Y%m%d-%H%M%S).txt"
{
  echo "Routing benchmarks, $(date -u '+%F %T') UTC, $(nproc) cores, dotnet $(dotnet --version)"
  dotnet "$BIN" --latency
  if [ "${1:-}" != --quick ]; then
    dotnet "$BIN" --filter '*RoutingDecisionBenchmarks*' '*RulesApplyBenchmarks*' -j short --artifacts "$OUT/bdn" 2>&1 \
      | sed -n '/^| Method/,/^$/p;/^|--/p;/^| [A-Z]/p' | awk '!seen[$0]++'
  fi
} | tee "$REPORT"
log "saved to $REPORT"
