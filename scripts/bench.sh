#!/usr/bin/env bash
# Load benchmark: answer-only calls through the engine, side by side with Asterisk's native dialplan.
#
#   scripts/bench.sh          run it (about 1 minute per rate), print the table, save it in artifacts/bench/
#   scripts/bench.sh stop     stop what an interrupted run left behind (engine, bench Asterisk instance)
#
# For every rate (calls/s) SIPp places answer-only calls of 500 ms for BENCH_SECONDS seconds, first to
# the native baseline (dialplan Answer() + Wait, SIPp from 127.0.0.3), then to the engine (Stasis app,
# SIPp from 127.0.0.2, the trunk); Asterisk is restarted before each run. It prints figures only:
# no pass/fail on them. Exit code non-zero only when something could not run at all.
#
# Settings (environment, all optional):
#   BENCH_RATES     calls/s to try ("100 200 300")     BENCH_SECONDS  seconds per rate and target (15)
#   BENCH_HOLD_MS   call duration after answer (500)   BENCH_LIMIT_FACTOR  SIPp -l = rate x this (4)
#   BENCH_WARMUP_CALLS  unmeasured calls through the engine first, at 50/s, so JIT is done (250; 0: none)
#   BENCH_SIP_PORT / BENCH_ARI_PORT  bench Asterisk ports (5260 / 8288); RTP 32000-39999
#   BENCH_SIPP_PORT / BENCH_SIPP_MEDIA_PORT  SIPp's own ports (5261 / 40600)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"
cd "$PBX_REPO"

RATES="${BENCH_RATES:-100 200 300}"
DURATION="${BENCH_SECONDS:-15}"
HOLD_MS="${BENCH_HOLD_MS:-500}"
LIMIT_FACTOR="${BENCH_LIMIT_FACTOR:-4}"
WARMUP_CALLS="${BENCH_WARMUP_CALLS:-250}"
for v in $RATES "$DURATION" "$HOLD_MS" "$LIMIT_FACTOR"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RATES, BENCH_SECONDS, BENCH_HOLD_MS and BENCH_LIMIT_FACTOR take positive integers (got '$v')"
done
[[ "$WARMUP_CALLS" =~ ^[0-9]+$ ]] || die "BENCH_WARMUP_CALLS takes an integer (got '$WARMUP_CALLS')"

export PBX_INSTANCE=bench PBX_BENCH=1   # renders the native baselines (asterisk-config/bench/)
export PBX_SIP_PORT="${BENCH_SIP_PORT:-5260}" PBX_ARI_PORT="${BENCH_ARI_PORT:-8288}"
export PBX_RTP_START=32000 PBX_RTP_END=39999
export PBX_TRUNK_PEER=127.0.0.2 PBX_TRUNK_PORT=5290 PBX_FALLBACK_NUMBER=
SIPP_PORT="${BENCH_SIPP_PORT:-5261}"
SIPP_MEDIA_PORT="${BENCH_SIPP_MEDIA_PORT:-40600}"
SCENARIO="$PBX_REPO/tests/PbxRouter.IntegrationTests/Scenarios/bench-answer.xml"
NATIVE_IP=127.0.0.3     # asterisk-config/bench/pjsip_bench.conf: endpoint bench-native -> context bench-native
ENGINE_IP=127.0.0.2     # the trunk: context from-trunk -> Stasis(pbxrouter,inbound,EXTEN)
CALLED=+33145000000

STATE_DIR="$PBX_CACHE/bench"
ENGINE_PID_FILE="$STATE_DIR/engine.pid"
SIPP_PID=""
CLK_TCK=$(getconf CLK_TCK)

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$SIPP_PID" ] && kill -0 "$SIPP_PID" 2>/dev/null; then kill -TERM "$SIPP_PID" 2>/dev/null || true; fi
  stop_engine
  scripts/asterisk.sh stop >/dev/null 2>&1 || log "warning: could not stop the bench Asterisk instance"
  exit "$rc"
}

