# Helpers of scripts/chaos.sh (processes, phases, faults, tally). Sourced, never run.
# They use PBX_*, STATE_DIR, PIDS_FILE, ENGINE_PID_FILE, SCENARIOS, WORK, DB, PIN, PHASES, KILLS, ASTERISK_RESTART.
# shellcheck shell=bash

# Reception phones: endpoint (practice.phone), password variable, scenario; phone i listens on 127.0.0.7(i+1):577(i+1).
PHONE_IDS=(tilleuls.accueil-1 tilleuls.accueil-2 val.accueil-1 val.accueil-2)
PHONE_VARS=(CHAOS_TILLEULS_ACCUEIL1_PASSWORD CHAOS_TILLEULS_ACCUEIL2_PASSWORD CHAOS_VAL_ACCUEIL1_PASSWORD CHAOS_VAL_ACCUEIL2_PASSWORD)
PHONE_SCENARIOS=(chaos-phone-answers chaos-phone-rings chaos-phone-rings chaos-phone-rings)
# Patients' classes: scenario, called number, rate (calls per period in ms). Class k calls from 127.0.0.2:576(k+1).
CLASSES=(reception secretariat voicemail urgent refused)
CLASS_SCENARIOS=(chaos-patient chaos-patient chaos-patient-message chaos-patient-urgent chaos-patient)
CLASS_CALLED=(+33145000000 +33146000000 +33147000000 +33146000000 +33145000000)
CLASS_RATES=("2 10000" "2 10000" "3 20000" "1 10000" "1 20000")
BLOCKED_CALLER=+33666666666

event() { printf '%s %s\n' "$(date +%s.%N)" "$*" >>"$WORK/events.log"; log "$*"; }

# track PID NAME: remembered so that stop_all (and the next run) can stop it.
track() { echo "$1 $2" >>"$PIDS_FILE"; }

alive() { kill -0 "$1" 2>/dev/null; }

# Stops the processes this script (or an interrupted run) started, by their recorded pids, then the chaos Asterisk.
stop_all() {
  local pid name
  if [ -f "$PIDS_FILE" ]; then
    while read -r pid name; do
      # A pid is only ours if it still runs the program we started (sipp or dotnet).
      case "$(cat "/proc/$pid/comm" 2>/dev/null)" in sipp|dotnet|pbxrouter) kill -TERM "$pid" 2>/dev/null || true ;; esac
    done <"$PIDS_FILE"
    for _ in $(seq 1 50); do
      local left=0
      while read -r pid name; do alive "$pid" && case "$(cat "/proc/$pid/comm" 2>/dev/null)" in sipp|dotnet|pbxrouter) left=1 ;; esac; done <"$PIDS_FILE"
      [ "$left" = 0 ] && break
      sleep 0.2
    done
    while read -r pid name; do
      case "$(cat "/proc/$pid/comm" 2>/dev/null)" in sipp|dotnet|pbxrouter) kill -KILL "$pid" 2>/dev/null || true ;; esac
    done <"$PIDS_FILE"
    rm -f "$PIDS_FILE"
  fi
  rm -f "$ENGINE_PID_FILE"
  scripts/asterisk.sh stop >/dev/null 2>&1 || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_all
  exit "$rc"
}

ari() { ari_curl "$PBX_ARI_USER" "$PBX_ARI_PASSWORD" "${PBX_ARI_URL}$1" 2>/dev/null; }

# The engine's clock: the pinned instant plus the time since the run started, so that restarts carry it on.
engine_clock() { date -u -d "@$(( $(date -d "$PIN" +%s) + $(date +%s) - T_START ))" +%Y-%m-%dT%H:%M:%S+00:00; }

start_engine() {
  echo "--- engine started with --clock-start $(engine_clock) at $(date -Is)" >>"$WORK/engine.log"
  scripts/pbxrouter serve --clock-start "$(engine_clock)" >>"$WORK/engine.log" 2>&1 &   # execs dotnet: $! is the engine
  echo $! >"$ENGINE_PID_FILE"
  track $! engine
  disown $!                                   # killed on purpose: no "Killed" notice from the shell
}

ready_count() { grep -c 'Resynced after' "$WORK/engine.log" 2>/dev/null || true; }
provisioned_count() { grep -c 'Provisioned trunks and phones' "$WORK/engine.log" 2>/dev/null || true; }

