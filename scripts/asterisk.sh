#!/usr/bin/env bash
# Runs a real Asterisk for development, tests and demos.
#
#   scripts/asterisk.sh install   use `asterisk` (20+) on PATH, or build a Debian sid root fs (cached)
#   scripts/asterisk.sh start     render asterisk-config/ for an instance, start it, wait for ARI
#   scripts/asterisk.sh stop      stop cleanly, then for sure
#   scripts/asterisk.sh status    exit 0 when the instance runs and ARI answers
#   scripts/asterisk.sh env       print the instance's settings (ARI URL, user, password, ports)
#   scripts/asterisk.sh render    render the configuration only (no start) and print its folder
#   scripts/asterisk.sh cli CMD   run an Asterisk CLI command on the instance
#   scripts/asterisk.sh prompts RULES_PATH   speak the rules' greetings and messages (espeak-ng, French)
#
# Settings (environment, all optional; see README "Asterisk instances"):
#   PBX_INSTANCE      instance name (dev)              PBX_SIP_PORT    SIP/UDP port (5060)
#   PBX_ARI_PORT      ARI HTTP port (8088)             PBX_ARI_USER    ARI user (pbxrouter)
#   PBX_ARI_PASSWORD  ARI password (random, kept in the instance's state file)
#   PBX_ARI_APP       Stasis application name (pbxrouter)
#   PBX_RTP_START/PBX_RTP_END  RTP port range (20000-29999)
#   Network (docs/network.md): PBX_SIP_BIND address SIP listens on (127.0.0.1; 0.0.0.0 for every interface)
#   PBX_SIP_TCP_PORT  TCP transport port (same as PBX_SIP_PORT; 0: no TCP transport)
#   PBX_TLS_CERT_FILE/PBX_TLS_KEY_FILE  PEM certificate and key: a TLS transport on PBX_SIP_TLS_PORT (5061), only with both
#   PBX_MEDIA_ADDRESS address put in SDP for media (PBX_SIP_BIND; required when that is 0.0.0.0)
#   PBX_EXTERNAL_SIGNALING_ADDRESS/PBX_EXTERNAL_MEDIA_ADDRESS  public address behind NAT (none; media: the signalling one)
#   PBX_LOCAL_NET     networks reached without NAT, comma-separated (required with an external address)
#   PBX_ARI_BIND      ARI's HTTP address (127.0.0.1); another one needs PBX_ARI_EXPOSE=1 as well
#   PBX_TRUNK_PEER    address of the IP-identified trunk's provider (127.0.0.2)
#   PBX_TRUNK_PORT    its SIP port (5090)
#   PBX_FALLBACK_NUMBER  number dialled through the trunk when a number that is no practice's takes the fallback
#                     route (empty: voicemail); a practice's number takes its own route (extensions_generated.conf)
#   PBX_BENCH         1: a benchmark instance, with the native baselines of asterisk-config/bench/
#                     (never set for a practice: those endpoints exist only for benchmarks)
#   The env file also gives PBX_GENERATED_PJSIP: where the engine writes the rules' trunks and phones (and, beside
#   it, extensions_generated.conf: the practices' fallback routes), and PBX_PROMPTS_DIR / PBX_PROMPTS_ASTERISK_DIR:
#   the instance's prompts folder (spoken from the rules' texts by the engine), as the host and as Asterisk see it.
#   PBX_CACHE         cache folder for the root fs and instance state (/var/cache/pbxrouter)
#   PBX_ENGINE_USER   the host user the engine runs as when it is not root (e.g. pbxrouter, docs/install.md): at each
#                     start it joins a group with Asterisk's group id, and the configuration and prompts folders become
#                     writable by that group (2770), so it can write the generated files Asterisk reads (none: root only)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ROOT="${PBX_ASTERISK_ROOT:-$PBX_CACHE/asterisk-sid-root}"
INSTANCE="${PBX_INSTANCE:-dev}"
[[ "$INSTANCE" =~ ^[a-zA-Z0-9_-]+$ ]] || die "PBX_INSTANCE must be letters, digits, - or _ (got '$INSTANCE')"
STATE="$PBX_CACHE/instances/$INSTANCE"
# Files the engine writes from the routing rules (phones and trunks; the practices' fallback routes).
GENERATED="pjsip_generated.conf extensions_generated.conf"
ROOTFS_PACKAGES="asterisk,asterisk-core-sounds-en-gsm,asterisk-core-sounds-fr-gsm,asterisk-moh-opsound-gsm,espeak-ng,sox,ca-certificates"

