#!/usr/bin/env bash
# Chaos run: the sample practice mix under a steady load of real SIP calls while the engine is killed with kill -9
# and restarted, and Asterisk is restarted gracefully; then every call is accounted for from both sides.
#
#   scripts/chaos.sh           full run: about 5 minutes of calls (under 8 minutes in all), the engine killed (kill -9)
#                              and restarted 1 s later (as systemd's RestartSec=1 does) three times, Asterisk restarted
#                              once with `core restart gracefully`
#   scripts/chaos.sh --short   about 1 minute of calls (under 2 minutes in all), one engine kill -9 + restart, no
#                              Asterisk restart (scripts/test.sh runs this one)
#   scripts/chaos.sh stop      stop what an interrupted run left behind (SIPp, engine, watchdog, chaos Asterisk)
#
# Who plays what (all SIPp, all on loopback): patients call the three practices of samples/chaos/practices.yaml from
# the carrier's address; the reception phones of two practices register and answer (tilleuls accueil-1) or just ring
# (tilleuls accueil-2, both of val's); the carrier behind the practices' trunk plays the remote secretariat (answers)
# and the doctors' mobiles (answer, press 1 to take the urgent call). The engine's clock is pinned to Tuesday
# 24 November 2026 10:00 (serve --clock-start, carried across restarts), so every class happens whatever the time.
# Classes, each from its own SIPp with its own caller numbers (+337CP...: C the class, P the phase, then the index):
#   reception    tilleuls 01 45 00 00 00: greeting, queue; accueil-1 answers (or the secretariat when both are busy)
#   secretariat  val 01 46 00 00 00: nobody answers its phones in 6 s: overflow to the remote secretariat
#   voicemail    roux 01 47 00 00 00, closed on Tuesdays: closed message (15, 116 117), then a message left
#   urgent       val, the patient presses 9: a doctor's mobile answers and presses 1
#   refused      tilleuls from the blocked number 06 66 66 66 66: SIP 403, as the rules ask
# Each patient means to be the one hanging up (15 s after its 200 OK; 18 s urgent; 20 s voicemail). Lost (counted
# in the final "lost: N"; exit code 1 when N > 0): a call with no final answer, a refusal the rules do not ask for,
# a conversation cut short (the patient got a BYE first, or a phone/secretariat/mobile that had answered got a BYE
# more than 1 s before the patient hung up), a caller answered by Asterisk whom nobody (person or voicemail) took,
# and a call the engine's records do not account for (record missing, unfinished, or saying something else than
# what the SIPp peers saw). Calls placed while the engine was down have no record by design: they count when the
# SIPp secretariat answered them through Asterisk's fallback route, or their message was imported.
# Rates: 0.7 calls/s in all (at most 2 calls/s by design); at most about 20 calls at once.
# The run's files (SIPp logs, engine and watchdog logs, database, tally) are kept in $PBX_CACHE/chaos/STAMP
# (the last ones in $PBX_CACHE/chaos/latest); everything this script started is stopped on exit.
#
# Settings (environment, all optional): CHAOS_SIP_PORT (5760) and CHAOS_ARI_PORT (8788) of the chaos Asterisk
# instance; its RTP ports are 50000-50999, SIPp's media ports 51000-51299, SIPp's control ports 51300-51399; the
# carrier listens on 127.0.0.2:5790 (the trunk of samples/chaos/practices.yaml), the phones on 127.0.0.71-74.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$PBX_REPO"

MODE=full
case "${1:-}" in
  "") ;;
  --short) MODE=short ;;
  stop) MODE=stop ;;
  *) sed -n '2,37p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

export PBX_INSTANCE=chaos PBX_SIP_PORT="${CHAOS_SIP_PORT:-5760}" PBX_ARI_PORT="${CHAOS_ARI_PORT:-8788}"
export PBX_RTP_START=50000 PBX_RTP_END=50999 PBX_TRUNK_PEER=127.0.0.2 PBX_TRUNK_PORT=5790 PBX_FALLBACK_NUMBER=
STATE_DIR="$PBX_CACHE/chaos"
PIDS_FILE="$STATE_DIR/pids"            # every process this script started, one "pid name" a line
ENGINE_PID_FILE="$STATE_DIR/engine.pid"
SCENARIOS="$PBX_REPO/tests/PbxRouter.IntegrationTests/Scenarios"
RULES="$PBX_REPO/samples/chaos/practices.yaml"
PIN="2026-11-24T10:00:00+01:00"         # a Tuesday, open at tilleuls and val, closed at roux
mkdir -p "$STATE_DIR"

# shellcheck source=chaos-lib.sh
. "$(dirname "$0")/chaos-lib.sh"

if [ "$MODE" = stop ]; then stop_all; exit 0; fi

if [ "$MODE" = short ]; then
  PHASES=(60)                           # seconds of new calls per phase
  KILLS=("0:25")                        # phase:second of each engine kill -9
  ASTERISK_RESTART=""                   # after which phase Asterisk restarts (gracefully)
else
  PHASES=(170 130)
  KILLS=("0:35" "0:115" "1:60")
  ASTERISK_RESTART=0
fi

STAMP=$(date +%Y%m%d-%H%M%S)
WORK="$STATE_DIR/$STAMP"
DB="$WORK/pbxrouter.db"
mkdir -p "$WORK"
ln -sfn "$WORK" "$STATE_DIR/latest"
export PBXROUTER_Database__Path="$DB"
export PBXROUTER_Asterisk__PhoneQualifySeconds=0            # the SIPp phones answer calls, not OPTIONS
export PBXROUTER_Engine__FallbackVoicemailEvery=00:00:05    # messages left on the fallback route imported soon

trap cleanup EXIT
trap 'exit 130' INT TERM

stop_all                                # whatever an interrupted run left
scripts/asterisk.sh install
ensure_host_packages sqlite3 sqlite3
scripts/pbxrouter --help >/dev/null     # builds the engine before anything is timed

# The phones' SIP passwords: made for this run, given to the engine (provisioning) and to the SIPp phones.
for v in CHAOS_TILLEULS_ACCUEIL1 CHAOS_TILLEULS_ACCUEIL2 CHAOS_VAL_ACCUEIL1 CHAOS_VAL_ACCUEIL2; do
  export "${v}_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
done

T_START=$(date +%s)
scripts/pbxrouter rules apply "$RULES" --db "$DB" --by chaos --comment "scripts/chaos.sh" >"$WORK/rules-apply.log" 2>&1 \
  || { cat "$WORK/rules-apply.log" >&2; die "could not apply $RULES"; }
scripts/asterisk.sh stop >/dev/null 2>&1 || true
scripts/asterisk.sh start
# shellcheck disable=SC1091
. "$PBX_CACHE/instances/$PBX_INSTANCE/instance.env"
scripts/asterisk.sh prompts "$RULES" >/dev/null
VERSION=$(scripts/asterisk.sh cli 'core show version' 2>/dev/null | awk '{print $2; exit}')

start_engine
wait_engine_ready 1
start_watchdog
register_phones
start_peers

for p in "${!PHASES[@]}"; do run_phase "$p" "${PHASES[$p]}"; done

log "all calls placed and ended; collecting the engine's records"
sleep 7                                 # the last fallback messages imported (every 5 s)
PEERS_OK=1; check_peers || PEERS_OK=""
stop_peers                              # flushes their logs
tally || exit 1
[ -n "$PEERS_OK" ] || die "a SIPp peer died during the run: the tally above cannot be trusted"
