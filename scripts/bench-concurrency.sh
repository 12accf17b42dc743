#!/usr/bin/env bash
# Concurrency benchmark: many callers waiting at once with music on hold, then served by a remote secretariat.
#
#   scripts/bench-concurrency.sh        run it (about 2 minutes per level), print the table, save it in artifacts/bench/
#   scripts/bench-concurrency.sh stop   stop what an interrupted run left behind (engine, SIPp, benchc Asterisk)
#
# The rules (written for each run in its work folder): ceil(callers / 100) practices conc-01..., open all day, each with
# a reception queue of one phone (max_callers 100, the highest allowed) whose SIPp phone rings and never answers, so
# nobody is free: every caller is answered, waits with music for the queue's max wait (BENCH_WAIT_S), then overflows
# to the remote secretariat (a SIPp answering at once, behind the trunk); the caller hangs up BENCH_TALK_MS after the
# max wait (the overflow's setup time comes out of that, printed as 'overflow delay').
# SIPp places the callers at BENCH_CALL_RATE calls/s, spread over the practices, so all of them wait at once.
# For each level: native baseline first (Answer() + MusicOnHold() for the same time, SIPp from 127.0.0.31; no
# secretariat leg), then the engine (fresh engine and database, SIPp from 127.0.0.2, the trunk). Asterisk is restarted
# before every run. Printed: calls accounted for from SIPp's side and from the engine's call records, engine RSS
# (steady while all wait, and peak VmHWM), GC counts and heap (dotnet-counters), Asterisk and engine CPU.
# Figures only, no pass/fail on them; exit code non-zero only when something could not run at all.
#
# Settings (environment, all optional):
#   BENCH_CALLERS   simultaneous callers per level ("100 500 1000")   BENCH_WAIT_S  queue max wait, 10-3600 (60)
#   BENCH_TALK_MS   caller stays this long after the max wait (20000)  BENCH_CALL_RATE  calls/s placing them (50)
#   BENCH_NATIVE    1: run the native baseline too (1)
#   BENCHC_SIP_PORT / BENCHC_ARI_PORT  benchc Asterisk ports (5560 / 8588); RTP 52000-61999; metrics 127.0.0.1:8590
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"
cd "$PBX_REPO"

LEVELS="${BENCH_CALLERS:-100 500 1000}"
WAIT_S="${BENCH_WAIT_S:-60}"
TALK_MS="${BENCH_TALK_MS:-20000}"
CALL_RATE="${BENCH_CALL_RATE:-50}"
NATIVE="${BENCH_NATIVE:-1}"
for v in $LEVELS "$WAIT_S" "$TALK_MS" "$CALL_RATE"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CALLERS, BENCH_WAIT_S, BENCH_TALK_MS and BENCH_CALL_RATE take positive integers (got '$v')"
done
[ "$WAIT_S" -ge 10 ] && [ "$WAIT_S" -le 3600 ] || die "BENCH_WAIT_S takes 10 to 3600 (a queue's max wait)"
MAX_LEVEL=$(printf '%s\n' $LEVELS | sort -n | tail -n 1)
[ "$MAX_LEVEL" -le 5000 ] || die "BENCH_CALLERS: at most 5000 callers per level"

export PBX_INSTANCE=benchc PBX_BENCH=1  # renders the native baselines (asterisk-config/bench/)
export PBX_SIP_PORT="${BENCHC_SIP_PORT:-5560}" PBX_ARI_PORT="${BENCHC_ARI_PORT:-8588}"
export PBX_RTP_START=52000 PBX_RTP_END=61999
export PBX_TRUNK_PEER=127.0.0.2 PBX_TRUNK_PORT=5590 PBX_FALLBACK_NUMBER=
WEB_URL=http://127.0.0.1:8590
SIPP_PORT=5561
PHONE_IP=127.0.0.52 PHONE_PORT=5571     # every practice's phone registers this one contact: one SIPp rings for all
SCENARIOS="$PBX_REPO/tests/PbxRouter.IntegrationTests/Scenarios"
PATIENT="$SCENARIOS/bench-hold-patient.xml"
NATIVE_IP=127.0.0.31    # asterisk-config/bench/pjsip_bench.conf: endpoint bench-native-hold -> Answer() + MusicOnHold()
ENGINE_IP=127.0.0.2     # the trunk: context from-trunk -> Stasis(pbxrouter,inbound,EXTEN)
PRACTICES=$(( (MAX_LEVEL + 99) / 100 ))