# Host mode: an `asterisk` 20+ on PATH is used as it is; otherwise the chroot.
host_asterisk() {
  command -v asterisk >/dev/null 2>&1 || return 1
  local major
  major=$(asterisk -V 2>/dev/null | sed -n 's/^Asterisk \([0-9]*\).*/\1/p')
  [ -n "$major" ] && [ "$major" -ge 20 ]
}

if host_asterisk; then FS=""; RUN=(); else FS="$ROOT"; RUN=(chroot "$ROOT"); fi
CONF_DIR="/etc/pbxrouter/$INSTANCE"      # paths as Asterisk sees them
RUN_DIR="/run/pbxrouter/$INSTANCE"
SPOOL_DIR="/var/spool/pbxrouter/$INSTANCE"
LOG_DIR="/var/log/pbxrouter/$INSTANCE"
DB_DIR="/var/lib/pbxrouter/$INSTANCE"

cmd_install() {
  ensure_host_packages curl curl sipp sip-tester
  # The engine and `rules apply` speak the rules' texts into prompts on this machine (docs/routing-yaml.md "greeting, messages").
  ensure_host_packages espeak-ng espeak-ng sox sox
  if host_asterisk; then log "using $(asterisk -V) from PATH"; return 0; fi
  if [ -f "$ROOT/.pbxrouter-ready" ]; then log "Asterisk root fs ready at $ROOT"; return 0; fi
  ensure_host_packages debootstrap debootstrap
  local mirror tmp
  mirror=$(debian_mirror)
  tmp="$ROOT.partial"
  as_root rm -rf "$tmp"
  as_root mkdir -p "$(dirname "$ROOT")"
  log "building a Debian sid root fs with Asterisk in $ROOT (about 2 minutes, once per machine)"
  if ! as_root debootstrap --variant=minbase --include="$ROOTFS_PACKAGES" sid "$tmp" "$mirror" >"$PBX_CACHE/debootstrap.log" 2>&1; then
    tail -n 30 "$PBX_CACHE/debootstrap.log" >&2
    die "debootstrap failed (full log: $PBX_CACHE/debootstrap.log)"
  fi
  as_root chroot "$tmp" /usr/sbin/asterisk -V >/dev/null || die "asterisk does not run inside $tmp"
  as_root rm -rf "$ROOT"
  as_root mv "$tmp" "$ROOT"
  as_root touch "$ROOT/.pbxrouter-ready"
  log "installed $(chroot "$ROOT" /usr/sbin/asterisk -V)"
}

