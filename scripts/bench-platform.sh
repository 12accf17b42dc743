#!/usr/bin/env bash
# Platform benchmark: a whole remote-secretariat platform (BENCH_PRACTICES practices, 500 by default) on one box.
#
#   scripts/bench-platform.sh        run it (BENCH_SECONDS per rate, 3 minutes by default), print the figures
#   scripts/bench-platform.sh stop   stop what an interrupted run left behind (engine, SIPp, benchp Asterisk)
#
# The rules (generated for each run in its work folder, applied with `pbxrouter rules apply`): practices cab-0001...,
# open all day, in three kinds by number: i % 5 = 1 staffed (two reception phones, registered by one SIPp that answers
# at once), i % 5 = 0 closed every day (the closed message with 15 and 116 117, then voicemail), the others unstaffed
# (phones not registered: the queue has nobody and the call overflows to the remote secretariat, a SIPp behind the
# trunk answering at once). SIPp calls random practices (all but cab-0002) at each rate of BENCH_RATES for
# BENCH_SECONDS; every patient hangs up BENCH_HOLD_MS after the 200. Afterwards each call record is checked: the
# practice it names owns the called number, and where the call went (answered / overflowed / voicemail) is what its
# practice's kind gives, as `pbxrouter route` explains for one practice of each kind (printed).
# During the first rate a second SIPp calls cab-0002 (unstaffed) once a second, 20 s each; halfway through, the rules
# are applied again with cab-0002 closed every day: its calls in progress must go on with the secretariat undisturbed
# (counted), its calls started after (the engine picks a version up within a second) must go to voicemail.
# Figures only, no pass/fail on them; exit code non-zero only when something could not run at all.
#
# Settings (environment, all optional):
#   BENCH_PRACTICES  practices (500, at most 9999)   BENCH_RATES  calls/s ("2 5 10")   BENCH_SECONDS  per rate (60)
#   BENCH_HOLD_MS    patient's call after its 200 (15000: longer than the closed message, so closed calls reach voicemail)
#   BENCHP_SIP_PORT / BENCHP_ARI_PORT  benchp Asterisk ports (5660 / 8688); RTP 41000-44999; metrics 127.0.0.1:8690
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"
cd "$PBX_REPO"

PRACTICES="${BENCH_PRACTICES:-500}"
RATES="${BENCH_RATES:-2 5 10}"
DURATION="${BENCH_SECONDS:-60}"
HOLD_MS="${BENCH_HOLD_MS:-15000}"
for v in $RATES "$DURATION" "$HOLD_MS" "$PRACTICES"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || die "BENCH_PRACTICES, BENCH_RATES, BENCH_SECONDS and BENCH_HOLD_MS take positive integers (got '$v')"
done
[ "$PRACTICES" -ge 10 ] && [ "$PRACTICES" -le 9999 ] || die "BENCH_PRACTICES takes 10 to 9999"
[ "$DURATION" -ge 30 ] || die "BENCH_SECONDS takes at least 30 (the changed practice's calls last 20 s)"

export PBX_INSTANCE=benchp
export PBX_SIP_PORT="${BENCHP_SIP_PORT:-5660}" PBX_ARI_PORT="${BENCHP_ARI_PORT:-8688}"
export PBX_RTP_START=41000 PBX_RTP_END=44999
export PBX_TRUNK_PEER=127.0.0.2 PBX_TRUNK_PORT=5690 PBX_FALLBACK_NUMBER=
WEB_URL=http://127.0.0.1:8690
PHONE_IP=127.0.0.53 PHONE_PORT=5671      # every staffed practice's phone registers this one contact: one SIPp answers for all
SCENARIOS="$PBX_REPO/tests/PbxRouter.IntegrationTests/Scenarios"
PATIENT="$SCENARIOS/bench-hold-patient.xml"
CHANGED=2                                 # cab-0002: unstaffed (overflow), then closed while the load runs
CHANGED_HOLD_MS=20000

STATE_DIR="$PBX_CACHE/benchp"
ENGINE_PID_FILE="$STATE_DIR/engine.pid"
PIDS_FILE="$STATE_DIR/sipp.pids"
CLK_TCK=$(getconf CLK_TCK)

