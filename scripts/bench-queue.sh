#!/usr/bin/env bash
# Load benchmark of the reception queue: the engine's queue flow, side by side with Asterisk's native Queue().
#
#   scripts/bench-queue.sh        run it (about 1 minute per rate), print the table, save it in artifacts/bench/
#   scripts/bench-queue.sh stop   stop what an interrupted run left behind (engine, SIPp phones, benchq Asterisk)
#
# The practice of samples/bench/queue-bench.yaml: always open, no greeting, a queue ringing BENCH_PHONES
# SIPp phones round robin; the phones answer at once, the patient hangs up BENCH_HOLD_MS after its 200.
# For every rate (calls/s) SIPp places patient calls for BENCH_SECONDS seconds, first to the native baseline
# (dialplan Answer() + Queue(bench), asterisk-config/bench/queues.conf; SIPp from 127.0.0.30), then to the engine
# (trunk, Stasis; SIPp from 127.0.0.2). Asterisk is restarted and the phones register again before each run.
# Figures only, no pass/fail on them; exit code non-zero only when something could not run at all.
#
# Settings (environment, all optional):
#   BENCH_RATES     calls/s to try ("5 10 20 40")      BENCH_SECONDS  seconds per rate and target (20)
#   BENCH_HOLD_MS   patient's call after its 200 (500)  BENCH_PHONES   SIPp phones in the queue, 2-4 (4)
#   BENCH_LIMIT_FACTOR  SIPp -l = rate x this (4)       BENCH_WARMUP_CALLS  unmeasured engine calls first (60; 0: none)
#   BENCHQ_SIP_PORT / BENCHQ_ARI_PORT  benchq Asterisk ports (5460 / 8488); RTP 45000-47999
#   BENCHQ_SIPP_PORT  patient SIPp's port (5461); phones on 127.0.0.41-44, ports 5471-5474
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"
cd "$PBX_REPO"

RATES="${BENCH_RATES:-5 10 20 40}"
DURATION="${BENCH_SECONDS:-20}"
HOLD_MS="${BENCH_HOLD_MS:-500}"
PHONES="${BENCH_PHONES:-4}"
LIMIT_FACTOR="${BENCH_LIMIT_FACTOR:-4}"
WARMUP_CALLS="${BENCH_WARMUP_CALLS:-60}"
for v in $RATES "$DURATION" "$HOLD_MS" "$LIMIT_FACTOR" "$PHONES"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RATES, BENCH_SECONDS, BENCH_HOLD_MS, BENCH_PHONES and BENCH_LIMIT_FACTOR take positive integers (got '$v')"
done
[ "$PHONES" -ge 2 ] && [ "$PHONES" -le 4 ] || die "BENCH_PHONES takes 2, 3 or 4 (the rules have 4 phones)"
[[ "$WARMUP_CALLS" =~ ^[0-9]+$ ]] || die "BENCH_WARMUP_CALLS takes an integer (got '$WARMUP_CALLS')"

export PBX_INSTANCE=benchq PBX_BENCH=1  # renders the native baselines (asterisk-config/bench/)
export PBX_SIP_PORT="${BENCHQ_SIP_PORT:-5460}" PBX_ARI_PORT="${BENCHQ_ARI_PORT:-8488}"
export PBX_RTP_START=45000 PBX_RTP_END=47999
export PBX_TRUNK_PEER=127.0.0.2 PBX_TRUNK_PORT=5490 PBX_FALLBACK_NUMBER=
SIPP_PORT="${BENCHQ_SIPP_PORT:-5461}"
SIPP_MEDIA_PORT=48000
SCENARIOS="$PBX_REPO/tests/PbxRouter.IntegrationTests/Scenarios"
PATIENT="$SCENARIOS/bench-queue-patient.xml"
RULES="$PBX_REPO/samples/bench/queue-bench.yaml"
NATIVE_IP=127.0.0.30    # asterisk-config/bench/pjsip_bench.conf: endpoint bench-native-queue -> context bench-native-queue
ENGINE_IP=127.0.0.2     # the trunk: context from-trunk -> Stasis(pbxrouter,inbound,EXTEN)
CALLED=+33145990000     # the benchmark practice's number
PRACTICE=benchq

