#!/usr/bin/env bash
# Runs every test of PbxRouter on this machine, installing what is missing first:
# SIPp and curl (Debian packages), Asterisk (scripts/asterisk.sh install), NuGet packages.
# Integration tests start their own Asterisk instances on free loopback ports.
# Then the short chaos run (scripts/chaos.sh --short: real calls while the engine is killed with kill -9), counted
# as one more check: passed when it ends with "lost: 0".
# Ends with one line: "N passed, N failed, N skipped" over all test projects and the chaos run.
#   scripts/test.sh                 all tests, then the short chaos run
#   scripts/test.sh --unit          unit tests only (no Asterisk, no chaos run)
#   scripts/test.sh --no-chaos      all tests without the chaos run
#   scripts/test.sh -- ARGS         extra arguments for dotnet test (e.g. --filter Name~Fallback); a targeted run
#                                   like this skips the chaos run
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$PBX_REPO"

UNIT_ONLY=""
NO_CHAOS=""
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --unit) UNIT_ONLY=1 ;;
    --no-chaos) NO_CHAOS=1 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) die "unknown option $1 (see the header of $0)" ;;
  esac
  shift
done

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (10.0) is needed: dotnet is not on PATH"
# Unit tests of `rules validate/apply` speak prompts too (espeak-ng, sox).
ensure_host_packages espeak-ng espeak-ng sox sox
# SystemdUnitsTests run `systemd-analyze verify` on deploy/systemd/*.service.
ensure_host_packages systemd-analyze systemd
# The web console's browser tests (Microsoft.Playwright) drive Debian's chromium, headless.
ensure_host_packages chromium chromium
if [ -z "$UNIT_ONLY" ]; then
  scripts/asterisk.sh install
fi

RESULTS="$PBX_REPO/artifacts/test-results"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
log "restoring and building"
dotnet build PbxRouter.sln -c Debug --nologo -v quiet >"$RESULTS/build.log" 2>&1 || {
  grep -E "error" "$RESULTS/build.log" | sort -u | head -30 >&2; die "build failed (log: $RESULTS/build.log)"; }

export PBXROUTER_SIP_REPORT="$RESULTS/sip-calls.txt"
projects=()
for p in tests/*.Tests/*.csproj; do projects+=("$p"); done
[ -z "$UNIT_ONLY" ] && for p in tests/*.IntegrationTests/*.csproj; do projects+=("$p"); done

total_passed=0; total_failed=0; total_skipped=0; broken=0
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  log "running $name"
  set +e
  dotnet test "$project" --no-build --nologo --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
    "${EXTRA[@]}" >"$RESULTS/$name.log" 2>&1
  rc=$?
  set -e
  trx="$RESULTS/$name.trx"
  if [ ! -f "$trx" ]; then
    tail -n 30 "$RESULTS/$name.log" >&2
    log "$name: no test results (exit $rc): counted as failed"
    broken=$((broken + 1)); total_failed=$((total_failed + 1)); continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  t=$(get total); p=$(get passed); f=$(( $(get failed) + $(get error) + $(get timeout) + $(get aborted) ))
  s=$((t - p - f))
  total_passed=$((total_passed + p)); total_failed=$((total_failed + f)); total_skipped=$((total_skipped + s))
  printf '  %-34s %4d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s"
  if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
    grep -E '^\s+Failed |Error Message' -A4 "$RESULTS/$name.log" | head -80 >&2 || true
    [ "$f" -eq 0 ] && { log "$name: dotnet test exited $rc"; total_failed=$((total_failed + 1)); }
  fi
  if [ "$t" -eq 0 ]; then log "$name ran no test: counted as failed"; total_failed=$((total_failed + 1)); fi
done

# The short chaos run: one check, passed only when every call is accounted for ("lost: 0").
if [ -z "$UNIT_ONLY" ] && [ -z "$NO_CHAOS" ] && [ ${#EXTRA[@]} -eq 0 ]; then
  log "running scripts/chaos.sh --short"
  set +e
  scripts/chaos.sh --short >"$RESULTS/chaos-short.log" 2>&1
  rc=$?
  set -e
  lost=$(sed -n 's/^lost: //p' "$RESULTS/chaos-short.log" | tail -n 1)
  if [ "$rc" -eq 0 ] && [ "$lost" = 0 ]; then
    printf '  %-34s passed (lost: 0)\n' "chaos (scripts/chaos.sh --short)"; total_passed=$((total_passed + 1))
  else
    printf '  %-34s failed (lost: %s, exit %d; log: %s)\n' "chaos (scripts/chaos.sh --short)" "${lost:-?}" "$rc" "$RESULTS/chaos-short.log"
    sed -n '/^class /,/^lost: /p' "$RESULTS/chaos-short.log" | head -40 >&2
    total_failed=$((total_failed + 1))
  fi
fi

[ -f "$PBXROUTER_SIP_REPORT" ] && cat "$PBXROUTER_SIP_REPORT"
echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
[ "$total_failed" -eq 0 ] && [ "$broken" -eq 0 ]
