#!/usr/bin/env bash
# Simulated sites for the local cluster: per site, a web server and a client in network
# namespaces of their own on a bridge, the client fetching pages all the time, and one sensor
# capturing the bridge and publishing to the local Kafka under the site's name; the report job's
# per-site rankings then have rows from every site.
#
#   deploy/local/sites.sh up       create the namespaces, start traffic and sensors
#   deploy/local/sites.sh status   what runs, per site
#   deploy/local/sites.sh down     stop sensors (TERM: they flush and drain), traffic, remove all
#
# Site N (from 1) uses bridge argosy-br<N> and namespaces argosy-<site>-web (10.88.<N>.10, a web
# server on port 80<N>0) and argosy-<site>-client (10.88.<N>.20). The addresses exist only inside
# those namespaces; the bridge has none. Needs root (namespaces, capture), iproute2 and python3.
#
# Settings (environment): ARGOSY_SITES ("site-a site-b"), ARGOSY_RUN_DIR, ARGOSY_KAFKA_PORT
# (9092), ARGOSY_SITE_SENSOR_COMMAND (default: "<repo>/argosy sensor", the launcher; not
# ARGOSY_SENSOR_*: those variables configure the sensor itself).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUN_DIR="${ARGOSY_RUN_DIR:-$HERE/run}"
# shellcheck disable=SC2034 # read by lib.sh
LOG_PREFIX=sites
# shellcheck source=deploy/local/lib.sh
. "$HERE/lib.sh"
read -ra SITES <<<"${ARGOSY_SITES-site-a site-b}"
read -ra SENSOR <<<"${ARGOSY_SITE_SENSOR_COMMAND:-$ROOT/argosy sensor}"
BOOTSTRAP="127.0.0.1:${ARGOSY_KAFKA_PORT:-9092}"

# What the clients fetch: a few pages of different sizes, so rankings have something to order.
PAGES=(index.html:2000 app.js:60000 data.json:250000)

namespace() { echo "argosy-$1-$2"; }

site_up() {
  local n="$1" site="$2" bridge="argosy-br$1" dir="$RUN_DIR/sites/$2" role page name size
  local web client port=$((8000 + n * 10))
  web="$(namespace "$site" web)"
  client="$(namespace "$site" client)"
  mkdir -p "$dir/www" "$dir/spool"
  for page in "${PAGES[@]}"; do
    name="${page%%:*}" size="${page##*:}"
    head -c "$size" /dev/zero | tr '\0' 'x' >"$dir/www/$name"
  done
  ip link show "$bridge" >/dev/null 2>&1 || ip link add "$bridge" type bridge
  ip link set "$bridge" up
  for role in web client; do
    local ns host veth="argosy-$n-$role"
    ns="$(namespace "$site" "$role")"
    host=$([ "$role" = web ] && echo 10 || echo 20)
    ip netns list | grep -qx "$ns" || ip netns add "$ns"
    if ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
      # A veth left by a namespace that outlived an earlier run (a process kept it) is replaced.
      ip link del "$veth" 2>/dev/null || true
      ip link add "$veth" type veth peer name eth0 netns "$ns"
      ip link set "$veth" master "$bridge" up
      ip -n "$ns" addr add "10.88.$n.$host/24" dev eth0
      ip -n "$ns" link set eth0 up
      ip -n "$ns" link set lo up
    fi
  done
  start "$site-web" ip netns exec "$web" python3 -m http.server "$port" \
    --bind "10.88.$n.10" --directory "$dir/www"
  start "$site-client" ip netns exec "$client" python3 -c '
import sys, time, urllib.request
base, pages = sys.argv[1], sys.argv[2:]
while True:
    for page in pages:
        try:
            urllib.request.urlopen(base + page, timeout=5).read()
        except OSError:
            time.sleep(1)  # the server is still starting
        time.sleep(0.2)
' "http://10.88.$n.10:$port/" "${PAGES[@]%%:*}"
  start "$site-sensor" "${SENSOR[@]}" -i "$bridge" --site "$site" --sensor-id "$site-sensor" \
    --kafka "$BOOTSTRAP" --spool-dir "$dir/spool"
}

site_down() {
  local n="$1" site="$2" role ns pid
  stop "$site-sensor"
  stop "$site-client"
  stop "$site-web"
  for role in web client; do
    ns="$(namespace "$site" "$role")"
    # Whatever else still runs in the namespace would keep it, and its veth, alive after del.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      kill "$pid" 2>/dev/null || true
    done
    ip netns del "$ns" 2>/dev/null || true
  done
  ip link del "argosy-br$n" 2>/dev/null || true
}

up() {
  [ "$(id -u)" = 0 ] || fail "simulated sites need root (network namespaces, packet capture)"
  command -v ip >/dev/null || fail "ip not found: apt-get install iproute2"
  command -v python3 >/dev/null || fail "python3 not found: apt-get install python3"
  mkdir -p "$RUN_DIR"
  local i
  for i in "${!SITES[@]}"; do
    site_up "$((i + 1))" "${SITES[i]}"
  done
  say "${#SITES[@]} sites publishing to $BOOTSTRAP: ${SITES[*]}"
}

down() {
  local i
  for i in "${!SITES[@]}"; do
    site_down "$((i + 1))" "${SITES[i]}"
  done
}

status() {
  local site role pid running=0 total=0
  for site in "${SITES[@]}"; do
    for role in web client sensor; do
      total=$((total + 1))
      if pid="$(pid_of "$site-$role")"; then
        echo "$site $role: running (pid $pid)"
        running=$((running + 1))
      else
        echo "$site $role: stopped"
      fi
    done
  done
  [ "$running" -eq "$total" ] && return 0
  [ "$running" -eq 0 ] && return 3
  return 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
