#!/usr/bin/env bash
# Longer runs of the fuzz tests (NUnit category Fuzz) that the test command runs briefly with a fixed seed:
# the rules YAML reader (tests/PbxRouter.Routing.Tests/Fuzz) and the ARI event decoder (tests/PbxRouter.Ari.Tests/Fuzz).
# Each target runs in turn, under nice, in a Release build; its log is saved in artifacts/fuzz/<target>.log.
#
#   scripts/fuzz.sh                      each target for 5 minutes, with a fresh random seed
#   scripts/fuzz.sh --minutes M          each target for M minutes (decimals allowed)
#   scripts/fuzz.sh --iterations N       each target for N inputs (with --minutes: whichever ends first)
#   scripts/fuzz.sh --seed S             this seed (an integer) instead of a random one, e.g. to replay a run
#   scripts/fuzz.sh --target rules-yaml  one target only (rules-yaml or ari-events)
#
# A failure prints the seed, the iteration and the input, saves it (and a minimized copy) in artifacts/fuzz/,
# and gives the command that replays that one input. If the test process itself dies (stack overflow), the input
# it was trying is in artifacts/fuzz/<target>-current.bin. Exit code non-zero when a target failed.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$PBX_REPO"

MINUTES=""; ITERATIONS=""; SEED=""; TARGETS="rules-yaml ari-events"
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES="${2:-}"; shift ;;
    --iterations) ITERATIONS="${2:-}"; shift ;;
    --seed) SEED="${2:-}"; shift ;;
    --target) TARGETS="${2:-}"; shift ;;
    *) die "unknown option $1 (see the header of $0)" ;;
  esac
  shift
done
[ -z "$MINUTES" ] || [[ "$MINUTES" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--minutes takes a number of minutes (got '$MINUTES')"
[ -z "$ITERATIONS" ] || [[ "$ITERATIONS" =~ ^[1-9][0-9]*$ ]] || die "--iterations takes a positive integer (got '$ITERATIONS')"
[ -z "$SEED" ] || [[ "$SEED" =~ ^-?[0-9]+$ ]] || die "--seed takes an integer (got '$SEED')"
[ -n "$MINUTES" ] || [ -n "$ITERATIONS" ] || MINUTES=5
[ -n "$SEED" ] || SEED=$(( (RANDOM << 15 | RANDOM) % 2000000000 ))
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (10.0) is needed: dotnet is not on PATH"

project_of() {
  case "$1" in
    rules-yaml) echo tests/PbxRouter.Routing.Tests ;;
    ari-events) echo tests/PbxRouter.Ari.Tests ;;
    *) die "unknown target '$1' (rules-yaml or ari-events)" ;;
  esac
}
for target in $TARGETS; do project_of "$target" >/dev/null; done

ARTIFACTS="$PBX_REPO/artifacts/fuzz"
mkdir -p "$ARTIFACTS"
log "building (Release)"
nice dotnet build PbxRouter.sln -c Release --nologo -v quiet >"$ARTIFACTS/build.log" 2>&1 || {
  grep -E "error" "$ARTIFACTS/build.log" | sort -u | head -30 >&2; die "build failed (log: $ARTIFACTS/build.log)"; }

export PBXROUTER_FUZZ_SEED="$SEED" PBXROUTER_FUZZ_ARTIFACTS="$ARTIFACTS"
if [ -n "$MINUTES" ]; then export PBXROUTER_FUZZ_MINUTES="$MINUTES"; else unset PBXROUTER_FUZZ_MINUTES; fi
if [ -n "$ITERATIONS" ]; then export PBXROUTER_FUZZ_ITERATIONS="$ITERATIONS"; else unset PBXROUTER_FUZZ_ITERATIONS; fi
unset PBXROUTER_FUZZ_START

failed=0
for target in $TARGETS; do
  project=$(project_of "$target")
  target_log="$ARTIFACTS/$target.log"
  log "fuzzing $target: seed $SEED, ${MINUTES:+$MINUTES min}${MINUTES:+${ITERATIONS:+ or }}${ITERATIONS:+$ITERATIONS inputs} (log: $target_log)"
  set +e
  nice dotnet test "$project" -c Release --no-build --nologo --filter "TestCategory=Fuzz" --logger "console;verbosity=detailed" 2>&1 \
    | tee "$target_log" | grep --line-buffered -E "^ *fuzz $target: " | sed -u 's/^ *//' | awk '!seen[$0]++'
  rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" -ne 0 ]; then
    failed=1
    if grep -q "failed at seed" "$target_log"; then
      sed -n '/failed at seed/,/^ *Stack Trace:/p' "$target_log" | grep -vE "^\s+at |Stack Trace:" | head -40 >&2
    elif [ -f "$ARTIFACTS/$target-current.bin" ]; then
      log "$target: the test process died (exit $rc); the input it was trying: $ARTIFACTS/$target-current.bin"
    else
      tail -n 30 "$target_log" >&2
      log "$target: dotnet test exited $rc"
    fi
  fi
done
[ "$failed" -eq 0 ] && log "no failure (seed $SEED)"
exit "$failed"