mkdir -p "$STATE_DIR"
if [ "${1:-}" = stop ]; then stop_engine; scripts/asterisk.sh stop; exit 0; fi
[ $# -eq 0 ] || { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

STAMP=$(date +%Y%m%d-%H%M%S)
WORK="$STATE_DIR/$STAMP"          # SIPp traces and the engine log of this run
OUT_DIR="$PBX_REPO/artifacts/bench"
REPORT="$OUT_DIR/bench-$STAMP.txt"
mkdir -p "$WORK" "$OUT_DIR"

trap cleanup EXIT
trap 'exit 130' INT TERM

scripts/asterisk.sh install
command -v sipp >/dev/null || die "sipp not found (scripts/asterisk.sh install installs it)"
stop_engine                               # left over by an interrupted run
scripts/pbxrouter --help >/dev/null       # builds the engine if needed, before anything is timed

# ---- helpers (and those of scripts/bench-lib.sh) --------------------------------------------

start_engine() {
  # Its own empty database (created by serve): no routing rules applied, and Engine:GreetWithoutRules makes every
  # call take the answer-only flow (without it, calls before any rules take the fallback route).
  rm -f "$WORK/bench.db" "$WORK/bench.db-wal" "$WORK/bench.db-shm"
  PBXROUTER_Engine__GreetingMedia='' PBXROUTER_Engine__GreetWithoutRules=true PBXROUTER_Logging__Level=Warn \
    PBXROUTER_Database__Path="$WORK/bench.db" scripts/pbxrouter serve --create-database >>"$WORK/engine.log" 2>&1 &
  echo $! >"$ENGINE_PID_FILE"      # scripts/pbxrouter execs dotnet: this is the engine's pid
  wait_engine_connected
}

# run_calls KIND RATE: one SIPp run; sets R_OK R_FAILED R_P50 R_P95 R_P99 R_AST R_ENG
# R_OTHER R_WALL R_MACHINE R_RC R_LEFT R_FALLBACK.
run_calls() {
  local kind=$1 rate=$2 ip dir calls limit ast_pid eng_pid a0 a1 e0 e1 f0 m0 m1 t0 t1
  ip=$NATIVE_IP; [ "$kind" = engine ] && ip=$ENGINE_IP
  dir="$WORK/$kind-$rate"; mkdir -p "$dir"
  calls=$((rate * DURATION)); limit=$((rate * LIMIT_FACTOR))
  ast_pid=$(asterisk_pid); eng_pid=$(cat "$ENGINE_PID_FILE")
  sleep 1                                   # let the restart settle
  a0=$(cpu_ticks "$ast_pid"); e0=$(cpu_ticks "$eng_pid"); m0=$(machine_ticks); t0=$(date +%s%N)
  R_RC=0
  f0=$(fallback_count)
  ( cd "$dir" && exec sipp "127.0.0.1:$PBX_SIP_PORT" -sf "$SCENARIO" -s "$CALLED" \
      -i "$ip" -bind_local -p "$SIPP_PORT" -mp "$SIPP_MEDIA_PORT" \
      -r "$rate" -m "$calls" -l "$limit" -d "$HOLD_MS" \
      -trace_rtt -rtt_freq 1 -trace_stat -stf stat.csv -fd 1 -trace_err \
      -recv_timeout 10000 -timeout "$((DURATION + 40))s" -nostdin >sipp.out 2>&1 ) &
  SIPP_PID=$!
  wait "$SIPP_PID" || R_RC=$?
  SIPP_PID=""
  a1=$(cpu_ticks "$ast_pid"); e1=$(cpu_ticks "$eng_pid"); m1=$(machine_ticks); t1=$(date +%s%N)
  R_MEM=$(memory_line "$ast_pid" "$eng_pid")
  [ -s "$dir/stat.csv" ] || { tail -n 20 "$dir/sipp.out" >&2; die "SIPp did not run ($kind, $rate calls/s)"; }
  R_OK=$(stat_field "$dir/stat.csv" 'SuccessfulCall(C)')
  R_FAILED=$((calls - R_OK))                # failed or never completed within the time bound
  read -r R_P50 R_P95 R_P99 < <(percentiles "$(ls "$dir"/*_rtt.csv 2>/dev/null | head -n 1)")
  R_AST=$((a1 - a0)); R_ENG=$((e1 - e0))
  # The rest of the machine's busy time: SIPp itself and whatever else shares the machine.
  R_OTHER=$(( (m1 - m0) - R_AST - R_ENG ))
  R_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) / 1e9}')
  R_MACHINE=$(awk -v w="$R_WALL" -v b="$((m1 - m0))" -v hz="$CLK_TCK" -v n="$(nproc)" 'BEGIN {printf "%.0f%%", 100 * b / hz / (w * n)}')
  R_FALLBACK=$(( $(fallback_count) - f0 ))
  R_LEFT=$(scripts/asterisk.sh cli 'core show channels count' 2>/dev/null | awk '/active channel/ {print $1; exit}')
}

