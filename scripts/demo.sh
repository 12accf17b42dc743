#!/usr/bin/env bash
# The main job: a real Asterisk plus the pbxrouter engine running the sample practice (Cabinet
# médical des Tilleuls, samples/demo/tilleuls-local.yaml), then real sample calls placed with SIPp
# (patients, reception phones, the remote secretariat) and a report of where each call went, read
# back from the engine's call records. Installs what is missing; safe to re-run.
#   scripts/demo.sh           run the sample calls, then stop the engine and Asterisk
#   scripts/demo.sh --keep    leave Asterisk and the engine running afterwards (stop: scripts/demo.sh stop)
#   scripts/demo.sh stop      stop what --keep left running
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$PBX_REPO"

export PBX_INSTANCE=demo PBX_SIP_PORT=5160 PBX_ARI_PORT=8188 PBX_TRUNK_PEER=127.0.0.2 PBX_TRUNK_PORT=5190
# No PBX_FALLBACK_NUMBER: with the engine down, the practice's number takes its own fallback route (its secretariat).
export PBX_FALLBACK_NUMBER= PBX_RTP_START=30000 PBX_RTP_END=30999
WORK="$PBX_CACHE/demo"; mkdir -p "$WORK"
ENGINE_PID_FILE="$WORK/engine.pid"
RULES=samples/demo/tilleuls-local.yaml
PRACTICE=+33145000000
SCENARIOS=tests/PbxRouter.IntegrationTests/Scenarios
export PBXROUTER_Database__Path="$WORK/pbxrouter.db"
# The SIPp phones of the demo answer calls, not SIP OPTIONS: do not qualify them.
export PBXROUTER_Asterisk__PhoneQualifySeconds=0

stop_engine() {
  if [ -f "$ENGINE_PID_FILE" ] && kill -0 "$(cat "$ENGINE_PID_FILE")" 2>/dev/null; then
    kill -TERM "$(cat "$ENGINE_PID_FILE")"
    for _ in $(seq 1 100); do kill -0 "$(cat "$ENGINE_PID_FILE")" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$ENGINE_PID_FILE"
}
if [ "${1:-}" = stop ]; then stop_engine; scripts/asterisk.sh stop; exit 0; fi
KEEP=""; [ "${1:-}" = --keep ] && KEEP=1

# The phones' SIP passwords and the doctors' PIN come from the environment (never from the YAML);
# the demo makes them once and keeps them in its cache folder (mode 600).
if [ ! -f "$WORK/secrets.env" ]; then
  secret() { head -c 12 /dev/urandom | base64 | tr -d '/+='; }
  umask 077
  cat >"$WORK/secrets.env" <<SECRETS
TILLEULS_ACCUEIL1_PASSWORD=$(secret)
TILLEULS_ACCUEIL2_PASSWORD=$(secret)
TILLEULS_MARTIN_PASSWORD=$(secret)
TILLEULS_DURAND_PASSWORD=$(secret)
TILLEULS_DOCTORS_PIN=4821
TILLEULS_VOICEMAIL_PIN=1357
SECRETS
  umask 022
fi
set -a; . "$WORK/secrets.env"; set +a

scripts/asterisk.sh install
stop_engine
scripts/asterisk.sh start
# shellcheck disable=SC1091
. "$PBX_CACHE/instances/demo/instance.env"
VERSION=$(scripts/asterisk.sh cli 'core show version' 2>/dev/null | awk '{print $1" "$2; exit}')
PBX() { scripts/pbxrouter "$@"; }

scripts/asterisk.sh prompts "$RULES"            # the rules' greetings and messages, spoken in French
log "applying the sample rules ($RULES) to a fresh demo database"
rm -f "$PBXROUTER_Database__Path" "$PBXROUTER_Database__Path"-wal "$PBXROUTER_Database__Path"-shm
PBX rules apply "$RULES" --by demo --comment "scripts/demo.sh" >&2

: >"$WORK/engine.log"
# start_engine CLOCK: the engine's clock starts at CLOCK (the practice's local time in the report).
start_engine() {
  stop_engine
  echo "--- engine started with --clock-start $1" >>"$WORK/engine.log"
  scripts/pbxrouter serve --clock-start "$1" >>"$WORK/engine.log" 2>&1 &   # exec: $! is the engine itself
  echo $! >"$ENGINE_PID_FILE"
  for _ in $(seq 1 300); do
    # Ready when the app is registered and this engine has provisioned the phones from the rules.
    if ari_curl "$PBX_ARI_USER" "$PBX_ARI_PASSWORD" "${PBX_ARI_URL}applications/$PBX_ARI_APP" >/dev/null 2>&1 \
       && sed -n "/^--- engine started with --clock-start $1/,\$p" "$WORK/engine.log" | grep -q "Provisioned trunks and phones"; then
      return 0
    fi
    kill -0 "$(cat "$ENGINE_PID_FILE")" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 20 "$WORK/engine.log" >&2; die "the engine did not connect to Asterisk or did not provision the phones"
}