# Instance settings persist so that start/stop/status and the engine agree on ports and password.
load_settings() {
  mkdir -p "$STATE"
  local saved_password=""
  if [ -f "$STATE/instance.env" ]; then
    saved_password=$(sed -n 's/^PBX_ARI_PASSWORD=//p' "$STATE/instance.env")
  fi
  SIP_PORT="${PBX_SIP_PORT:-5060}"
  ARI_PORT="${PBX_ARI_PORT:-8088}"
  ARI_USER="${PBX_ARI_USER:-pbxrouter}"
  ARI_PASSWORD="${PBX_ARI_PASSWORD:-${saved_password:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')}}"
  ARI_APP="${PBX_ARI_APP:-pbxrouter}"
  RTP_START="${PBX_RTP_START:-20000}"
  RTP_END="${PBX_RTP_END:-29999}"
  TRUNK_PEER="${PBX_TRUNK_PEER:-127.0.0.2}"
  TRUNK_PORT="${PBX_TRUNK_PORT:-5090}"
  FALLBACK_NUMBER="${PBX_FALLBACK_NUMBER:-}"
  FALLBACK_PIN=$(od -An -N4 -tu4 /dev/urandom | tr -d " " | cut -c1-6)
  load_network
  [[ "$FALLBACK_NUMBER" =~ ^\+?[0-9]*$ ]] || die "PBX_FALLBACK_NUMBER must be digits with an optional + (got '$FALLBACK_NUMBER')"
  [[ "$ARI_PASSWORD" =~ ^[A-Za-z0-9._-]+$ ]] || die "PBX_ARI_PASSWORD may only hold letters, digits, '.', '_' and '-'"
  umask 077
  cat >"$STATE/instance.env" <<ENV
PBX_INSTANCE=$INSTANCE
PBX_SIP_PORT=$SIP_PORT
PBX_ARI_PORT=$ARI_PORT
PBX_ARI_URL=http://$ARI_HOST:$ARI_PORT/ari/
PBX_SIP_BIND=$SIP_BIND
PBX_SIP_TCP_PORT=$SIP_TCP_PORT
PBX_SIP_TLS_PORT=$SIP_TLS_PORT
PBX_SIP_TRANSPORTS=$SIP_TRANSPORTS
PBX_TLS_CERT_FILE=$TLS_CERT_FILE
PBX_TLS_KEY_FILE=$TLS_KEY_FILE
PBX_MEDIA_ADDRESS=$MEDIA_ADDRESS
PBX_EXTERNAL_SIGNALING_ADDRESS=$EXTERNAL_SIGNALING
PBX_EXTERNAL_MEDIA_ADDRESS=$EXTERNAL_MEDIA
PBX_LOCAL_NET=$LOCAL_NET
PBX_ARI_BIND=$ARI_BIND
PBX_RTP_START=$RTP_START
PBX_RTP_END=$RTP_END
PBX_ARI_USER=$ARI_USER
PBX_ARI_PASSWORD=$ARI_PASSWORD
PBX_ARI_APP=$ARI_APP
PBX_TRUNK_PEER=$TRUNK_PEER
PBX_TRUNK_PORT=$TRUNK_PORT
PBX_FALLBACK_NUMBER=$FALLBACK_NUMBER
PBX_SPOOL_DIR=$FS$SPOOL_DIR
PBX_GENERATED_PJSIP=$FS$CONF_DIR/pjsip_generated.conf
PBX_LOG_FILE=$STATE/asterisk.log
PBX_SECURITY_LOG=$FS$LOG_DIR/security
PBX_PROMPTS_DIR=$FS$DB_DIR/prompts
PBX_PROMPTS_ASTERISK_DIR=$DB_DIR/prompts
ENV
  umask 022
}

is_ip() { [[ "$1" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ || "$1" =~ ^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$ ]]; }
is_loopback() { [[ "$1" =~ ^127\. || "$1" = "::1" ]]; }
is_port() { [[ "$1" =~ ^[0-9]{1,5}$ ]] && [ "$1" -le 65535 ]; }