# wait_engine_ready N: until the engine has resynced with Asterisk, and provisioned the phones, N times in this run
# (at each start and reconnect).
wait_engine_ready() {
  local deadline=$((SECONDS + 60))
  until [ "$(ready_count)" -ge "$1" ] && [ "$(provisioned_count)" -ge "$1" ]; do
    alive "$(cat "$ENGINE_PID_FILE")" || { tail -n 20 "$WORK/engine.log" >&2; die "the engine exited"; }
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$WORK/engine.log" >&2; die "the engine did not connect to Asterisk within 60 s"; }
    sleep 0.2
  done
}

start_watchdog() {
  scripts/pbxrouter watchdog >>"$WORK/watchdog.log" 2>&1 &
  track $! watchdog
}

kill_engine_and_restart() {
  local pid before
  pid=$(cat "$ENGINE_PID_FILE")
  before=$(ready_count)
  kill -KILL "$pid"
  event "engine killed (kill -9, pid $pid, $(active_channels) channels in Asterisk)"
  sleep 1                                     # systemd's RestartSec=1
  start_engine
  wait_engine_ready $((before + 1))
  event "engine up again (pid $(cat "$ENGINE_PID_FILE"))"
}

active_channels() { scripts/asterisk.sh cli 'core show channels count' 2>/dev/null | awk '/active channel/ {print $1; exit}'; }

endpoint_state() { ari "endpoints/PJSIP/$1" | sed -n 's/.*"state" *: *"\([a-z]*\)".*/\1/p'; }

# register_phone I: the SIPp phone I registers with its password (its UAS is not running on that port then).
register_phone() {
  local i=$1 var=${PHONE_VARS[$1]}
  # SIPp (playing the phone) only takes credentials as arguments: the passwords are made for this run.
  sipp "127.0.0.1:$PBX_SIP_PORT" -sf "$SCENARIOS/phone-register.xml" -s "${PHONE_IDS[$i]}" -au "${PHONE_IDS[$i]}" \
    -ap "${!var}" -i "127.0.0.7$((i + 1))" -p "577$((i + 1))" -bind_local -m 1 -nostdin -timeout 15s -timeout_error \
    >>"$WORK/register.log" 2>&1
}

register_phones() {
  local attempt i ok
  for attempt in 1 2 3 4 5; do
    ok=1
    for i in "${!PHONE_IDS[@]}"; do register_phone "$i" || ok=0; done
    sleep 0.5
    for i in "${!PHONE_IDS[@]}"; do [ "$(endpoint_state "${PHONE_IDS[$i]}")" = online ] || ok=0; done
    [ "$ok" = 1 ] && return 0
    log "phones not all online yet (attempt $attempt); registering again"
    sleep 2
  done
  tail -n 20 "$WORK/register.log" >&2
  die "the SIPp phones could not register with the chaos instance"
}

# A UAS for the whole run; its <log> lines go to peers-NAME.log (appended: a phone restarted after a new registration).
# A media port some other process holds makes SIPp exit at once: then it tries the next ones.
start_uas() { # NAME SCENARIO IP PORT MEDIA_PORT CONTROL_PORT
  local try pid
  for try in 0 1 2 3; do
    ( cd "$WORK" && exec sipp -sf "$SCENARIOS/$2.xml" -key peer "$1" -i "$3" -p "$4" -mp $(($5 + 100 * try)) -cp "$6" -bind_local \
        -aa -nostdin -trace_logs -log_file "$WORK/peers-$1.log" -log_overwrite false -trace_err -error_file "$WORK/peers-$1.err" \
        >>"$WORK/sipp-$1.out" 2>&1 ) &
    pid=$!
    track "$pid" "uas-$1"
    sleep 0.5
    if alive "$pid"; then echo "$pid" >"$STATE_DIR/uas-$1.pid"; return 0; fi
  done
  tail -n 5 "$WORK/sipp-$1.out" >&2
  die "the SIPp playing $1 does not start (see $WORK/sipp-$1.out)"
}