sipp_common=(-m 1 -nostdin -bind_local -timeout 90s -timeout_error)
# register PHONE ADDRESS PORT: a reception phone (SIPp) registers with its password.
register() {
  local var="TILLEULS_${2}_PASSWORD"
  # SIPp (a test peer playing the phone) only takes credentials as arguments: demo passwords are made for this run.
  sipp "${sipp_common[@]}" -sf "$SCENARIOS/phone-register.xml" -s "tilleuls.$1" -au "tilleuls.$1" -ap "${!var}" \
    -i "$3" -p "$4" "127.0.0.1:$PBX_SIP_PORT" >"$WORK/register-$1.log" 2>&1 || die "phone $1 could not register (see $WORK/register-$1.log)"
}
# phone SCENARIO ADDRESS PORT: the phone waits for a call (answers or just rings).
PIDS=()
phone() { sipp "${sipp_common[@]}" -sf "$SCENARIOS/$1" -i "$2" -p "$3" -mp $((31000 + $3 % 100 * 10)) >/dev/null 2>&1 & PIDS+=($!); }
# Waits for the SIPp phones and secretariat of the last call (never for the engine).
wait_peers() { local p; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; PIDS=(); }
# patient SCENARIO CALLER HOLD_MS
patient() {
  sipp "${sipp_common[@]}" -sf "$SCENARIOS/$1" -s "$PRACTICE" -key caller "$2" -d "$3" -i 127.0.0.2 -p 5193 -mp 31500 \
    "127.0.0.1:$PBX_SIP_PORT" >/dev/null 2>&1
}
secretariat() {
  rm -f "$WORK/secretariat.log"
  sipp "${sipp_common[@]}" -sf "$SCENARIOS/secretariat-answers.xml" -i 127.0.0.2 -p "$PBX_TRUNK_PORT" -mp 31600 \
    -trace_msg -message_file "$WORK/secretariat.log" >/dev/null 2>&1 &
  PIDS+=($!)
  sleep 0.3
}
# The engine's record of the last call: first line (outcome, who answered) and its steps on one line.
last_record() {
  sleep 1
  PBX calls --limit 1 2>/dev/null | awk 'NR==1 { sub(/.*\] /, ""); head=$0; next } { gsub(/^ +[0-9]+\. /, ""); steps = steps (steps ? " > " : "") $0 } END { print head " | " steps }'
}
diversion() { grep -m1 -i '^Diversion:' "$WORK/secretariat.log" 2>/dev/null | tr -d '\r' | sed 's/;.*//' || true; }

REPORT=(); EXPECTED=0; TOTAL=0
record() { # WHEN CALLER SITUATION RESULT EXPECTED_PATTERN
  TOTAL=$((TOTAL + 1))
  local ok=0; [[ "$4" =~ $5 ]] && { ok=1; EXPECTED=$((EXPECTED + 1)); }
  REPORT+=("$(printf '%-2s %-16s %-14s %s\n     -> %s%s' "$TOTAL" "$1" "$2" "$3" "$4" "$([ $ok = 1 ] || echo "   <-- NOT AS EXPECTED (wanted /$5/)")")")
}

log "Tuesday 24 November 2026 at 10:00: the practice is open"
start_engine "2026-11-24T10:00:00+01:00"
register accueil-1 ACCUEIL1 127.0.0.4 5301
register accueil-2 ACCUEIL2 127.0.0.5 5302

log "call 1: a patient calls; the reception phones ring together, accueil-1 answers"
phone phone-answers.xml 127.0.0.4 5301; phone phone-rings.xml 127.0.0.5 5302
patient patient-hangs-up.xml +33612345678 3000 || true
wait_peers
record "Tue 10:00" "06 12 34 56 78" "open, a secretary picks up" "$(last_record)" "answered.*accueil-1"

log "call 2: nobody picks up; after the ring time the call overflows to the remote secretariat"
phone phone-rings.xml 127.0.0.4 5301; phone phone-rings.xml 127.0.0.5 5302; secretariat
patient patient-hangs-up.xml +33698765432 12000 || true
wait_peers
record "Tue 10:00" "06 98 76 54 32" "open, nobody answers in time" "$(last_record) | secretariat got $(diversion)" "overflow.*Diversion"

log "call 3: a harassing number the practice blocked"
patient patient-refused.xml +33666666666 0 || true
record "Tue 10:00" "06 66 66 66 66" "blocked caller" "$(last_record)" "refused"

log "call 4: lunch time: straight to the remote secretariat"
start_engine "2026-11-24T13:00:00+01:00"
secretariat
patient patient-hangs-up.xml +33611223344 2000 || true
wait_peers
record "Tue 13:00" "06 11 22 33 44" "lunch break" "$(last_record) | secretariat got $(diversion)" "overflow.*Diversion"

log "call 5: Christmas Day: closed message (15, 116 117), then voicemail"
start_engine "2026-12-25T10:00:00+01:00"
patient patient-leaves-message.xml +33655667788 14000 || true
record "Fri 25 Dec 10:00" "06 55 66 77 88" "public holiday" "$(last_record)" "voicemail"

log "call 6: the engine is stopped: the practice's fallback route in Asterisk sends the call to its remote secretariat"
stop_engine
secretariat
patient patient-hangs-up.xml +33644556677 2000 || true
wait_peers
d=$(diversion)
record "(engine down)" "06 44 55 66 77" "engine not running" "remote secretariat answered through the fallback route | ${d:-no Diversion}" "Diversion"

if [ -n "$KEEP" ]; then start_engine "$(date -Iseconds)"; else scripts/asterisk.sh stop; fi

echo
echo "Sample calls to the Cabinet médical des Tilleuls ($PRACTICE) through ${VERSION:-Asterisk} and pbxrouter:"
printf '%s\n' "${REPORT[@]}"
echo "$EXPECTED of $TOTAL calls went where expected. Call records: PBXROUTER_Database__Path=$PBXROUTER_Database__Path scripts/pbxrouter calls; engine log: $WORK/engine.log"
[ -n "$KEEP" ] && echo "Asterisk and the engine are still running: scripts/demo.sh stop"
[ "$EXPECTED" -eq "$TOTAL" ]