practice_of() { printf 'cab-%04d' "$1"; }
number_of()   { printf '+33148%05d0' "$1"; }              # 01 48 0i ii i0
kind_of()     { case $(( $1 % 5 )) in 1) echo staffed ;; 0) echo closed ;; *) echo unstaffed ;; esac; }

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_sipps
  stop_engine
  scripts/asterisk.sh stop >/dev/null 2>&1 || log "warning: could not stop the benchp Asterisk instance"
  exit "$rc"
}

mkdir -p "$STATE_DIR"
if [ "${1:-}" = stop ]; then stop_sipps; stop_engine; scripts/asterisk.sh stop; exit 0; fi
[ $# -eq 0 ] || { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

STAMP=$(date +%Y%m%d-%H%M%S)
WORK="$STATE_DIR/$STAMP"
OUT_DIR="$PBX_REPO/artifacts/bench"
REPORT="$OUT_DIR/platform-$STAMP.txt"
DB="$WORK/platform.db"
mkdir -p "$WORK/rules" "$WORK/rules-changed" "$OUT_DIR"

trap cleanup EXIT
trap 'exit 130' INT TERM

scripts/asterisk.sh install
command -v sipp >/dev/null || die "sipp not found (scripts/asterisk.sh install installs it)"
command -v sqlite3 >/dev/null || die "sqlite3 not found: the engine's call records cannot be checked (apt-get install sqlite3)"
stop_sipps; stop_engine
scripts/pbxrouter --help >/dev/null       # builds the engine if needed

# ---- the rules --------------------------------------------------------------------------------
# practice_yaml I [closed]: one practice; "closed" makes it closed every day.
practice_yaml() {
  local i=$1 kind hours='every_day: ["00:00-24:00"]' phones="" routes
  kind=$(kind_of "$i")
  { [ "$kind" = closed ] || [ "${2:-}" = closed ]; } && hours='every_day: closed'
  if [ "$kind" != closed ]; then
    phones="    phones:
      - { id: accueil-1, extension: \"101\", password_env: BENCHP_PASSWORD_${i}_1 }
      - { id: accueil-2, extension: \"102\", password_env: BENCHP_PASSWORD_${i}_2 }
    queue: { members: [accueil-1, accueil-2], strategy: round_robin, ring_time: 15s, max_wait: 30s, max_callers: 5 }
    overflow: { to: [bench-secretariat], headers: { X-Practice: $(practice_of "$i") } }
"
    routes='open: [queue, overflow]'
  else
    routes='open: [{ announce: closed }, { voicemail: cabinet }]'
  fi
  cat <<EOF
  - id: $(practice_of "$i")
    name: Cabinet $i
    numbers: ["$(number_of "$i")"]
    trunk: bench-carrier
    time_zone: Europe/Paris
$phones    hours: { $hours }
    holidays: { calendar: none }
    messages:
      closed: { text: "Le cabinet est fermé. En cas d'urgence vitale, appelez le 15. Pour le médecin de garde, appelez le 116 117." }
    voicemail_boxes: [{ id: cabinet }]
    routes:
      $routes
      closed: [{ announce: closed }, { voicemail: cabinet }]
EOF
}

# write_rules DIR [CHANGED-closed]: one file for the shared trunk and secretariat, one per practice.
write_rules() {
  local dir=$1 i
  cat >"$dir/platform.yaml" <<EOF
# Generated by scripts/bench-platform.sh: the carrier and the remote secretariat, SIPp on this machine.
version: 1
trunks:
  - { id: bench-carrier, name: SIPp playing the carrier, host: "$PBX_TRUNK_PEER:$PBX_TRUNK_PORT", ip_addresses: ["$PBX_TRUNK_PEER"] }
secretariats:
  - { id: bench-secretariat, name: SIPp secretariat, number: "+33 5 67 00 00 00", trunk: bench-carrier }
EOF
  for i in $(seq 1 "$PRACTICES"); do
    { echo "version: 1"; echo "practices:"
      if [ "$i" = "$CHANGED" ] && [ -n "${2:-}" ]; then practice_yaml "$i" closed; else practice_yaml "$i"; fi
    } >"$dir/practice-$(printf '%04d' "$i").yaml"
  done
}

for i in $(seq 1 "$PRACTICES"); do
  [ "$(kind_of "$i")" = closed ] && continue
  export "BENCHP_PASSWORD_${i}_1=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
  export "BENCHP_PASSWORD_${i}_2=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
done
log "generating the rules of $PRACTICES practices"
write_rules "$WORK/rules"
write_rules "$WORK/rules-changed" closed

# Random calls: every practice but the changed one. The practice file of the expected kinds, for the check.
{ echo RANDOM; for i in $(seq 1 "$PRACTICES"); do [ "$i" = "$CHANGED" ] || echo "$(number_of "$i");"; done; } >"$WORK/numbers.csv"
{ echo SEQUENTIAL; echo "$(number_of "$CHANGED");"; } >"$WORK/changed-number.csv"
for i in $(seq 1 "$PRACTICES"); do
  case $(kind_of "$i") in staffed) e=answered ;; closed) e=voicemail ;; *) e=overflowed ;; esac
  echo "$(practice_of "$i") $(number_of "$i") $e"