# Peers that died during the run (their calls would all look lost): named, and the run fails.
check_peers() {
  local name pid dead=0
  for name in "${PHONE_IDS[@]}" carrier; do
    pid=$(cat "$STATE_DIR/uas-$name.pid" 2>/dev/null || echo 0)
    alive "$pid" || { log "error: the SIPp playing $name died during the run (see $WORK/sipp-$name.out)"; dead=1; }
  done
  return "$dead"
}

start_peers() {
  local i
  for i in "${!PHONE_IDS[@]}"; do
    start_uas "${PHONE_IDS[$i]}" "${PHONE_SCENARIOS[$i]}" "127.0.0.7$((i + 1))" "577$((i + 1))" $((51200 + 10 * i)) $((51300 + i))
  done
  start_uas carrier chaos-carrier "$PBX_TRUNK_PEER" "$PBX_TRUNK_PORT" 51250 51310
}

# SIGUSR1 asks SIPp to end, writing its logs; then SIGTERM.
stop_uas() {
  local pid
  pid=$(cat "$STATE_DIR/uas-$1.pid" 2>/dev/null) || return 0
  kill -USR1 "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do alive "$pid" || break; sleep 0.1; done
  kill -TERM "$pid" 2>/dev/null || true
  rm -f "$STATE_DIR/uas-$1.pid"
}

stop_peers() { local i; for i in "${!PHONE_IDS[@]}"; do stop_uas "${PHONE_IDS[$i]}"; done; stop_uas carrier; }

# After an Asterisk restart: a phone whose registration did not survive registers again (its UAS stops meanwhile).
ensure_phones_online() {
  local i
  for i in "${!PHONE_IDS[@]}"; do
    [ "$(endpoint_state "${PHONE_IDS[$i]}")" = online ] && continue
    event "phone ${PHONE_IDS[$i]} not registered any more: registering again"
    stop_uas "${PHONE_IDS[$i]}"
    register_phone "$i" || log "warning: ${PHONE_IDS[$i]} could not register again"
    start_uas "${PHONE_IDS[$i]}" "${PHONE_SCENARIOS[$i]}" "127.0.0.7$((i + 1))" "577$((i + 1))" $((51200 + 10 * i)) $((51300 + i))
  done
}

# The practice restarts Asterisk gracefully: no new call is placed from now on (the phase's SIPp patients stopped
# placing calls), `core restart gracefully` refuses new calls and waits for those in progress, which end normally.
restart_asterisk_gracefully() {
  local before deadline
  before=$(ready_count)
  event "Asterisk: core restart gracefully ($(active_channels) channels in progress, no new calls placed meanwhile)"
  scripts/asterisk.sh cli 'core restart gracefully' >/dev/null 2>&1 || true
  deadline=$((SECONDS + 120))
  while ari "asterisk/info" >/dev/null; do
    [ $SECONDS -lt $deadline ] || die "Asterisk did not restart within 120 s of 'core restart gracefully'"
    sleep 0.2
  done
  event "Asterisk: down for its restart"
  deadline=$((SECONDS + 60))
  until ari "asterisk/info" >/dev/null; do
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$PBX_CACHE/instances/$PBX_INSTANCE/asterisk.log" >&2; die "Asterisk did not come back within 60 s"; }
    sleep 0.2
  done
  wait_engine_ready $((before + 1))
  ensure_phones_online
  event "Asterisk: up again, engine reconnected"
}

callers_csv() { # FILE CLASS_INDEX PHASE COUNT
  local n
  { echo SEQUENTIAL
    for n in $(seq 1 "$4"); do
      if [ "${CLASSES[$2]}" = refused ]; then echo "$BLOCKED_CALLER;"; else printf '+337%d%d%06d;\n' $(($2 + 1)) "$3" "$n"; fi
    done; } >"$1"
}