# Addresses, transports and NAT of the instance (docs/network.md). Safe defaults: everything on loopback.
load_network() {
  SIP_BIND="${PBX_SIP_BIND:-127.0.0.1}"
  SIP_TCP_PORT="${PBX_SIP_TCP_PORT:-$SIP_PORT}"
  SIP_TLS_PORT="${PBX_SIP_TLS_PORT:-5061}"
  TLS_CERT_FILE="${PBX_TLS_CERT_FILE:-}"
  TLS_KEY_FILE="${PBX_TLS_KEY_FILE:-}"
  EXTERNAL_SIGNALING="${PBX_EXTERNAL_SIGNALING_ADDRESS:-}"
  EXTERNAL_MEDIA="${PBX_EXTERNAL_MEDIA_ADDRESS:-$EXTERNAL_SIGNALING}"
  LOCAL_NET="${PBX_LOCAL_NET:-}"
  ARI_BIND="${PBX_ARI_BIND:-127.0.0.1}"
  is_ip "$SIP_BIND" || die "PBX_SIP_BIND must be an IP address of this machine, or 0.0.0.0 (got '$SIP_BIND')"
  local wildcard=""; [[ "$SIP_BIND" = 0.0.0.0 || "$SIP_BIND" = "::" ]] && wildcard=1
  if [ -n "${PBX_MEDIA_ADDRESS:-}" ]; then MEDIA_ADDRESS=$PBX_MEDIA_ADDRESS
  elif [ -n "$wildcard" ]; then die "PBX_SIP_BIND=$SIP_BIND listens everywhere: set PBX_MEDIA_ADDRESS to the address phones and the carrier send media to (e.g. the LAN address)"
  else MEDIA_ADDRESS=$SIP_BIND; fi
  is_ip "$MEDIA_ADDRESS" || die "PBX_MEDIA_ADDRESS must be an IP address (got '$MEDIA_ADDRESS')"
  for p in SIP_PORT SIP_TCP_PORT SIP_TLS_PORT RTP_START RTP_END ARI_PORT; do
    is_port "${!p}" || die "PBX_$p must be a port number (got '${!p}')"
  done
  [ "$RTP_START" -lt "$RTP_END" ] || die "PBX_RTP_START ($RTP_START) must be below PBX_RTP_END ($RTP_END)"
  local a p
  for a in "$EXTERNAL_SIGNALING" "$EXTERNAL_MEDIA"; do
    [ -z "$a" ] || [[ "$a" =~ ^[A-Za-z0-9.:-]+$ ]] || die "PBX_EXTERNAL_SIGNALING_ADDRESS/PBX_EXTERNAL_MEDIA_ADDRESS must be an address or host name (got '$a')"
  done
  LOCAL_NET=$(printf '%s' "$LOCAL_NET" | tr -d ' ')
  for a in ${LOCAL_NET//,/ }; do
    [[ "$a" =~ ^[0-9a-fA-F.:]+(/[0-9.]+)?$ ]] || die "PBX_LOCAL_NET must be networks like 192.168.1.0/24, comma-separated (got '$a')"
  done
  if [ -n "$EXTERNAL_SIGNALING$EXTERNAL_MEDIA" ] && [ -z "$LOCAL_NET" ]; then
    die "an external address is set: PBX_LOCAL_NET must list the networks reached without NAT (the LAN of the phones), e.g. 192.168.1.0/24"
  fi
  is_ip "$ARI_BIND" || die "PBX_ARI_BIND must be an IP address (got '$ARI_BIND')"
  if ! is_loopback "$ARI_BIND" && [ "${PBX_ARI_EXPOSE:-}" != 1 ]; then
    die "PBX_ARI_BIND=$ARI_BIND would expose ARI (control of every call) beyond this machine: set PBX_ARI_EXPOSE=1 as well if you mean it, behind a firewall (docs/network.md)"
  fi
  if [[ "$ARI_BIND" = 0.0.0.0 || "$ARI_BIND" = "::" ]]; then ARI_HOST=127.0.0.1; else ARI_HOST=$ARI_BIND; fi
  [[ "$ARI_HOST" =~ : ]] && ARI_HOST="[$ARI_HOST]"
  SIP_TRANSPORTS=udp
  if [ "$SIP_TCP_PORT" != 0 ]; then SIP_TRANSPORTS="$SIP_TRANSPORTS,tcp"; fi
  if [ -n "$TLS_CERT_FILE$TLS_KEY_FILE" ]; then
    [ -n "$TLS_CERT_FILE" ] && [ -n "$TLS_KEY_FILE" ] || die "TLS needs both PBX_TLS_CERT_FILE and PBX_TLS_KEY_FILE"
    for a in "$TLS_CERT_FILE" "$TLS_KEY_FILE"; do
      [ -f "$a" ] || die "TLS file $a does not exist (PBX_TLS_CERT_FILE/PBX_TLS_KEY_FILE)"
      [ -r "$a" ] && [ -s "$a" ] || die "TLS file $a cannot be read or is empty (PBX_TLS_CERT_FILE/PBX_TLS_KEY_FILE)"
    done
    SIP_TRANSPORTS="$SIP_TRANSPORTS,tls"
  fi
}

# host:port as a PJSIP bind value ([v6]:port).
bind_of() { if [[ "$1" =~ : ]]; then printf '[%s]:%s' "$1" "$2"; else printf '%s:%s' "$1" "$2"; fi; }

# One transport section per protocol, with the NAT settings on each (pjsip_transports.conf, included by pjsip.conf).
render_transports() {
  local dest=$1 protocol port net
  {
    echo "; Rendered by scripts/asterisk.sh from the instance's network settings (docs/network.md): do not edit."
    for protocol in ${SIP_TRANSPORTS//,/ }; do
      case $protocol in udp) port=$SIP_PORT ;; tcp) port=$SIP_TCP_PORT ;; tls) port=$SIP_TLS_PORT ;; esac
      printf '\n[transport-%s]\ntype = transport\nprotocol = %s\nbind = %s\n' "$protocol" "$protocol" "$(bind_of "$SIP_BIND" "$port")"
      if [ "$protocol" = tls ]; then
        printf 'cert_file = %s/tls/cert.pem\npriv_key_file = %s/tls/key.pem\nmethod = tlsv1_2\n' "$CONF_DIR" "$CONF_DIR"
        printf 'verify_server = yes\nca_list_file = /etc/ssl/certs/ca-certificates.crt\n'
      fi
      for net in ${LOCAL_NET//,/ }; do printf 'local_net = %s\n' "$net"; done
      if [ -n "$EXTERNAL_SIGNALING" ]; then printf 'external_signaling_address = %s\n' "$EXTERNAL_SIGNALING"; fi
      if [ -n "$EXTERNAL_MEDIA" ]; then printf 'external_media_address = %s\n' "$EXTERNAL_MEDIA"; fi
    done
  } | as_root tee "$dest/pjsip_transports.conf" >/dev/null
  if [[ ",$SIP_TRANSPORTS," = *,tls,* ]]; then
    # Copied beside the configuration: a chrooted Asterisk cannot see the host's paths.
    as_root mkdir -p "$dest/tls"
    as_root cp "$TLS_CERT_FILE" "$dest/tls/cert.pem"
    as_root cp "$TLS_KEY_FILE" "$dest/tls/key.pem"
    as_root chmod 750 "$dest/tls"
    as_root chmod 640 "$dest/tls/cert.pem" "$dest/tls/key.pem"
  fi
  return 0
}

