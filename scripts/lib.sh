# Shared helpers for PbxRouter's scripts. Sourced, never run.
# shellcheck shell=bash

PBX_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Cache outside the repo, reused by later runs on the same machine.
PBX_CACHE="${PBX_CACHE:-/var/cache/pbxrouter}"

log()  { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die()  { log "error: $*"; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The Debian mirror this machine already uses (never hard-coded).
debian_mirror() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ {for (i=2;i<=NF;i++) if ($i !~ /security/) {print $i; exit}}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" && $0 !~ /security/ { for (i=2;i<=NF;i++) if ($i ~ /^(https?|file):/) {print $i; exit} }' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || die "no Debian mirror found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
  printf '%s\n' "$uri"
}

APT_UPDATED=""
# Installs Debian packages of the host that are missing (by command name -> package name pairs).
ensure_host_packages() {
  local missing=() cmd pkg
  while [ $# -gt 1 ]; do
    cmd=$1; pkg=$2; shift 2
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing host packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# ari_curl USER PASSWORD URL [CURL ARGS...]: an ARI request whose credentials reach curl on its
# standard input (a config line), never on its command line where `ps` would show them.
ari_curl() {
  local user=$1 password=$2 url=$3; shift 3
  printf 'user = "%s:%s"\n' "$user" "$password" | curl -fsS -m 2 -K - "$@" "$url"
}