STATE_DIR="$PBX_CACHE/benchq"
ENGINE_PID_FILE="$STATE_DIR/engine.pid"
PHONE_PIDS_FILE="$STATE_DIR/phones.pids"
SIPP_PID=""
CLK_TCK=$(getconf CLK_TCK)

phone_ip()   { echo "127.0.0.$((40 + $1))"; }
phone_port() { echo "$((5470 + $1))"; }
phone_id()   { echo "$PRACTICE.phone-$1"; }   # PJSIP endpoint = practice.phone (PjsipConfig.PhoneEndpoint)

# The phones' SIPp processes (UAS), by the pids this script recorded.
stop_phones() {
  local pid
  [ -f "$PHONE_PIDS_FILE" ] || return 0
  for pid in $(cat "$PHONE_PIDS_FILE"); do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $(cat "$PHONE_PIDS_FILE"); do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$PHONE_PIDS_FILE"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$SIPP_PID" ] && kill -0 "$SIPP_PID" 2>/dev/null; then kill -TERM "$SIPP_PID" 2>/dev/null || true; fi
  stop_phones
  stop_engine
  scripts/asterisk.sh stop >/dev/null 2>&1 || log "warning: could not stop the benchq Asterisk instance"
  exit "$rc"
}

mkdir -p "$STATE_DIR"
if [ "${1:-}" = stop ]; then stop_phones; stop_engine; scripts/asterisk.sh stop; exit 0; fi
[ $# -eq 0 ] || { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

STAMP=$(date +%Y%m%d-%H%M%S)
WORK="$STATE_DIR/$STAMP"          # SIPp traces, the engine log and database of this run
OUT_DIR="$PBX_REPO/artifacts/bench"
REPORT="$OUT_DIR/queue-$STAMP.txt"
DB="$WORK/benchq.db"
mkdir -p "$WORK" "$OUT_DIR"

trap cleanup EXIT
trap 'exit 130' INT TERM

scripts/asterisk.sh install
command -v sipp >/dev/null || die "sipp not found (scripts/asterisk.sh install installs it)"
command -v sqlite3 >/dev/null || log "warning: sqlite3 not found: the engine's call records will not be counted"
stop_phones; stop_engine                  # left over by an interrupted run
scripts/pbxrouter --help >/dev/null       # builds the engine if needed, before anything is timed

# The phones' SIP passwords: made for this run, given to the engine (provisioning) and to the SIPp phones.
for i in 1 2 3 4; do
  if [ "$i" -le "$PHONES" ]; then
    export "BENCHQ_PHONE${i}_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
  else
    unset "BENCHQ_PHONE${i}_PASSWORD"      # left out of Asterisk: the queue skips it, Queue() sees it invalid
  fi
done

# ---- helpers (and those of scripts/bench-lib.sh) --------------------------------------------

# "85.0 %": phones reached per ok patient call.
share() { awk -v p="$1" -v n="$2" 'BEGIN {if (n > 0) printf "%.1f %%", 100 * p / n; else printf "-"}'; }

start_engine() {
  # Its own database with the benchmark rules; the engine provisions the phones from them.
  PBXROUTER_Engine__GreetingMedia='' PBXROUTER_Logging__Level=Warn PBXROUTER_Database__Path="$DB" \
    PBXROUTER_Asterisk__PhoneQualifySeconds=0 \
    scripts/pbxrouter serve >>"$WORK/engine.log" 2>&1 &
  echo $! >"$ENGINE_PID_FILE"      # scripts/pbxrouter execs dotnet: this is the engine's pid
  wait_engine_connected
}

endpoint_state() { ari "endpoints/PJSIP/$(phone_id "$1")" | sed -n 's/.*"state" *: *"\([a-z]*\)".*/\1/p'; }

# The engine provisions the phones when it (re)connects and reloads res_pjsip; then each SIPp phone
# registers (phone-register.xml) and must show online before any call is placed.
register_phones() {
  local attempt i pass var ok
  for attempt in 1 2 3 4 5; do
    sleep 2                                 # let the engine's provisioning reload settle
    ok=1
    for i in $(seq 1 "$PHONES"); do
      var="BENCHQ_PHONE${i}_PASSWORD"
      sipp "127.0.0.1:$PBX_SIP_PORT" -sf "$SCENARIOS/phone-register.xml" -s "$(phone_id "$i")" -au "$(phone_id "$i")" \
        -ap "${!var}" -i "$(phone_ip "$i")" -p "$(phone_port "$i")" -bind_local -m 1 -nostdin -timeout 15s -timeout_error \
        >"$WORK/register-$i.log" 2>&1 || ok=0
    done
    sleep 0.5
    for i in $(seq 1 "$PHONES"); do [ "$(endpoint_state "$i")" = online ] || ok=0; done
    [ "$ok" = 1 ] && return 0
    log "  phones not all online yet (attempt $attempt); registering again"
  done
  tail -n 5 "$WORK"/register-*.log >&2
  die "the SIPp phones could not register with the benchq instance"
}

# start_phones DIR: one SIPp UAS per phone, answering at once, for the whole run.
start_phones() {
  local dir=$1 i
  : >"$PHONE_PIDS_FILE"
  for i in $(seq 1 "$PHONES"); do
    mkdir -p "$dir/phone-$i"
    ( cd "$dir/phone-$i" && exec sipp -sf "$SCENARIOS/bench-queue-phone.xml" -i "$(phone_ip "$i")" -p "$(phone_port "$i")" \
        -mp "$((SIPP_MEDIA_PORT + 10 * i))" -bind_local -aa -nostdin -trace_stat -stf stat.csv -fd 1 -trace_err \
        -timeout "$((DURATION + 90))s" >sipp.out 2>&1 ) &
    echo $! >>"$PHONE_PIDS_FILE"
  done
  sleep 0.5
}

# The engine's call records so far: "answered abandoned other-outcome in-progress legs-that-never-started".
# The last one counts member legs the queue created that never reached Stasis (see docs/benchmarks.md).
engine_outcomes() {
  command -v sqlite3 >/dev/null || { echo "0 0 0 0 0"; return; }
  sqlite3 -separator ' ' "file:$DB?mode=ro" \
    "SELECT sum(outcome = 'answered'), sum(outcome = 'abandoned'), sum(outcome NOT IN ('answered', 'abandoned')), sum(outcome IS NULL),
       (SELECT count(*) FROM call_steps WHERE kind = 'unanswered' AND detail LIKE '%did not enter Stasis%') FROM call_records;" 2>/dev/null \
    | awk '{print $1 + 0, $2 + 0, $3 + 0, $4 + 0, $5 + 0}' || echo "0 0 0 0 0"
}

# run_calls KIND RATE: one SIPp run with the phones up; sets R_OK R_FAILED R_P50 R_P95 R_P99 R_AST R_ENG
# R_OTHER R_WALL R_MACHINE R_RC R_LEFT R_FALLBACK R_PHONES R_SPLIT R_PHONE_FAILED R_REC R_DEADLEGS.
run_calls() {
  local kind=$1 rate=$2 ip dir calls limit ast_pid eng_pid a0 a1 e0 e1 f0 m0 m1 t0 t1 i n o0 o1
  ip=$NATIVE_IP; [ "$kind" = engine ] && ip=$ENGINE_IP
  dir="$WORK/$kind-$rate"; mkdir -p "$dir"
  calls=$((rate * DURATION)); limit=$((rate * LIMIT_FACTOR))
  start_phones "$dir"
  ast_pid=$(asterisk_pid); eng_pid=$(cat "$ENGINE_PID_FILE")
  sleep 1                                   # let the restart settle
  o0=$(engine_outcomes)
  a0=$(cpu_ticks "$ast_pid"); e0=$(cpu_ticks "$eng_pid"); m0=$(machine_ticks); t0=$(date +%s%N)
  R_RC=0
  f0=$(fallback_count)
  ( cd "$dir" && exec sipp "127.0.0.1:$PBX_SIP_PORT" -sf "$PATIENT" -s "$CALLED" \
      -i "$ip" -bind_local -p "$SIPP_PORT" -mp "$SIPP_MEDIA_PORT" \
      -r "$rate" -m "$calls" -l "$limit" -d "$HOLD_MS" \
      -trace_rtt -rtt_freq 1 -trace_stat -stf stat.csv -fd 1 -trace_err \
      -recv_timeout 10000 -timeout "$((DURATION + 40))s" -nostdin >sipp.out 2>&1 ) &
  SIPP_PID=$!
  wait "$SIPP_PID" || R_RC=$?
  SIPP_PID=""
  a1=$(cpu_ticks "$ast_pid"); e1=$(cpu_ticks "$eng_pid"); m1=$(machine_ticks); t1=$(date +%s%N)
  R_MEM=$(memory_line "$ast_pid" "$eng_pid")
  sleep 2                                   # the phones' last BYEs, and their stat files' next line
  stop_phones
  [ -s "$dir/stat.csv" ] || { tail -n 20 "$dir/sipp.out" >&2; die "SIPp did not run ($kind, $rate calls/s)"; }
  R_OK=$(stat_field "$dir/stat.csv" 'SuccessfulCall(C)')
  R_FAILED=$((calls - R_OK))                # failed or never completed within the time bound
  read -r R_P50 R_P95 R_P99 < <(percentiles "$(ls "$dir"/*_rtt.csv 2>/dev/null | head -n 1)")
  R_AST=$((a1 - a0)); R_ENG=$((e1 - e0))
  R_OTHER=$(( (m1 - m0) - R_AST - R_ENG ))
  R_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) / 1e9}')
  R_MACHINE=$(awk -v w="$R_WALL" -v b="$((m1 - m0))" -v hz="$CLK_TCK" -v n="$(nproc)" 'BEGIN {printf "%.0f%%", 100 * b / hz / (w * n)}')
  R_FALLBACK=$(( $(fallback_count) - f0 ))
  # Answered by a phone = calls the SIPp phones completed (INVITE answered, BYE received).
  R_PHONES=0; R_SPLIT=""; R_PHONE_FAILED=0
  for i in $(seq 1 "$PHONES"); do
    n=$(stat_field "$dir/phone-$i/stat.csv" 'SuccessfulCall(C)')
    R_PHONES=$((R_PHONES + n)); R_SPLIT="$R_SPLIT${R_SPLIT:+/}$n"
    R_PHONE_FAILED=$((R_PHONE_FAILED + $(stat_field "$dir/phone-$i/stat.csv" 'FailedCall(C)')))
  done
  o1=$(engine_outcomes)
  # Engine's records of this run: answered / abandoned / other outcomes (calls ended within the run).
  R_REC=$(awk -v a="$o0" -v b="$o1" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "%d/%d/%d/%d", y[1] - x[1], y[2] - x[2], y[3] - x[3], y[4]}')
  R_DEADLEGS=$(awk -v a="$o0" -v b="$o1" 'BEGIN {split(a, x, " "); split(b, y, " "); print y[5] - x[5]}')
  R_LEFT=$(scripts/asterisk.sh cli 'core show channels count' 2>/dev/null | awk '/active channel/ {print $1; exit}')
}