STATE_DIR="$PBX_CACHE/benchc"
ENGINE_PID_FILE="$STATE_DIR/engine.pid"
PIDS_FILE="$STATE_DIR/sipp.pids"        # the SIPp processes this script started (phones, secretariat, patients)
CLK_TCK=$(getconf CLK_TCK)
COUNTERS_PID=""

number_of() { printf '+331449000%02d' "$1"; }   # practice i's number (01 44 90 00 ii)
practice_of() { printf 'conc-%02d' "$1"; }

stop_counters() {
  if [ -n "$COUNTERS_PID" ] && kill -0 "$COUNTERS_PID" 2>/dev/null; then
    kill -INT "$COUNTERS_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$COUNTERS_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$COUNTERS_PID" 2>/dev/null || true
  fi
  COUNTERS_PID=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_counters
  stop_sipps
  stop_engine
  scripts/asterisk.sh stop >/dev/null 2>&1 || log "warning: could not stop the benchc Asterisk instance"
  exit "$rc"
}

mkdir -p "$STATE_DIR"
if [ "${1:-}" = stop ]; then stop_sipps; stop_engine; scripts/asterisk.sh stop; exit 0; fi
[ $# -eq 0 ] || { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

STAMP=$(date +%Y%m%d-%H%M%S)
WORK="$STATE_DIR/$STAMP"
OUT_DIR="$PBX_REPO/artifacts/bench"
REPORT="$OUT_DIR/concurrency-$STAMP.txt"
mkdir -p "$WORK/rules" "$OUT_DIR"

trap cleanup EXIT
trap 'exit 130' INT TERM

scripts/asterisk.sh install
command -v sipp >/dev/null || die "sipp not found (scripts/asterisk.sh install installs it)"
command -v sqlite3 >/dev/null || die "sqlite3 not found: the engine's call records cannot be counted (apt-get install sqlite3)"
COUNTERS=$(command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters")
if [ ! -x "$COUNTERS" ]; then
  log "installing dotnet-counters (dotnet tool install --global)"
  dotnet tool install --global dotnet-counters >/dev/null 2>&1 || log "warning: dotnet-counters could not be installed: no GC figures"
fi
[ "$(ulimit -n)" -ge $((MAX_LEVEL * 4 + 1024)) ] || ulimit -n $((MAX_LEVEL * 4 + 1024)) 2>/dev/null \
  || log "warning: ulimit -n $(ulimit -n) may be too low for $MAX_LEVEL callers"
stop_sipps; stop_engine
scripts/pbxrouter --help >/dev/null       # builds the engine if needed, before anything is timed

# ---- the rules: PRACTICES practices, each a queue of one phone that rings unanswered, then the secretariat -------
{
  echo "# Generated by scripts/bench-concurrency.sh: $PRACTICES practices whose reception never answers."
  echo "version: 1"
  echo "trunks:"
  echo "  - { id: bench-carrier, name: SIPp playing the carrier, host: \"$PBX_TRUNK_PEER:$PBX_TRUNK_PORT\", ip_addresses: [\"$PBX_TRUNK_PEER\"] }"
  echo "secretariats:"
  echo "  - { id: bench-secretariat, name: SIPp secretariat, number: \"+33 5 67 00 00 00\", trunk: bench-carrier }"
  echo "practices:"
  for i in $(seq 1 "$PRACTICES"); do
    export "BENCHC_P${i}_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
    cat <<EOF
  - id: $(practice_of "$i")
    name: Concurrency practice $i
    numbers: ["$(number_of "$i")"]
    trunk: bench-carrier
    time_zone: Europe/Paris
    phones: [{ id: accueil, extension: "101", password_env: BENCHC_P${i}_PASSWORD }]
    hours: { every_day: ["00:00-24:00"] }
    holidays: { calendar: none }
    queue: { members: [accueil], strategy: round_robin, ring_time: 15s, max_wait: ${WAIT_S}s, max_callers: 100, music: default }
    overflow: { to: [bench-secretariat] }
    routes: { open: [queue, overflow], closed: [queue, overflow] }
EOF
  done
} >"$WORK/rules/concurrency.yaml"

# Injection file: level N calls the practices in turn (N / PRACTICES callers each, at most 100).
injection() {
  local n=$1 k i
  k=$(( (n + 99) / 100 ))
  echo SEQUENTIAL
  for i in $(seq 1 "$k"); do echo "$(number_of "$i");"; done
}

# ---- helpers --------------------------------------------------------------------------------
start_engine() {
  local db=$1
  PBXROUTER_Engine__GreetingMedia='' PBXROUTER_Logging__Level=Warn PBXROUTER_Database__Path="$db" \
    PBXROUTER_Asterisk__PhoneQualifySeconds=0 PBXROUTER_Web__Url="$WEB_URL" \
    scripts/pbxrouter serve >>"$WORK/engine.log" 2>&1 &
  echo $! >"$ENGINE_PID_FILE"
  wait_engine_connected
}

endpoint_state() { ari "endpoints/PJSIP/$1" | sed -n 's/.*"state" *: *"\([a-z]*\)".*/\1/p'; }

# Every practice's phone registers the one contact PHONE_IP:PHONE_PORT (before the ringing SIPp binds it).
register_phones() {
  local k=$1 attempt i id var ok
  for attempt in 1 2 3 4 5; do
    sleep 2                                   # the engine's provisioning reload
    ok=1
    for i in $(seq 1 "$k"); do
      id="$(practice_of "$i").accueil"; var="BENCHC_P${i}_PASSWORD"
      [ "$(endpoint_state "$id")" = online ] && continue
      sipp "127.0.0.1:$PBX_SIP_PORT" -sf "$SCENARIOS/phone-register.xml" -s "$id" -au "$id" -ap "${!var}" \
        -i "$PHONE_IP" -p "$PHONE_PORT" -bind_local -m 1 -nostdin -timeout 15s -timeout_error >>"$WORK/register.log" 2>&1 || ok=0
    done
    sleep 0.5
    for i in $(seq 1 "$k"); do [ "$(endpoint_state "$(practice_of "$i").accueil")" = online ] || ok=0; done
    [ "$ok" = 1 ] && return 0
    log "  phones not all online yet (attempt $attempt); registering again"
  done
  tail -n 5 "$WORK/register.log" >&2
  die "the SIPp phones could not register with the benchc instance"
}

# start_uas DIR NAME SCENARIO IP PORT MEDIA_PORT: a SIPp UAS for the whole run.
start_uas() {
  local dir=$1/$2
  mkdir -p "$dir"
  ( cd "$dir" && exec sipp -sf "$SCENARIOS/$3" -i "$4" -p "$5" -mp "$6" -bind_local -aa -nostdin \
      -trace_stat -stf stat.csv -fd 1 -trace_err -l 100000 -timeout 3600s >sipp.out 2>&1 ) &
  echo $! >>"$PIDS_FILE"
}

# Engine's call records: "overflowed abandoned other in-progress" and "outcome:count ..." for the details.
engine_records() {
  sqlite3 -separator ' ' "file:$1?mode=ro" \
    "SELECT coalesce(sum(outcome = 'overflowed'), 0), coalesce(sum(outcome = 'abandoned'), 0),
       coalesce(sum(outcome NOT IN ('overflowed', 'abandoned')), 0), coalesce(sum(outcome IS NULL), 0) FROM call_records;"
}
# Seconds from "max wait reached" to the overflowed step (the secretariat answered): "p50 p99 max".
overflow_delay() {
  sqlite3 "file:$1?mode=ro" "SELECT (julianday(o.at) - julianday(m.at)) * 86400 FROM call_steps m
      JOIN call_steps o ON o.call_id = m.call_id AND o.kind = 'overflowed'
      WHERE m.kind = 'unanswered' AND m.detail LIKE 'max wait%';" | sort -n | awk '{v[NR] = $1}
    function at(p,  i) { i = int(p * NR / 100); if (i < p * NR / 100) i++; if (i < 1) i = 1; return v[i] }
    END { if (NR == 0) print "- - -"; else printf "%.1f %.1f %.1f\n", at(50), at(99), v[NR] }'
}
steps_summary() {
  sqlite3 "file:$1?mode=ro" "SELECT kind || ':' || count(*) FROM call_steps GROUP BY kind ORDER BY kind;" | paste -sd' '
}

# sample_memory FILE PID...: one line every second: seconds since start, then VmRSS and VmHWM (kB) of each pid.
sample_memory() {
  local file=$1 t0 line p; shift
  t0=$(date +%s.%N)
  while :; do
    line=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
    for p in "$@"; do
      line="$line $(awk '/^VmRSS/ {r = $2} /^VmHWM/ {h = $2} END {print r + 0, h + 0}' "/proc/$p/status" 2>/dev/null || echo "0 0")"
    done
    echo "$line" >>"$file"
    sleep 1
  done
}

mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }

# GC figures from dotnet-counters' CSV (.NET 10 System.Runtime meter, one row per counter and second):
# "gen0 gen1 gen2 heap-MB allocated-MB pause-ms exceptions": collections, allocations, GC pause time and exceptions
# during the run (sums of the per-second increments), and the largest GC heap after a collection (all generations).
gc_figures() {
  local f=$1
  [ -s "$f" ] || { echo "- - - - - - -"; return; }
  awk -F',' '
    $3 ~ /^dotnet.gc.collections/ && $3 ~ /gen0/ {g0 += $NF}
    $3 ~ /^dotnet.gc.collections/ && $3 ~ /gen1/ {g1 += $NF}
    $3 ~ /^dotnet.gc.collections/ && $3 ~ /gen2/ {g2 += $NF}
    $3 ~ /^dotnet.gc.last_collection.heap.size/ {heap[$1] += $NF}
    $3 ~ /^dotnet.gc.heap.total_allocated/ {alloc += $NF}
    $3 ~ /^dotnet.gc.pause.time/ {pause += $NF}
    $3 ~ /^dotnet.exceptions/ {exc += $NF}
    END {
      for (t in heap) if (heap[t] > max) max = heap[t]
      printf "%d %d %d %.0f %.0f %.0f %d\n", g0, g1, g2, max / 1048576, alloc / 1048576, pause * 1000, exc
    }' "$f"
}

# run_level KIND N: one SIPp run of N callers; sets the R_* figures.
run_level() {
  local kind=$1 n=$2 ip dir k db ast_pid eng_pid a0 a1 e0 e1 m0 m1 t0 t1 sampler hold timeout ramp
  ip=$NATIVE_IP; [ "$kind" = engine ] && ip=$ENGINE_IP
  dir="$WORK/$kind-$n"; mkdir -p "$dir"
  k=$(( (n + 99) / 100 )); db="$WORK/engine-$n.db"
  restart_asterisk
  if [ "$kind" = engine ]; then
    scripts/pbxrouter rules apply "$WORK/rules/concurrency.yaml" --db "$db" --by bench-concurrency \
      --comment "scripts/bench-concurrency.sh" >"$dir/rules-apply.log" 2>&1 \
      || { cat "$dir/rules-apply.log" >&2; die "could not apply the generated rules"; }
    start_engine "$db"
    register_phones "$k"
    start_uas "$dir" phones phone-rings.xml "$PHONE_IP" "$PHONE_PORT" 48100
    start_uas "$dir" secretariat bench-queue-phone.xml "$PBX_TRUNK_PEER" "$PBX_TRUNK_PORT" 48200
    sleep 1
    eng_pid=$(cat "$ENGINE_PID_FILE")
    if [ -x "$COUNTERS" ]; then
      "$COUNTERS" collect -p "$eng_pid" --refresh-interval 1 --format csv -o "$dir/counters.csv" \
        --counters System.Runtime >"$dir/counters.out" 2>&1 &
      COUNTERS_PID=$!
      disown "$COUNTERS_PID"              # stopped by stop_counters; no job-control message when it must be killed
    fi
  fi
  injection "$n" >"$dir/numbers.csv"
  ast_pid=$(asterisk_pid); eng_pid=$(cat "$ENGINE_PID_FILE" 2>/dev/null || echo "$ast_pid")
  sleep 2
  R_IDLE_RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$eng_pid/status" 2>/dev/null || echo 0)
  sample_memory "$dir/memory.txt" "$eng_pid" "$ast_pid" &
  sampler=$!
  hold=$(( WAIT_S * 1000 + TALK_MS )); ramp=$(( (n + CALL_RATE - 1) / CALL_RATE ))
  [ "$kind" = native ] && hold=$(( WAIT_S * 1000 ))
  timeout=$(( ramp + hold / 1000 + 90 ))
  a0=$(cpu_ticks "$ast_pid"); e0=$(cpu_ticks "$eng_pid"); m0=$(machine_ticks); t0=$(date +%s%N)
  R_RC=0
  ( cd "$dir" && exec sipp "127.0.0.1:$PBX_SIP_PORT" -sf "$PATIENT" -inf "$dir/numbers.csv" \
      -i "$ip" -bind_local -p "$SIPP_PORT" -mp 48000 -r "$CALL_RATE" -m "$n" -l "$n" -d "$hold" \
      -trace_rtt -rtt_freq 1 -trace_stat -stf stat.csv -fd 1 -trace_err \
      -recv_timeout $(( (hold + 30000) )) -timeout "${timeout}s" -nostdin >sipp.out 2>&1 ) &
  local sipp_pid=$!
  echo "$sipp_pid" >>"$PIDS_FILE"
  # The most callers waiting at once, as Asterisk counts its channels.
  R_PEAK_CH=0
  while kill -0 "$sipp_pid" 2>/dev/null; do
    local c; c=$(scripts/asterisk.sh cli 'core show channels count' 2>/dev/null | awk '/active call/ {print $1; exit}')
    [ "${c:-0}" -gt "$R_PEAK_CH" ] && R_PEAK_CH=$c
    sleep 3
  done
  wait "$sipp_pid" 2>/dev/null || R_RC=$?
  a1=$(cpu_ticks "$ast_pid"); e1=$(cpu_ticks "$eng_pid"); m1=$(machine_ticks); t1=$(date +%s%N)
  sleep 3                                   # last BYEs and records
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  [ -s "$dir/stat.csv" ] || { tail -n 20 "$dir/sipp.out" >&2; die "SIPp did not run ($kind, $n callers)"; }
  R_OK=$(stat_field "$dir/stat.csv" 'SuccessfulCall(C)')
  R_FAILED=$(( n - R_OK ))
  read -r R_P50 R_P95 R_P99 < <(percentiles "$(ls "$dir"/*_rtt.csv 2>/dev/null | head -n 1)")
  R_AST=$((a1 - a0)); R_ENG=$((e1 - e0))
  R_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", (b - a) / 1e9}')
  R_MACHINE=$(awk -v w="$R_WALL" -v b="$((m1 - m0))" -v hz="$CLK_TCK" -v n="$(nproc)" 'BEGIN {printf "%.0f%%", 100 * b / hz / (w * n)}')
  R_LEFT=$(scripts/asterisk.sh cli 'core show channels count' 2>/dev/null | awk '/active channel/ {print $1; exit}')
  # Memory while everyone waits: the samples between the end of the ramp and the first overflow (or hang-up).
  read -r R_ENG_STEADY R_ENG_HWM R_AST_STEADY R_AST_HWM < <(awk -v from="$((ramp + 2))" -v to="$((WAIT_S - 2 > ramp + 3 ? WAIT_S - 2 : ramp + 3))" '
    $1 >= from && $1 <= to {e += $2; a += $4; c++} $3 > eh {eh = $3} $5 > ah {ah = $5}
    END {if (c == 0) c = 1; printf "%d %d %d %d\n", e / c, eh, a / c, ah}' "$dir/memory.txt")
  if [ "$kind" = engine ]; then
    stop_counters
    R_GC=$(gc_figures "$dir/counters.csv")
    R_REC=$(engine_records "$db" | tr ' ' '/')
    R_STEPS=$(steps_summary "$db")
    R_OVF_DELAY=$(overflow_delay "$db")
    R_SECRETARIAT=$(stat_field "$dir/secretariat/stat.csv" 'SuccessfulCall(C)')
    R_RUNG=$(stat_field "$dir/phones/stat.csv" 'TotalCallCreated')
    R_WARN=$(grep -cE ' (WARN|ERROR|FATAL) ' "$WORK/engine.log" || true)
    stop_sipps
    stop_engine
  fi
}

# ---- run -------------------------------------------------------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=(); DETAILS=()
for n in $LEVELS; do
  n_ok="-" n_failed="-" n_ast=0 n_astrss=0 n_p99="-" n_wall="-" n_machine="-" n_left="-" n_peak="-"
  if [ "$NATIVE" = 1 ]; then
    log "$n callers: native Answer() + MusicOnHold(), $WAIT_S s each"
    run_level native "$n"
    n_ok=$R_OK n_failed=$R_FAILED n_ast=$R_AST n_astrss=$R_AST_STEADY n_p99=$R_P99 n_wall=$R_WALL n_machine=$R_MACHINE
    n_left=$R_LEFT n_peak=$R_PEAK_CH
    stop_sipps
    log "  native: ok $n_ok failed $n_failed, Asterisk $(cpu_seconds "$n_ast") s CPU, peak $n_peak calls"
  fi
  log "$n callers: engine queue ($WAIT_S s wait with music), then the secretariat"
  run_level engine "$n"
  log "  engine: ok $R_OK failed $R_FAILED, secretariat answered $R_SECRETARIAT, records $R_REC, RSS steady $(mb "$R_ENG_STEADY") MB peak $(mb "$R_ENG_HWM") MB"
  ROWS+=("$(printf '%6s | %5s/%-4s %7s %6s | %5s/%-4s %6s %-15s %7s %7s %6s %6s %6s %-12s' "$n" \
    "$n_ok" "$n_failed" "$(cpu_seconds "$n_ast")" "$(mb "$n_astrss")" \
    "$R_OK" "$R_FAILED" "$R_SECRETARIAT" "$R_REC" "$(cpu_seconds "$R_AST")" "$(cpu_seconds "$R_ENG")" \
    "$(mb "$R_ENG_STEADY")" "$(mb "$R_ENG_HWM")" "$(mb "$R_AST_STEADY")" "$(echo "$R_GC" | awk '{print $1"/"$2"/"$3}')")")
  DETAILS+=("$(printf '%6s native: p99 INVITE->200 %s ms, peak calls on Asterisk %s, sipp run %s s, machine %s busy, channels left %s' \
    "$n" "$n_p99" "$n_peak" "$n_wall" "$n_machine" "$n_left")")
  DETAILS+=("$(printf '%6s engine: p50/p95/p99 INVITE->200 %s/%s/%s ms, peak calls on Asterisk %s, phone rung %s times, engine idle RSS %s MB, Asterisk peak RSS %s MB' \
    "$n" "$R_P50" "$R_P95" "$R_P99" "$R_PEAK_CH" "$R_RUNG" "$(mb "$R_IDLE_RSS")" "$(mb "$R_AST_HWM")")")
  DETAILS+=("$(echo "$R_GC" | awk -v n="$n" '{printf "%6s engine: GC heap max %s MB after a collection, %s MB allocated, GC pauses %s ms in all, %s exceptions thrown (dotnet-counters)", n, $4, $5, $6, $7}')")
  DETAILS+=("$(printf '%6s engine: CPU per call Asterisk %s ms, engine %s ms; sipp run %s s, machine %s busy, sipp exit %s, channels left %s, engine warnings %s' \
    "$n" "$(awk -v t="$R_AST" -v hz="$CLK_TCK" -v n="$n" 'BEGIN {printf "%.1f", t / hz * 1000 / n}')" \
    "$(awk -v t="$R_ENG" -v hz="$CLK_TCK" -v n="$n" 'BEGIN {printf "%.1f", t / hz * 1000 / n}')" "$R_WALL" "$R_MACHINE" "$R_RC" "${R_LEFT:-?}" "$R_WARN")")
  DETAILS+=("$(printf '%6s engine: overflow delay (max wait reached -> secretariat answered) p50/p99/max %s s; call steps %s' \
    "$n" "$(echo "$R_OVF_DELAY" | tr ' ' '/')" "$R_STEPS")")
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

{
  echo "PbxRouter concurrency benchmark $(date -Is)"
  echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM, load average before $LOAD_BEFORE, after $LOAD_AFTER"
  echo "software: $(scripts/asterisk.sh cli 'core show version' 2>/dev/null | awk '{print $1" "$2; exit}' || echo Asterisk), dotnet $(dotnet --version 2>/dev/null || echo ?), $(sipp -v 2>/dev/null | grep -o 'SIPp v[0-9.]*' | head -n 1)"
  echo "calls: N callers placed at $CALL_RATE calls/s over ceil(N/100) practices; each is answered and waits with music"
  echo "       $WAIT_S s (the queue's one phone rings, nobody answers), then overflows to the SIPp secretariat and hangs up"
  echo "       $TALK_MS ms after the max wait. native = Answer() + MusicOnHold() for $WAIT_S s (SIPp from $NATIVE_IP), no secretariat leg."
  echo "       Fresh engine and database per level; Asterisk restarted before every run"
  echo "ok/failed = SIPp's completed calls; secr = calls the SIPp secretariat answered; records = engine's call records"
  echo "       overflowed/abandoned/other/in progress; cpu = CPU seconds during the whole run; rss = MB while all wait"
  echo "       (mean of 1 s samples of VmRSS), peak = engine VmHWM; gc = gen0/gen1/gen2 collections during the run"
  echo
  printf '%6s | %-26s | %s\n' "" "native MusicOnHold()" "engine queue flow (ARI) then secretariat"
  printf '%6s | %10s %7s %6s | %10s %6s %-15s %7s %7s %6s %6s %6s %-12s\n' callers "ok/failed" ast-cpu ast-mb \
    "ok/failed" secr records ast-cpu eng-cpu eng-mb peak ast-mb gc
  printf '%s\n' "${ROWS[@]}"
  echo
  printf '%s\n' "${DETAILS[@]}"
  echo "logs and SIPp traces: $WORK"
} | tee "$REPORT"
log "saved $REPORT"
