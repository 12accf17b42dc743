#!/usr/bin/env bash
# The main job: a real Asterisk plus the pbxrouter engine, then a few real sample calls placed
# with SIPp, and a report of where each call went. Installs what is missing; safe to re-run.
#   scripts/demo.sh           run the sample calls, then stop the engine and Asterisk
#   scripts/demo.sh --keep    leave Asterisk and the engine running afterwards (stop: scripts/demo.sh stop)
#   scripts/demo.sh stop      stop what --keep left running
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$PBX_REPO"

export PBX_INSTANCE=demo PBX_SIP_PORT="${PBX_SIP_PORT:-5160}" PBX_ARI_PORT="${PBX_ARI_PORT:-8188}"
export PBX_TRUNK_PEER=127.0.0.2 PBX_TRUNK_PORT="${PBX_TRUNK_PORT:-5190}" PBX_FALLBACK_NUMBER=+33567000000
export PBX_RTP_START=30000 PBX_RTP_END=30999
WORK="$PBX_CACHE/demo"; mkdir -p "$WORK"
ENGINE_PID_FILE="$WORK/engine.pid"
PRACTICE=+33145000000

stop_engine() {
  if [ -f "$ENGINE_PID_FILE" ] && kill -0 "$(cat "$ENGINE_PID_FILE")" 2>/dev/null; then
    kill -TERM "$(cat "$ENGINE_PID_FILE")"
    for _ in $(seq 1 100); do kill -0 "$(cat "$ENGINE_PID_FILE")" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$ENGINE_PID_FILE"
}

if [ "${1:-}" = stop ]; then stop_engine; scripts/asterisk.sh stop; exit 0; fi
KEEP=""; [ "${1:-}" = --keep ] && KEEP=1

scripts/asterisk.sh install
scripts/asterisk.sh start
# shellcheck disable=SC1091
. "$PBX_CACHE/instances/demo/instance.env"
scripts/pbxrouter --help >/dev/null            # builds the engine if needed
VERSION=$(scripts/asterisk.sh cli 'core show version' 2>/dev/null | awk '{print $1" "$2; exit}')

start_engine() {
  stop_engine
  scripts/pbxrouter serve >>"$WORK/engine.log" 2>&1 &
  echo $! >"$ENGINE_PID_FILE"
  for _ in $(seq 1 300); do
    curl -fsS -m 2 -u "$PBX_ARI_USER:$PBX_ARI_PASSWORD" "${PBX_ARI_URL}applications/$PBX_ARI_APP" >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$ENGINE_PID_FILE")" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 20 "$WORK/engine.log" >&2; die "the engine did not connect to Asterisk"
}

: >"$WORK/engine.log"
REPORT=(); EXPECTED=0; TOTAL=0
sipp_common=(-m 1 -nostdin -bind_local -timeout 60s -timeout_error -i 127.0.0.2)

# patient SCENARIO CALLER HOLD_MS -> exit code; messages in $WORK/patient.log
patient() {
  rm -f "$WORK/patient.log"
  sipp "${sipp_common[@]}" -sf "tests/PbxRouter.IntegrationTests/Scenarios/$1" -s "$PRACTICE" -key caller "$2" -d "$3" \
    -p 5193 -mp 31000 -trace_msg -message_file "$WORK/patient.log" "127.0.0.1:$PBX_SIP_PORT" >/dev/null 2>&1
}
secretariat_start() {
  rm -f "$WORK/secretariat.log"
  sipp "${sipp_common[@]}" -sf tests/PbxRouter.IntegrationTests/Scenarios/secretariat-answers.xml -p "$PBX_TRUNK_PORT" -mp 31100 \
    -trace_msg -message_file "$WORK/secretariat.log" >/dev/null 2>&1 &
  SECRETARIAT_PID=$!
  sleep 0.5
}
engine_outcome() { # the outcome the engine logged for the last call from this caller's masked number
  sleep 0.5; grep -E "Call .* ended: " "$WORK/engine.log" | tail -n 1 | sed 's/.*ended: //'
}
record() { # caller situation outcome expected(0/1)
  TOTAL=$((TOTAL + 1)); [ "$4" = 1 ] && EXPECTED=$((EXPECTED + 1))
  REPORT+=("$(printf '%-3s %-14s %-44s %s%s' "$TOTAL" "$1" "$2" "$3" "$([ "$4" = 1 ] || echo '  <-- NOT AS EXPECTED')")")
}
vm_count() { scripts/asterisk.sh cli "voicemail show users" 2>/dev/null | awk '/fallback/ {print $NF}'; }

log "call 1: a patient calls the practice while the engine runs"
start_engine
if patient patient-greeted.xml +33612345678 1000; then out=$(engine_outcome); else out="SIP call failed"; fi
record "06 12 34 56 78" "engine running" "engine answered, played the greeting, hung up ($out)" "$([ "$out" = greeted ] && echo 1 || echo 0)"

log "call 2: a patient hangs up during the greeting"
if patient patient-hangs-up.xml +33698765432 400; then out=$(engine_outcome); else out="SIP call failed"; fi
record "06 98 76 54 32" "patient hangs up after 0.4 s" "engine saw the hang-up ($out)" "$([ "$out" = caller-hung-up ] && echo 1 || echo 0)"

log "call 3: the engine is stopped; the dialplan's fallback sends the call to the remote secretariat"
stop_engine
secretariat_start
if patient patient-hangs-up.xml +33611223344 2000 && wait "$SECRETARIAT_PID"; then
  diversion=$(grep -m1 -i '^Diversion:' "$WORK/secretariat.log" | tr -d '\r' || true)
  record "06 11 22 33 44" "engine stopped" "remote secretariat +33567000000 answered; ${diversion:-no Diversion header}" "$([ -n "$diversion" ] && echo 1 || echo 0)"
else
  kill "$SECRETARIAT_PID" 2>/dev/null || true
  record "06 11 22 33 44" "engine stopped" "SIP call failed" 0
fi

log "call 4: engine stopped and the secretariat unreachable: voicemail"
before=$(vm_count)
if patient patient-leaves-message.xml +33655667788 11000; then
  after=$(vm_count)
  record "06 55 66 77 88" "engine stopped, secretariat unreachable" "fallback voicemail: messages ${before:-0} -> ${after:-0}" "$([ "${after:-0}" -gt "${before:-0}" ] && echo 1 || echo 0)"
else
  record "06 55 66 77 88" "engine stopped, secretariat unreachable" "SIP call failed" 0
fi

if [ -n "$KEEP" ]; then start_engine; else scripts/asterisk.sh stop; fi

echo
echo "Sample calls to the practice $PRACTICE through ${VERSION:-Asterisk} (instance 'demo'):"
printf '%-3s %-14s %-44s %s\n' "#" "caller" "situation" "where the call went"
printf '%s\n' "${REPORT[@]}"
echo "$EXPECTED of $TOTAL calls went where expected. Engine log: $WORK/engine.log"
[ -n "$KEEP" ] && echo "Asterisk and the engine are still running: scripts/demo.sh stop"
[ "$EXPECTED" -eq "$TOTAL" ]