done >"$WORK/expected.txt"

# ---- helpers --------------------------------------------------------------------------------
start_uas() { # DIR NAME SCENARIO IP PORT MEDIA_PORT
  local dir=$1/$2
  mkdir -p "$dir"
  ( cd "$dir" && exec sipp -sf "$SCENARIOS/$3" -i "$4" -p "$5" -mp "$6" -bind_local -aa -nostdin \
      -trace_stat -stf stat.csv -fd 1 -trace_err -l 100000 -timeout 7200s >sipp.out 2>&1 ) &
  echo $! >>"$PIDS_FILE"
}

endpoint_state() { ari "endpoints/PJSIP/$1" | sed -n 's/.*"state" *: *"\([a-z]*\)".*/\1/p'; }

register_phones() {
  local attempt i j id var missing
  for attempt in 1 2 3 4 5; do
    sleep 2
    missing=0
    for i in $(seq 1 "$PRACTICES"); do
      [ "$(kind_of "$i")" = staffed ] || continue
      for j in 1 2; do
        id="$(practice_of "$i").accueil-$j"; var="BENCHP_PASSWORD_${i}_$j"
        [ "$attempt" = 1 ] || [ "$(endpoint_state "$id")" != online ] || continue
        sipp "127.0.0.1:$PBX_SIP_PORT" -sf "$SCENARIOS/phone-register.xml" -s "$id" -au "$id" -ap "${!var}" \
          -i "$PHONE_IP" -p "$PHONE_PORT" -bind_local -m 1 -nostdin -timeout 15s -timeout_error >>"$WORK/register.log" 2>&1 \
          || missing=$((missing + 1))
      done
    done
    [ "$missing" = 0 ] && return 0
    log "  $missing phones did not register (attempt $attempt); again"
  done
  tail -n 5 "$WORK/register.log" >&2
  die "the SIPp phones could not register with the benchp instance"
}

# Where a call went, from its record: its outcome answered/overflowed, or voicemail when it reached the voicemail step
# (a patient who hangs up while the box records is "abandoned" with a voicemail step: SIPp sends no voice).
WENT="CASE WHEN outcome IN ('answered', 'overflowed', 'voicemail') THEN outcome
  WHEN EXISTS (SELECT 1 FROM call_steps s WHERE s.call_id = call_records.call_id AND s.kind = 'voicemail') THEN 'voicemail'
  ELSE coalesce(outcome, 'in-progress') END"

iso_now() { date -u +%Y-%m-%dT%H:%M:%S.%3N; }

# check_records FROM TO: the records of calls started in [FROM, TO) (ISO UTC), the changed practice left out:
# prints "records answered overflowed voicemail other in-progress wrong-practice wrong-outcome".
check_records() {
  sqlite3 -separator ' ' "file:$DB?mode=ro" \
    "SELECT coalesce(practice_id, '-'), called_number, $WENT FROM call_records
     WHERE julianday(started_at) >= julianday('$1') AND julianday(started_at) < julianday('$2')
       AND called_number <> '$(number_of "$CHANGED")';" |
  awk 'NR == FNR {owner[$2] = $1; expect[$1] = $3; next}
    { n++; o[$3 == "answered" || $3 == "overflowed" || $3 == "voicemail" || $3 == "in-progress" ? $3 : "other"]++
      if (owner[$2] != $1) wp++
      else if ($3 != expect[$1]) { wo++; if (wo <= 5) print "  wrong outcome: " $1 " " $3 " (expected " expect[$1] ")" > "/dev/stderr" } }
    END {printf "%d %d %d %d %d %d %d %d\n", n, o["answered"], o["overflowed"], o["voicemail"], o["other"], o["in-progress"], wp, wo}' \
    "$WORK/expected.txt" -
}