# ---- run -------------------------------------------------------------------------------------
log "applying $RULES to the benchmark's own database"
scripts/pbxrouter rules apply "$RULES" --db "$DB" --by bench-queue --comment "scripts/bench-queue.sh" >"$WORK/rules-apply.log" 2>&1 \
  || { cat "$WORK/rules-apply.log" >&2; die "could not apply the benchmark rules"; }
restart_asterisk
VERSION=$(scripts/asterisk.sh cli 'core show version' 2>/dev/null | awk '{print $1" "$2; exit}')
start_engine
register_phones
if [ "$WARMUP_CALLS" -gt 0 ]; then
  log "warm-up: $WARMUP_CALLS calls through the engine's queue at 10 calls/s (not measured)"
  mkdir -p "$WORK/warmup"
  start_phones "$WORK/warmup"
  ( cd "$WORK/warmup" && exec sipp "127.0.0.1:$PBX_SIP_PORT" -sf "$PATIENT" -s "$CALLED" -i "$ENGINE_IP" -bind_local \
      -p "$SIPP_PORT" -mp "$SIPP_MEDIA_PORT" -r 10 -m "$WARMUP_CALLS" -l 40 -d "$HOLD_MS" -recv_timeout 10000 \
      -timeout "$((WARMUP_CALLS / 10 + 30))s" -nostdin >sipp.out 2>&1 ) &
  SIPP_PID=$!
  wait "$SIPP_PID" || log "warning: warm-up calls did not all succeed (SIPp exit $?)"
  SIPP_PID=""
  sleep 2
  stop_phones