# run_phase P SECONDS: every class places calls at its rate for SECONDS; the faults of phase P happen meanwhile.
run_phase() {
  local p=$1 secs=$2 k calls period count dir t0 f at pids=() rc total=0
  dir="$WORK/phase$p"; mkdir -p "$dir"
  event "phase $p: $secs s of calls"
  t0=$SECONDS
  for k in "${!CLASSES[@]}"; do
    read -r calls period <<<"${CLASS_RATES[$k]}"
    count=$(( (secs * 1000 * calls + period - 1) / period )); total=$((total + count))
    callers_csv "$dir/${CLASSES[$k]}.csv" "$k" "$p" "$count"
    ( cd "$dir" && exec sipp "127.0.0.1:$PBX_SIP_PORT" -sf "$SCENARIOS/${CLASS_SCENARIOS[$k]}.xml" -s "${CLASS_CALLED[$k]}" \
        -inf "$dir/${CLASSES[$k]}.csv" -key class "${CLASSES[$k]}" -i "$PBX_TRUNK_PEER" -p $((5761 + k)) -bind_local \
        -mp $((51000 + 20 * k)) -cp $((51320 + k)) -r "$calls" -rp "$period" -m "$count" -l 40 -recv_timeout 60000 \
        -timeout $((secs + 150))s -nostdin -trace_logs -log_file "$WORK/patients-${CLASSES[$k]}-$p.log" \
        -trace_err -error_file "$WORK/patients-${CLASSES[$k]}-$p.err" >"$dir/${CLASSES[$k]}.out" 2>&1 ) &
    pids+=($!); track $! "uac-${CLASSES[$k]}"
  done
  for f in "${KILLS[@]}"; do
    [ "${f%%:*}" = "$p" ] || continue
    at=${f#*:}
    [ $((t0 + at)) -gt $SECONDS ] && sleep $((t0 + at - SECONDS))
    kill_engine_and_restart
  done
  if [ "$ASTERISK_RESTART" = "$p" ]; then
    # Only once every patient of the phase has placed its last call (SIPp's first call waits one rate period).
    local deadline=$((SECONDS + secs + 60))
    until [ "$(cat "$WORK"/patients-*-"$p".log 2>/dev/null | grep -c ' invite ')" -ge "$total" ] || [ $SECONDS -ge $deadline ]; do sleep 0.5; done
    restart_asterisk_gracefully
  fi
  for k in "${!pids[@]}"; do
    rc=0; wait "${pids[$k]}" || rc=$?
    [ "$rc" = 0 ] || log "phase $p: the ${CLASSES[$k]} patients' SIPp exited $rc (failed calls are in the tally)"
  done
  event "phase $p: every call placed has ended on the patients' side"
}

# The engine's call records and voicemail index for the tally, one line each ('|' separated).
engine_rows() {
  sqlite3 -separator '|' "file:$DB?mode=ro" "
    SELECT 'R', coalesce(r.caller_number, '-'), r.call_id, r.called_number, coalesce(r.outcome, '-'), coalesce(r.answered_by, '-'),
           coalesce(r.hung_up_by, '-'),
           (SELECT group_concat(x, ' > ') FROM (SELECT s.kind || coalesce(' ' || s.target, '') AS x FROM call_steps s
              WHERE s.call_id = r.call_id ORDER BY s.seq))
      FROM call_records r ORDER BY r.started_at;
    SELECT 'V', coalesce(caller_number, '-'), id, box, duration_s, recording_name, coalesce(call_id, '-') FROM voicemails;"
}

tally() {
  local in="$WORK/tally-input.txt"
  # Patients' and peers' lines in time order (patients: SEC USEC in fields 5-6, peers in fields 4-5).
  { cat "$WORK"/patients-*.log "$WORK"/peers-*.log 2>/dev/null \
      | awk '$1 == "P" && NF >= 6 { printf "%.6f %s\n", $5 + $6 / 1e6, $0; next } NF >= 5 && $4 ~ /^[0-9.]+$/ { printf "%.6f %s\n", $4 + $5 / 1e6, $0 }' \
      | sort -n -k1,1 | cut -d' ' -f2-
    engine_rows | sed 's/^/E|/'
    sed 's/^/X /' "$WORK/events.log"; } >"$in"
  awk -v short="$([ ${#PHASES[@]} -eq 1 ] && echo 1 || echo 0)" -f "$PBX_REPO/scripts/chaos-tally.awk" "$in" | tee "$WORK/tally.txt"
  local lost
  lost=$(awk '/^lost: / {print $2}' "$WORK/tally.txt")
  echo "run files: $WORK (engine.log, watchdog.log, events.log, patients-*.log, peers-*.log, pbxrouter.db); Asterisk ${VERSION:-?}"
  [ "${lost:-1}" = 0 ]
}