# check_changed T0 T1: the changed practice's calls around the apply (started at T0, done at T1): "before-answered
# before-other in-progress-at-T0 of-which-answered after-voicemail after-other window" (window: calls started from T0
# to 1 s after T1, when the engine may or may not have picked the new version up yet).
check_changed() {
  sqlite3 -separator ' ' "file:$DB?mode=ro" \
    "SELECT CASE WHEN julianday(started_at) < julianday('$1') THEN 'before'
                 WHEN julianday(started_at) < julianday('$2') + 1.0 / 86400 THEN 'window' ELSE 'after' END,
            $WENT,
            CASE WHEN julianday(started_at) < julianday('$1') AND (ended_at IS NULL OR julianday(ended_at) > julianday('$1'))
                 THEN 1 ELSE 0 END
     FROM call_records WHERE called_number = '$(number_of "$CHANGED")';" |
  awk '$1 == "before" && $2 == "overflowed" {ba++} $1 == "before" && $2 != "overflowed" {bo++}
       $3 == 1 {ip++; if ($2 == "overflowed") ipa++}
       $1 == "after" && $2 == "voicemail" {av++} $1 == "after" && $2 != "voicemail" {ao++} $1 == "window" {w++}
       END {printf "%d %d %d %d %d %d %d\n", ba, bo, ip, ipa, av, ao, w}'
}

# ---- run --------------------------------------------------------------------------------------
restart_asterisk
VERSION=$(scripts/asterisk.sh cli 'core show version' 2>/dev/null | awk '{print $1" "$2; exit}')
T_APPLY0=$(date +%s%N)
scripts/pbxrouter rules apply "$WORK/rules" --db "$DB" --by bench-platform --comment "scripts/bench-platform.sh" \
  >"$WORK/rules-apply.log" 2>&1 || { tail -n 20 "$WORK/rules-apply.log" >&2; die "could not apply the generated rules"; }
APPLY_S=$(awk -v a="$T_APPLY0" -v b="$(date +%s%N)" 'BEGIN {printf "%.1f", (b - a) / 1e9}')
ROUTES=()
for i in 1 2 5; do   # one practice of each kind, as the rules in force explain it
  ROUTES+=("$(printf '%s (%s): %s' "$(practice_of "$i")" "$(kind_of "$i")" \
    "$(scripts/pbxrouter route --to "$(number_of "$i")" --db "$DB" 2>&1 | grep -iE 'step|queue|overflow|voicemail|announce|closed|open' | head -n 6 | paste -sd';' | tr -s ' ')")")
done
PBXROUTER_Engine__GreetingMedia='' PBXROUTER_Logging__Level=Warn PBXROUTER_Database__Path="$DB" \
  PBXROUTER_Asterisk__PhoneQualifySeconds=0 PBXROUTER_Web__Url="$WEB_URL" \
  scripts/pbxrouter serve >>"$WORK/engine.log" 2>&1 &