fi

ROWS=(); DETAILS=()
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for rate in $RATES; do
  for kind in native engine; do
    log "rate $rate calls/s: $kind, $DURATION s"
    restart_asterisk
    wait_engine_connected
    register_phones
    run_calls "$kind" "$rate"
    log "  $kind: ok $R_OK failed $R_FAILED p50 ${R_P50} ms p99 ${R_P99} ms, answered by phones $R_PHONES ($R_SPLIT)," \
        "Asterisk $(cpu_seconds "$R_AST") s, engine $(cpu_seconds "$R_ENG") s CPU"
    if [ "$kind" = native ]; then
      n_ok=$R_OK n_failed=$R_FAILED n_p50=$R_P50 n_p95=$R_P95 n_p99=$R_P99 n_ast=$R_AST n_rc=$R_RC n_left=$R_LEFT n_eng=$R_ENG n_mem=$R_MEM
      n_other=$R_OTHER n_wall=$R_WALL n_machine=$R_MACHINE n_phones=$R_PHONES n_split=$R_SPLIT n_pfail=$R_PHONE_FAILED
    fi
  done
  ROWS+=("$(printf '%5s | %6s/%-5s %6s %6s %6s %7s %7s | %6s/%-5s %6s %6s %6s %7s %7s %7s %8s' "$rate" \
    "$n_ok" "$n_failed" "$n_p50" "$n_p99" "$n_phones" "$(cpu_seconds "$n_ast")" "$(per_1000 "$n_ast" "$n_ok")" \
    "$R_OK" "$R_FAILED" "$R_P50" "$R_P99" "$R_PHONES" "$(cpu_seconds "$R_AST")" "$(per_1000 "$R_AST" "$R_OK")" \
    "$(cpu_seconds "$R_ENG")" "$(per_1000 "$R_ENG" "$R_OK")")")
  DETAILS+=("$(printf '%5s native: p95 %s ms, answered per phone %s (phone-side failures %s), engine CPU (idle) %s s, sipp exit %s, channels left %s; %s s, machine %s busy, SIPp+others %s s CPU' \
    "$rate" "$n_p95" "$n_split" "$n_pfail" "$(cpu_seconds "$n_eng")" "$n_rc" "${n_left:-?}" "$n_wall" "$n_machine" "$(cpu_seconds "$n_other")")")
  DETAILS+=("$(printf '%5s engine: p95 %s ms, answered per phone %s (phone-side failures %s), records answered/abandoned/other/in progress %s, member legs that never started %s, Asterisk+engine CPU/1000 calls %s s, sipp exit %s, channels left %s, flows failed to fallback %s' \
    "$rate" "$R_P95" "$R_SPLIT" "$R_PHONE_FAILED" "$R_REC" "$R_DEADLEGS" "$(per_1000 $((R_AST + R_ENG)) "$R_OK")" "$R_RC" "${R_LEFT:-?}" "$R_FALLBACK")")
  DETAILS+=("$(printf '%5s engine: %s s, machine %s busy, SIPp+others %s s CPU' "$rate" "$R_WALL" "$R_MACHINE" "$(cpu_seconds "$R_OTHER")")")
  DETAILS+=("$(printf '%5s memory after native: %s' "$rate" "$n_mem")")
  DETAILS+=("$(printf '%5s memory after engine: %s' "$rate" "$R_MEM")")
  DETAILS+=("$(printf '%5s vs native: patients who reached a phone %s (engine) vs %s (native); Asterisk+engine CPU per call %s x native Queue()'"'"'s Asterisk CPU per call' \
    "$rate" "$(share "$R_PHONES" "$R_OK")" "$(share "$n_phones" "$n_ok")" \
    "$(awk -v e=$((R_AST + R_ENG)) -v eo="$R_OK" -v n="$n_ast" -v no="$n_ok" 'BEGIN {if (eo > 0 && no > 0 && n > 0) printf "%.2f", (e / eo) / (n / no); else printf "-"}')")")
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
ENGINE_WARNINGS=$(grep -E ' (WARN|ERROR|FATAL) ' "$WORK/engine.log" | grep -cvE 'ARI events (disconnected|reconnect attempt)' || true)

{
  echo "PbxRouter queue benchmark $(date -Is)"
  echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM, load average before $LOAD_BEFORE, after $LOAD_AFTER"
  echo "software: ${VERSION:-Asterisk ?}, dotnet $(dotnet --version 2>/dev/null || echo ?), $(sipp -v 2>/dev/null | grep -o 'SIPp v[0-9.]*' | head -n 1)"
  echo "calls: the patient is answered, waits in the queue (music), a free phone is rung round robin and answers at once;"
  echo "       the patient hangs up ${HOLD_MS} ms after its 200. $PHONES SIPp phones (one call each at a time), ${DURATION} s per rate"
  echo "       (rate x ${DURATION} calls), SIPp -l rate x $LIMIT_FACTOR; engine warmed up with $WARMUP_CALLS unmeasured calls"
  echo "       native = Answer() + Queue(bench) rrmemory, ringinuse=no (SIPp from $NATIVE_IP); engine = samples/bench/queue-bench.yaml,"
  echo "       queue round_robin, no greeting (SIPp from $ENGINE_IP). Asterisk restarted, phones registered again before every run"
  echo "latency = patient's INVITE->200 in ms (nearest rank); phones = calls answered by a phone (the SIPp phones' completed calls);"
  echo "       cpu = CPU seconds (user+system) during the run; /1000 = per 1000 ok patient calls"
  echo
  printf '%5s | %-52s | %s\n' "" "native Queue()" "engine queue flow (ARI)"
  printf '%5s | %12s %6s %6s %6s %7s %7s | %12s %6s %6s %6s %7s %7s %7s %8s\n' rate "ok/failed" p50 p99 phones ast-cpu ast/1k \
    "ok/failed" p50 p99 phones ast-cpu ast/1k eng-cpu eng/1k
  printf '%s\n' "${ROWS[@]}"
  echo
  printf '%s\n' "${DETAILS[@]}"
  echo "engine log lines at warning level or above, besides the expected disconnects/reconnects: $ENGINE_WARNINGS (log: $WORK/engine.log)"
  echo "SIPp traces: $WORK"
} | tee "$REPORT"
log "saved $REPORT"