# ---- run -------------------------------------------------------------------------------------
restart_asterisk
VERSION=$(scripts/asterisk.sh cli 'core show version' 2>/dev/null | awk '{print $1" "$2; exit}')
start_engine
if [ "$WARMUP_CALLS" -gt 0 ]; then
  log "warm-up: $WARMUP_CALLS calls through the engine at 50 calls/s (not measured)"
  mkdir -p "$WORK/warmup"
  ( cd "$WORK/warmup" && exec sipp "127.0.0.1:$PBX_SIP_PORT" -sf "$SCENARIO" -s "$CALLED" -i "$ENGINE_IP" -bind_local \
      -p "$SIPP_PORT" -mp "$SIPP_MEDIA_PORT" -r 50 -m "$WARMUP_CALLS" -l 200 -d "$HOLD_MS" -recv_timeout 10000 \
      -timeout "$((WARMUP_CALLS / 50 + 30))s" -nostdin >sipp.out 2>&1 ) &
  SIPP_PID=$!
  wait "$SIPP_PID" || log "warning: warm-up calls did not all succeed (SIPp exit $?)"
  SIPP_PID=""
fi

ROWS=(); DETAILS=()
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for rate in $RATES; do
  log "rate $rate calls/s: native dialplan, $DURATION s"
  restart_asterisk
  wait_engine_connected
  run_calls native "$rate"
  n_ok=$R_OK n_failed=$R_FAILED n_p50=$R_P50 n_p95=$R_P95 n_p99=$R_P99 n_ast=$R_AST n_rc=$R_RC n_left=$R_LEFT n_eng=$R_ENG n_mem=$R_MEM
  n_other=$R_OTHER n_wall=$R_WALL n_machine=$R_MACHINE
  log "  native: ok $n_ok failed $n_failed p50 ${n_p50} ms p99 ${n_p99} ms, Asterisk $(cpu_seconds "$n_ast") s CPU"

  log "rate $rate calls/s: engine, $DURATION s"
  restart_asterisk
  wait_engine_connected
  run_calls engine "$rate"
  log "  engine: ok $R_OK (fallback $R_FALLBACK) failed $R_FAILED p50 ${R_P50} ms p99 ${R_P99} ms, Asterisk $(cpu_seconds "$R_AST") s, engine $(cpu_seconds "$R_ENG") s CPU"

  ROWS+=("$(printf '%5s | %6s/%-5s %6s %6s %7s | %6s/%-5s %6s %6s %7s %7s %8s' "$rate" \
    "$n_ok" "$n_failed" "$n_p50" "$n_p99" "$(cpu_seconds "$n_ast")" \
    "$R_OK" "$R_FAILED" "$R_P50" "$R_P99" "$(cpu_seconds "$R_AST")" "$(cpu_seconds "$R_ENG")" "$(per_1000 "$R_ENG" "$R_OK")")")
  DETAILS+=("$(printf '%5s native: p95 %s ms, Asterisk CPU/1000 calls %s s, engine CPU (idle) %s s, sipp exit %s, channels left %s; %s s, machine %s busy, SIPp+others %s s CPU' \
    "$rate" "$n_p95" "$(per_1000 "$n_ast" "$n_ok")" "$(cpu_seconds "$n_eng")" "$n_rc" "${n_left:-?}" "$n_wall" "$n_machine" "$(cpu_seconds "$n_other")")")
  DETAILS+=("$(printf '%5s engine: p95 %s ms, Asterisk CPU/1000 calls %s s, Asterisk+engine CPU/1000 calls %s s, sipp exit %s, channels left %s, sent to fallback by the engine %s' \
    "$rate" "$R_P95" "$(per_1000 "$R_AST" "$R_OK")" "$(per_1000 $((R_AST + R_ENG)) "$R_OK")" "$R_RC" "${R_LEFT:-?}" "$R_FALLBACK")")
  DETAILS+=("$(printf '%5s engine: %s s, machine %s busy, SIPp+others %s s CPU' "$rate" "$R_WALL" "$R_MACHINE" "$(cpu_seconds "$R_OTHER")")")
  DETAILS+=("$(printf '%5s memory after native: %s' "$rate" "$n_mem")")
  DETAILS+=("$(printf '%5s memory after engine: %s' "$rate" "$R_MEM")")
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
# Disconnects and reconnects are expected: Asterisk is restarted before every run.
ENGINE_WARNINGS=$(grep -E ' (WARN|ERROR|FATAL) ' "$WORK/engine.log" | grep -cvE 'ARI events (disconnected|reconnect attempt)' || true)