echo $! >"$ENGINE_PID_FILE"
wait_engine_connected
log "registering the staffed practices' phones ($(grep -c ' answered$' "$WORK/expected.txt"))"
register_phones
start_uas "$WORK" phones bench-queue-phone.xml "$PHONE_IP" "$PHONE_PORT" 48300
start_uas "$WORK" secretariat bench-queue-phone.xml "$PBX_TRUNK_PEER" "$PBX_TRUNK_PORT" 48400
sleep 1
ENDPOINTS=$(scripts/asterisk.sh cli 'pjsip show endpoints' 2>/dev/null | grep -c '^ *Endpoint:' || true)
ast_pid=$(asterisk_pid); eng_pid=$(cat "$ENGINE_PID_FILE")
IDLE_RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$eng_pid/status")

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=(); DETAILS=(); first=1
for rate in $RATES; do
  dir="$WORK/rate-$rate"; mkdir -p "$dir"
  calls=$((rate * DURATION))
  log "rate $rate calls/s to random practices, $DURATION s"
  from=$(iso_now); a0=$(cpu_ticks "$ast_pid"); e0=$(cpu_ticks "$eng_pid"); m0=$(machine_ticks); t0=$(date +%s%N)
  ( cd "$dir" && exec sipp "127.0.0.1:$PBX_SIP_PORT" -sf "$PATIENT" -inf "$WORK/numbers.csv" -i 127.0.0.2 -bind_local \
      -p 5661 -mp 48700 -r "$rate" -m "$calls" -l $((rate * (HOLD_MS / 1000 + 10) + 50)) -d "$HOLD_MS" \
      -trace_rtt -rtt_freq 1 -trace_stat -stf stat.csv -fd 1 -trace_err -recv_timeout 60000 \
      -timeout "$((DURATION + HOLD_MS / 1000 + 60))s" -nostdin >sipp.out 2>&1 ) &
  sipp_pid=$!; echo "$sipp_pid" >>"$PIDS_FILE"
  if [ "$first" = 1 ]; then
    mkdir -p "$WORK/changed"
    ( cd "$WORK/changed" && exec sipp "127.0.0.1:$PBX_SIP_PORT" -sf "$PATIENT" -inf "$WORK/changed-number.csv" -i 127.0.0.2 \
        -bind_local -p 5662 -mp 48900 -r 1 -m "$DURATION" -l 60 -d "$CHANGED_HOLD_MS" -trace_stat -stf stat.csv -fd 1 -trace_err \
        -recv_timeout 60000 -timeout "$((DURATION + 90))s" -nostdin >sipp.out 2>&1 ) &
    changed_pid=$!; echo "$changed_pid" >>"$PIDS_FILE"
    sleep $((DURATION / 2))
    T_CHANGE=$(iso_now)
    log "  applying the rules with $(practice_of "$CHANGED") closed every day, calls to it in progress"
    scripts/pbxrouter rules apply "$WORK/rules-changed" --db "$DB" --by bench-platform --comment "$(practice_of "$CHANGED") closed" \
      >"$WORK/rules-apply-changed.log" 2>&1 || { tail -n 20 "$WORK/rules-apply-changed.log" >&2; die "could not apply the changed rules"; }
    T_CHANGED=$(iso_now)
    CHANGED_ROUTE=$(scripts/pbxrouter route --to "$(number_of "$CHANGED")" --db "$DB" 2>&1 | grep -iE 'step|voicemail|announce|closed' | head -n 4 | paste -sd';' | tr -s ' ')
  fi
  rc=0; wait "$sipp_pid" || rc=$?
  a1=$(cpu_ticks "$ast_pid"); e1=$(cpu_ticks "$eng_pid"); m1=$(machine_ticks); t1=$(date +%s%N)
  if [ "$first" = 1 ]; then wait "$changed_pid" || log "warning: the changed practice's SIPp exited $?"; fi
  sleep 2
  to=$(iso_now)
  [ -s "$dir/stat.csv" ] || { tail -n 20 "$dir/sipp.out" >&2; die "SIPp did not run ($rate calls/s)"; }
  ok=$(stat_field "$dir/stat.csv" 'SuccessfulCall(C)'); failed=$((calls - ok))
  read -r p50 p95 p99 < <(percentiles "$(ls "$dir"/*_rtt.csv 2>/dev/null | head -n 1)")
  read -r n ans ovf vm oth inprog wp wo < <(check_records "$from" "$to")
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$eng_pid/status")
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", (b - a) / 1e9}')
  busy=$(awk -v w="$wall" -v b="$((m1 - m0))" -v hz="$CLK_TCK" -v c="$(nproc)" 'BEGIN {printf "%.0f%%", 100 * b / hz / (w * c)}')
  ROWS+=("$(printf '%5s | %5s/%-4s %5s %5s %5s | %5s %-17s %4s | %7s %8s | %7s %7s %7s %6s %5s' "$rate" "$ok" "$failed" \
    "$p50" "$p95" "$p99" "$n" "$ans/$ovf/$vm" "$((oth + inprog))" "$wp" "$wo" \
    "$(cpu_seconds $((a1 - a0)))" "$(cpu_seconds $((e1 - e0)))" "$(per_1000 $((e1 - e0)) "$ok")" "$(awk -v k="$rss" 'BEGIN {printf "%.0f", k / 1024}')" "$busy")")
  DETAILS+=("$(printf '%5s: records other %s, in progress %s; Asterisk CPU/1000 calls %s s; sipp exit %s; %s s' "$rate" "$oth" "$inprog" \
    "$(per_1000 $((a1 - a0)) "$ok")" "$rc" "$wall")")
  first=0
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
read -r c_ba c_bo c_ip c_ipa c_av c_ao c_w < <(check_changed "$T_CHANGE" "$T_CHANGED")
c_ok=$(stat_field "$WORK/changed/stat.csv" 'SuccessfulCall(C)'); c_failed=$(stat_field "$WORK/changed/stat.csv" 'FailedCall(C)')
PHONES_OK=$(stat_field "$WORK/phones/stat.csv" 'SuccessfulCall(C)')
SECR_OK=$(stat_field "$WORK/secretariat/stat.csv" 'SuccessfulCall(C)')
LEFT=$(scripts/asterisk.sh cli 'core show channels count' 2>/dev/null | awk '/active channel/ {print $1; exit}')
WARNINGS=$(grep -cE ' (WARN|ERROR|FATAL) ' "$WORK/engine.log" || true)

