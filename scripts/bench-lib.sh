# Helpers shared by scripts/bench.sh and scripts/bench-queue.sh. Sourced, never run.
# They use PBX_INSTANCE, PBX_CACHE, CLK_TCK, ENGINE_PID_FILE and WORK from the sourcing script.
# shellcheck shell=bash

ari() { ari_curl "$PBX_ARI_USER" "$PBX_ARI_PASSWORD" "${PBX_ARI_URL}$1" 2>/dev/null; }

stop_engine() {
  local pid
  [ -f "$ENGINE_PID_FILE" ] || return 0
  pid=$(cat "$ENGINE_PID_FILE")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "engine $pid still running; SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$ENGINE_PID_FILE"
}

# CPU ticks (user + system, all threads) of a process; fields after "(comm)" of /proc/PID/stat.
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# Busy CPU ticks of the whole machine (user nice system irq softirq steal), all cores.
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }

# mem_mb PID [VmRSS|VmHWM]: a process's resident memory in MB (VmHWM: its peak since it started); ? when it is gone.
mem_mb() { awk -v k="${2:-VmRSS}:" '$1 == k {printf "%.0f", $2 / 1024; found = 1; exit} END {if (!found) printf "?"}' "/proc/$1/status" 2>/dev/null || printf '?'; }
# memory_line ASTERISK_PID ENGINE_PID: both processes' memory right after a run.
memory_line() {
  printf 'Asterisk RSS %s MB (peak %s MB), engine RSS %s MB (peak since it started %s MB)' \
    "$(mem_mb "$1")" "$(mem_mb "$1" VmHWM)" "$(mem_mb "$2")" "$(mem_mb "$2" VmHWM)"
}
cpu_seconds() { awk -v t="$1" -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", t / hz}'; }

per_1000() { awk -v t="$1" -v hz="$CLK_TCK" -v n="$2" 'BEGIN {if (n > 0) printf "%.2f", t / hz * 1000 / n; else printf "-"}'; }

asterisk_pid() {
  local pid
  pid=$(cat "$PBX_CACHE/instances/$PBX_INSTANCE/asterisk.pid")
  # setsid/chroot exec into asterisk; should one of them have forked, take its child.
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != asterisk ]; then
    pid=$(pgrep -P "$pid" -x asterisk | head -n 1)
  fi
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || die "cannot find the $PBX_INSTANCE Asterisk process"
  printf '%s\n' "$pid"
}

ari_app_registered() { ari "applications/$PBX_ARI_APP" >/dev/null; }

restart_asterisk() {
  scripts/asterisk.sh stop >/dev/null 2>&1 || true
  scripts/asterisk.sh start >/dev/null 2>&1 || { scripts/asterisk.sh start; die "the $PBX_INSTANCE Asterisk instance did not start"; }
  # shellcheck disable=SC1091
  . "$PBX_CACHE/instances/$PBX_INSTANCE/instance.env"
}

wait_engine_connected() {
  local deadline=$((SECONDS + 60))
  until ari_app_registered; do
    kill -0 "$(cat "$ENGINE_PID_FILE")" 2>/dev/null || { tail -n 20 "$WORK/engine.log" >&2; die "the engine exited"; }
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$WORK/engine.log" >&2; die "the engine did not (re)connect to Asterisk within 60 s"; }
    sleep 0.2
  done
}

# percentiles FILE -> "p50 p95 p99" (nearest rank, integer ms) of the rtt trace's response times.
percentiles() {
  local f=$1
  awk -F';' 'NR > 1 && $2 ~ /^[0-9.]+$/ {print $2}' "$f" 2>/dev/null | sort -n | awk '
    {v[NR] = $1}
    function at(p,  i) { i = int(p * NR / 100); if (i < p * NR / 100) i++; if (i < 1) i = 1; return int(v[i] + 0.5) }
    END { if (NR == 0) print "- - -"; else print at(50), at(95), at(99) }'
}

# stat_field FILE NAME -> value of the column NAME in the last row of SIPp's -trace_stat file.
stat_field() {
  awk -F';' -v name="$2" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == name) c = i; next} {last = $c} END {print last + 0}' "$1" 2>/dev/null || echo 0
}

# Calls the engine could not start and sent to the dialplan fallback (logged as errors at Warn level).
fallback_count() { grep -c 'taking the fallback route' "$WORK/engine.log" || true; }

# stop_sipps: stops the SIPp processes whose pids are listed in $PIDS_FILE (TERM, then KILL after 5 s), then the list.
stop_sipps() {
  local pid
  [ -f "$PIDS_FILE" ] || return 0
  for pid in $(cat "$PIDS_FILE"); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sipp ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in $(cat "$PIDS_FILE"); do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sipp ] && kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$PIDS_FILE"
}