{
  echo "PbxRouter benchmark $(date -Is)"
  echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM, load average before $LOAD_BEFORE, after $LOAD_AFTER"
  echo "software: ${VERSION:-Asterisk ?}, dotnet $(dotnet --version 2>/dev/null || echo ?), $(sipp -v 2>/dev/null | grep -o 'SIPp v[0-9.]*' | head -n 1)"
  echo "calls: answer-only, ${HOLD_MS} ms after the 200, ${DURATION} s per rate (rate x ${DURATION} calls), SIPp -l rate x $LIMIT_FACTOR;"
  echo "       the engine ran $WARMUP_CALLS unmeasured warm-up calls first and stays up for all runs (it reconnects after each restart)"
  echo "       Asterisk restarted before every run; SIPp, Asterisk and the engine share the machine's cores"
  echo "       native = dialplan Answer()+Wait (SIPp from $NATIVE_IP); engine = Stasis app, pbxrouter answers (SIPp from $ENGINE_IP)"
  echo "latency = INVITE->200 in ms (nearest-rank percentiles); cpu = CPU seconds (user+system) during the run;"
  echo "       'machine busy' = all cores' busy time over the run (2 cores = 200% of wall); 'SIPp+others' = busy time not"
  echo "       used by Asterisk or the engine: SIPp itself and anything else running on the machine"
  echo "failed = calls that did not complete (SIPp failures, or not finished within the time bound); engine ok includes"
  echo "       calls the engine sent to the dialplan fallback (voicemail answered them): see 'sent to fallback' below"
  echo
  printf '%5s | %-40s | %s\n' "" "native dialplan" "engine (ARI)"
  printf '%5s | %12s %6s %6s %7s | %12s %6s %6s %7s %7s %8s\n' rate "ok/failed" p50 p99 ast-cpu "ok/failed" p50 p99 ast-cpu eng-cpu eng/1000
  printf '%s\n' "${ROWS[@]}"
  echo
  printf '%s\n' "${DETAILS[@]}"
  echo "engine log lines at warning level or above, besides the expected disconnects/reconnects: $ENGINE_WARNINGS (log: $WORK/engine.log)"
  echo "SIPp traces: $WORK"
} | tee "$REPORT"
log "saved $REPORT"