render_config() {
  local dest="$FS$CONF_DIR" f g keep
  # The engine's generated trunks, phones and fallback routes survive a restart (the engine rewrites them when it connects).
  keep=$(mktemp -d)
  for g in $GENERATED; do [ -s "$dest/$g" ] && as_root cp -p "$dest/$g" "$keep/$g"; done
  as_root rm -rf "$dest"
  as_root mkdir -p "$dest"
  local sources=("$PBX_REPO"/asterisk-config/*.conf)
  [ "${PBX_BENCH:-}" = 1 ] && sources+=("$PBX_REPO"/asterisk-config/bench/*.conf)
  for f in "${sources[@]}"; do
    sed -e "s|@@SIP_PORT@@|$SIP_PORT|g" -e "s|@@ARI_PORT@@|$ARI_PORT|g" \
        -e "s|@@ARI_USER@@|$ARI_USER|g" -e "s|@@ARI_PASSWORD@@|$ARI_PASSWORD|g" \
        -e "s|@@ARI_APP@@|$ARI_APP|g" -e "s|@@RTP_START@@|$RTP_START|g" -e "s|@@RTP_END@@|$RTP_END|g" \
        -e "s|@@TRUNK_PEER@@|$TRUNK_PEER|g" -e "s|@@TRUNK_PORT@@|$TRUNK_PORT|g" \
        -e "s|@@FALLBACK_NUMBER@@|$FALLBACK_NUMBER|g" -e "s|@@FALLBACK_PIN@@|$FALLBACK_PIN|g" \
        -e "s|@@CONF_DIR@@|$CONF_DIR|g" -e "s|@@RUN_DIR@@|$RUN_DIR|g" -e "s|@@SPOOL_DIR@@|$SPOOL_DIR|g" \
        -e "s|@@LOG_DIR@@|$LOG_DIR|g" -e "s|@@DB_DIR@@|$DB_DIR|g" \
        -e "s|@@MEDIA_ADDRESS@@|$MEDIA_ADDRESS|g" -e "s|@@ARI_BIND@@|$ARI_BIND|g" \
        "$f" | as_root tee "$dest/$(basename "$f")" >/dev/null
  done
  render_transports "$dest"
  as_root chmod 640 "$dest"/*.conf
  # The generated configuration (from the routing rules) is included if present.
  for g in $GENERATED; do
    [ -f "$keep/$g" ] && as_root cp -p "$keep/$g" "$dest/$g"
    as_root touch "$dest/$g"
  done
  rm -rf "$keep"
}

prepare_dirs() {
  local d
  # recording/: ARI recordings (voicemail messages) land there, and Asterisk does not create it.
  for d in "$RUN_DIR" "$SPOOL_DIR" "$SPOOL_DIR/recording" "$LOG_DIR" "$DB_DIR" "$DB_DIR/prompts"; do as_root mkdir -p "$FS$d"; done
  if [ -n "$FS" ]; then
    # Without the host's /etc/hosts Asterisk resolves its own name on every call (seconds per call).
    as_root cp /etc/hosts "$FS/etc/hosts"
    mountpoint -q "$FS/proc" || as_root mount -t proc proc "$FS/proc"
    # Debian's French prompts (fr_CA) are installed without the sounds/fr link Asterisk looks for.
    [ -e "$FS/usr/share/asterisk/sounds/fr" ] || as_root ln -s fr_CA_f_June "$FS/usr/share/asterisk/sounds/fr"
    own_root_fs_ids
    as_root chroot "$FS" chown -R asterisk:asterisk "$CONF_DIR" "$RUN_DIR" "$SPOOL_DIR" "$LOG_DIR" "$DB_DIR"
  elif id asterisk >/dev/null 2>&1; then
    as_root chown -R asterisk:asterisk "$CONF_DIR" "$RUN_DIR" "$SPOOL_DIR" "$LOG_DIR" "$DB_DIR"
  fi
  share_with_engine
}

# PBX_ENGINE_USER: the engine, running as that host user, writes the generated configuration (files created aside with
# mode 640, then renamed) and the prompts; Asterisk (user and group asterisk, no other group) must read them. The two
# folders get Asterisk's group, mode 2770 (set-group-id: what the engine creates there belongs to Asterisk's group), and
# the engine's user joins that group (on the host: `asterisk`; for the root fs: `pbxrouter-asterisk`, its ids).
share_with_engine() {
  local user="${PBX_ENGINE_USER:-}" gid group d
  [ -n "$user" ] || return 0
  id "$user" >/dev/null 2>&1 || die "PBX_ENGINE_USER '$user' is not a user of this machine (create it first: docs/install.md)"
  if [ -n "$FS" ]; then group=pbxrouter-asterisk; else group=asterisk; fi
  gid=$(getent group "$group" | cut -d: -f3)
  [ -n "$gid" ] || die "no group '$group' for PBX_ENGINE_USER to join"
  id -nG "$user" | tr ' ' '\n' | grep -qx "$group" || as_root usermod -aG "$group" "$user" \
    || die "could not add $user to group $group"
  for d in "$CONF_DIR" "$DB_DIR/prompts"; do
    as_root chgrp "$gid" "$FS$d"
    as_root chmod 2770 "$FS$d"
  done
  for d in $GENERATED; do as_root chgrp "$gid" "$FS$CONF_DIR/$d"; as_root chmod 660 "$FS$CONF_DIR/$d"; done
  log "user $user (group $group) may write $FS$CONF_DIR and $FS$DB_DIR/prompts"
}

# The root fs's `asterisk` user and group own Asterisk's files (the configuration holds passwords): seen from the host,
# they belong to whoever has the same ids there. So their ids are reserved on the host by a system user and group
# `pbxrouter-asterisk` (no login, no home); when the host already uses them for someone else, they first move, in the
# root fs, to ids free on both sides (files included). Done once; a no-op afterwards.
own_root_fs_ids() {
  [ -n "$FS" ] || return 0
  local uid gid host_user host_group id
  uid=$(as_root chroot "$FS" id -u asterisk); gid=$(as_root chroot "$FS" getent group asterisk | cut -d: -f3)
  host_user=$(getent passwd "$uid" | cut -d: -f1); host_group=$(getent group "$gid" | cut -d: -f1)
  [ "$host_user" = pbxrouter-asterisk ] && [ "$host_group" = pbxrouter-asterisk ] && return 0
  if { [ -n "$host_user" ] && [ "$host_user" != pbxrouter-asterisk ]; } || { [ -n "$host_group" ] && [ "$host_group" != pbxrouter-asterisk ]; } \
      || getent passwd pbxrouter-asterisk >/dev/null || getent group pbxrouter-asterisk >/dev/null; then
    local new=""
    if getent passwd pbxrouter-asterisk >/dev/null; then new=$(id -u pbxrouter-asterisk); else
      for id in $(seq 999 -1 200); do
        getent passwd "$id" >/dev/null || getent group "$id" >/dev/null && continue
        as_root chroot "$FS" getent passwd "$id" >/dev/null || as_root chroot "$FS" getent group "$id" >/dev/null && continue
        new=$id; break
      done
    fi
    [ -n "$new" ] || die "no user and group id free on both the host and the Asterisk root fs"
    log "the root fs's asterisk user and group move from $uid:$gid (on this host: ${host_user:-nobody}:${host_group:-none}) to $new:$new"
    as_root chroot "$FS" groupmod -g "$new" asterisk
    as_root chroot "$FS" usermod -u "$new" -g "$new" asterisk
    as_root find "$FS" -xdev -uid "$uid" -exec chown -h "$new" {} +
    as_root find "$FS" -xdev -gid "$gid" -exec chgrp -h "$new" {} +
    uid=$new; gid=$new
  fi
  getent group pbxrouter-asterisk >/dev/null || as_root groupadd --system --gid "$gid" pbxrouter-asterisk
  getent passwd pbxrouter-asterisk >/dev/null || as_root useradd --system --uid "$uid" --gid "$gid" --no-create-home \
    --home-dir /nonexistent --shell /usr/sbin/nologin --comment "Asterisk of the PbxRouter root fs" pbxrouter-asterisk
}

# Spoken prompts of our own (asterisk-config/prompts/LANG.txt, "name|text" per line), made
# with espeak-ng once and remade when their text changes.
make_prompts() {
  local list
  for list in "$PBX_REPO"/asterisk-config/prompts/*.txt; do
    [ -f "$list" ] && make_prompt_list "$list" "$(basename "$list" .txt)"
  done
  return 0
}

# make_prompt_list FILE LANG: one prompt per "name|text" line of FILE, in sounds/LANG/pbxrouter/.
make_prompt_list() {
  local list=$1 lang=$2 dir name text target
  dir="/usr/share/asterisk/sounds/$lang/pbxrouter"
  as_root mkdir -p "$FS$dir"
  while IFS='|' read -r name text; do
    [ -z "$name" ] || [ "${name#\#}" != "$name" ] && continue
    [[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] || { log "warning: prompt name '$name' skipped (letters, digits, - and _ only)"; continue; }
    target="$dir/$name"
    if [ -f "$FS$target.wav" ] && [ "$(cat "$FS$target.txt" 2>/dev/null)" = "$text" ]; then continue; fi
    if ! as_root "${RUN[@]}" sh -c 'espeak-ng -v "$1" -w "$2.tmp.wav" "$3" && sox "$2.tmp.wav" -r 8000 -c 1 -b 16 "$2.wav" && rm -f "$2.tmp.wav"' \
        _ "$lang" "$target" "$text" >/dev/null 2>&1; then
      log "warning: could not make prompt $lang/$name (espeak-ng and sox needed)"; continue
    fi
    printf '%s' "$text" | as_root tee "$FS$target.txt" >/dev/null
  done <"$list"
}

# prompts RULES_PATH: speaks the greetings and messages named in the rules (French).
cmd_prompts() {
  [ -n "${1:-}" ] || die "usage: scripts/asterisk.sh prompts RULES_PATH"
  local list; list=$(mktemp)
  "$PBX_REPO/scripts/pbxrouter" rules prompts "$1" >"$list" || { rm -f "$list"; die "the rules at $1 are not valid (see above)"; }
  make_prompt_list "$list" fr
  log "$(grep -c . "$list") prompt(s) of $1 ready in sounds/fr/pbxrouter/"
  rm -f "$list"
}

pid_alive() { [ -f "$STATE/asterisk.pid" ] && kill -0 "$(cat "$STATE/asterisk.pid")" 2>/dev/null; }

ari_answers() {
  ari_curl "$ARI_USER" "$ARI_PASSWORD" "http://$ARI_HOST:$ARI_PORT/ari/asterisk/info" >/dev/null 2>&1
}

asterisk_cli() { as_root "${RUN[@]}" asterisk -C "$CONF_DIR/asterisk.conf" -rx "$1"; }

cmd_start() {
  load_settings
  if pid_alive && ari_answers; then log "instance '$INSTANCE' already running (ARI on port $ARI_PORT)"; return 0; fi
  pid_alive && cmd_stop
  [ -n "$FS" ] && [ ! -f "$ROOT/.pbxrouter-ready" ] && cmd_install
  render_config
  prepare_dirs
  make_prompts
  : >"$STATE/asterisk.log"
  local user_args=()
  if [ -n "$FS" ] || id asterisk >/dev/null 2>&1; then user_args=(-U asterisk -G asterisk); fi
  setsid "${RUN[@]}" asterisk -C "$CONF_DIR/asterisk.conf" -f -n "${user_args[@]}" \
    </dev/null >>"$STATE/asterisk.log" 2>&1 &
  echo $! >"$STATE/asterisk.pid"
  local deadline=$((SECONDS + ${PBX_START_TIMEOUT:-60}))
  until ari_answers; do
    if ! pid_alive || [ $SECONDS -ge $deadline ]; then
      log "Asterisk instance '$INSTANCE' did not answer on ARI port $ARI_PORT; last log lines:"
      grep -E 'ERROR|WARNING' "$STATE/asterisk.log" | tail -n 15 >&2 || true
      tail -n 10 "$STATE/asterisk.log" >&2 || true
      cmd_stop || true
      die "Asterisk failed to start"
    fi
    sleep 0.2
  done
  log "instance '$INSTANCE' running: SIP $SIP_BIND:$SIP_PORT ($SIP_TRANSPORTS), ARI http://$ARI_HOST:$ARI_PORT/ari/ (settings: $STATE/instance.env)"
}

cmd_stop() {
  load_settings
  if pid_alive; then
    local pid; pid=$(cat "$STATE/asterisk.pid")
    asterisk_cli "core stop now" >/dev/null 2>&1 || true
    local i
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "Asterisk $pid still running after 'core stop now'; sending SIGTERM"
      as_root kill -TERM "$pid" 2>/dev/null || true
      for i in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && { log "sending SIGKILL to $pid"; as_root kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; }
    fi
    log "instance '$INSTANCE' stopped"
  else
    log "instance '$INSTANCE' is not running"
  fi
  rm -f "$STATE/asterisk.pid"
  release_proc
}

# /proc stays mounted in the root fs while any instance runs there.
release_proc() {
  [ -n "$FS" ] || return 0
  local f
  for f in "$PBX_CACHE"/instances/*/asterisk.pid; do
    [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && return 0
  done
  mountpoint -q "$FS/proc" && as_root umount "$FS/proc" 2>/dev/null || true
}

cmd_status() {
  load_settings
  if pid_alive && ari_answers; then
    log "instance '$INSTANCE' running (pid $(cat "$STATE/asterisk.pid"), ARI port $ARI_PORT)"; return 0
  fi
  log "instance '$INSTANCE' not running"; return 3
}

case "${1:-}" in
  install) cmd_install ;;
  start)   cmd_start ;;
  stop)    cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  status)  cmd_status ;;
  env)     load_settings; cat "$STATE/instance.env" ;;
  render)  load_settings; render_config; echo "$FS$CONF_DIR" ;;
  cli)     shift; load_settings; asterisk_cli "$*" ;;
  prompts) shift; cmd_prompts "${1:-}" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2 ;;
esac