{
  echo "PbxRouter platform benchmark $(date -Is)"
  echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM, load average before $LOAD_BEFORE, after $LOAD_AFTER"
  echo "software: ${VERSION:-Asterisk ?}, dotnet $(dotnet --version 2>/dev/null || echo ?), $(sipp -v 2>/dev/null | grep -o 'SIPp v[0-9.]*' | head -n 1)"
  echo "platform: $PRACTICES practices ($(grep -c ' answered$' "$WORK/expected.txt") staffed, $(grep -c ' overflowed$' "$WORK/expected.txt") unstaffed -> secretariat, $(grep -c ' voicemail$' "$WORK/expected.txt") closed -> voicemail),"
  echo "          one file each, applied in $APPLY_S s (rules apply, first time, prompts spoken); $ENDPOINTS PJSIP endpoints; engine idle RSS $(awk -v k="$IDLE_RSS" 'BEGIN {printf "%.0f", k / 1024}') MB"
  echo "calls: random practices, $DURATION s per rate, patient hangs up $HOLD_MS ms after the 200 (SIPp from 127.0.0.2, the trunk)"
  echo "what the rules say (pbxrouter route, one practice of each kind):"
  printf '  %s\n' "${ROUTES[@]}"
  echo "ok/failed = SIPp; latency = INVITE->200 ms; records = engine's call records of calls started during the rate,"
  echo "       answered/overflowed/voicemail, rest = other outcomes or still in progress; wrong = records whose practice does not"
  echo "       own the called number (prac) or whose outcome is not the practice's kind's (outc); cpu = seconds during the rate"
  echo
  printf '%5s | %10s %5s %5s %5s | %5s %-17s %4s | %16s | %7s %7s %7s %6s %5s\n' rate "ok/failed" p50 p95 p99 recs "ans/ovf/vm" rest \
    "wrong: prac outc" ast-cpu eng-cpu eng/1k rss-mb busy
  printf '%s\n' "${ROWS[@]}"
  printf '%s\n' "${DETAILS[@]}"
  echo
  echo "rules apply while the load ran ($(practice_of "$CHANGED") unstaffed (overflow) -> closed every day) at $T_CHANGE UTC, done at $T_CHANGED UTC:"
  echo "  now: $CHANGED_ROUTE"
  echo "  its calls (1/s, ${CHANGED_HOLD_MS} ms each): SIPp ok $c_ok failed $c_failed; started before: overflowed to the secretariat $c_ba, other $c_bo;"
  echo "  in progress at the apply: $c_ip, of which went on to the secretariat (not disturbed) $c_ipa; started after (+1 s): voicemail $c_av, other $c_ao;"
  echo "  started while the apply ran or within 1 s after it (either way): $c_w"
  echo "SIPp phones answered $PHONES_OK, SIPp secretariat answered $SECR_OK; channels left $LEFT; engine warnings $WARNINGS (log: $WORK/engine.log)"
  echo "SIPp traces: $WORK"
} | tee "$REPORT"
log "saved $REPORT"
