#!/usr/bin/env bash
# Re-creates samples/demo.pcap: ~46 s of real traffic between three hosts living in
# network namespaces that this script creates (and removes again):
#
#   argosy-client  10.77.0.10 ─┐
#   argosy-client2 10.77.0.11 ─┼─ br0 in argosy-sw (a plain L2 bridge)
#   argosy-server  10.77.0.20 ─┘   <- tcpdump -s 128 runs here, on the server's eth0
#
# Every conversation involves the server, so capturing on the server's interface sees
# each packet exactly once. IPv6 is disabled and neighbours are static, so the capture
# holds IPv4 TCP/UDP/ICMP only (no ARP, no ND/MLD). Offloads (checksum, TSO/GSO/GRO) are
# switched off on every veth so the capture holds real <=1514-byte frames with valid
# checksums, exactly as they would be on a wire.
#
# Traffic never leaves these namespaces: all addresses are in 10.77.0.0/24, which only
# exists inside them.
#
# Usage: sudo samples/make-demo-pcap.sh [output.pcap]     (default: samples/demo.pcap)
# Needs: root, iproute2, tcpdump, ethtool, python3 (stdlib only).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$(realpath -m "${1:-$HERE/demo.pcap}")"
NS_SW=argosy-sw NS_SRV=argosy-server NS_C1=argosy-client NS_C2=argosy-client2
ALL_NS="$NS_C1 $NS_C2 $NS_SRV $NS_SW"
SRV_IP=10.77.0.20 C1_IP=10.77.0.10 C2_IP=10.77.0.11
SRV_MAC=02:77:00:00:00:20 C1_MAC=02:77:00:00:00:10 C2_MAC=02:77:00:00:00:11

[ "$(id -u)" = 0 ] || { echo "must run as root (network namespaces)" >&2; exit 1; }
for c in ip tcpdump python3; do command -v "$c" >/dev/null || { echo "missing $c" >&2; exit 1; }; done
if ! command -v ethtool >/dev/null; then
  echo "ethtool missing, installing it (Debian package ethtool)" >&2
  apt-get install -y ethtool >/dev/null
fi
# the real interpreter (not a pyenv shim), so the pids we record are the python processes
PY="$(python3 -c 'import sys; print(sys.executable)')"

WORK="$(mktemp -d /tmp/argosy-demo.XXXXXX)"
PIDS=()

cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  delete_namespaces
  rm -rf "$WORK"
}

delete_namespaces() {
  for ns in $ALL_NS; do
    if ip netns list | grep -qw "^$ns"; then
      # processes still inside one of *our* namespaces are leftovers of an earlier run of this script
      for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null; done
      sleep 0.2
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT

echo "== setting up namespaces"
delete_namespaces
for ns in $ALL_NS; do
  ip netns add "$ns"
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$ns" link set lo up
done
# no multicast snooping: otherwise br0 itself sends IGMP reports (224.0.0.106) into the capture
ip -n "$NS_SW" link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
ip -n "$NS_SW" link set br0 up

attach() { # ns ip mac switch-port-name
  local ns=$1 addr=$2 mac=$3 port=$4
  ip link add eth0 netns "$ns" address "$mac" type veth peer name "$port" netns "$NS_SW"
  ip -n "$NS_SW" link set "$port" master br0
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$NS_SW" link set "$port" up
  for side in "$ns eth0" "$NS_SW $port"; do
    set -- $side
    ip netns exec "$1" ethtool -K "$2" rx off tx off sg off tso off gso off gro off >/dev/null 2>&1 || true
  done
}
attach "$NS_SRV" "$SRV_IP" "$SRV_MAC" p-server
attach "$NS_C1" "$C1_IP" "$C1_MAC" p-client
attach "$NS_C2" "$C2_IP" "$C2_MAC" p-client2
# static neighbours: no ARP in the capture
ip -n "$NS_C1" neigh replace "$SRV_IP" lladdr "$SRV_MAC" dev eth0 nud permanent
ip -n "$NS_C2" neigh replace "$SRV_IP" lladdr "$SRV_MAC" dev eth0 nud permanent
ip -n "$NS_SRV" neigh replace "$C1_IP" lladdr "$C1_MAC" dev eth0 nud permanent
ip -n "$NS_SRV" neigh replace "$C2_IP" lladdr "$C2_MAC" dev eth0 nud permanent

echo "== starting servers"
mkdir -p "$WORK/www80" "$WORK/www8080"
"$PY" - "$WORK" <<'EOF'
import random, sys
work = sys.argv[1]
files = {"www80": {"index.html": 14_203, "style.css": 36_514, "logo.png": 71_932,
                   "app.js": 183_771, "video.mp4": 612_345},
         "www8080": {"report.csv": 131_559, "data.json": 48_377, "thumbs.zip": 97_211,
                     "backup.tar": 401_733}}
for d, fs in files.items():
    for name, size in fs.items():
        with open(f"{work}/{d}/{name}", "wb") as f:
            f.write(random.Random(name).randbytes(size))
EOF
ip netns exec "$NS_SRV" "$PY" "$HERE/traffic/servers.py" --ip "$SRV_IP" >"$WORK/servers.log" 2>&1 &
PIDS+=($!)
ip netns exec "$NS_SRV" "$PY" -m http.server 80 --bind "$SRV_IP" --directory "$WORK/www80" >"$WORK/http80.log" 2>&1 &
PIDS+=($!)
ip netns exec "$NS_SRV" "$PY" -m http.server 8080 --bind "$SRV_IP" --directory "$WORK/www8080" >"$WORK/http8080.log" 2>&1 &
PIDS+=($!)
for i in $(seq 50); do
  n=$(ip netns exec "$NS_SRV" ss -Hltn | grep -cE ":(22|25|80|443|3306|5432|6379|8080|9092) " || true)
  [ "$n" -ge 9 ] && break
  sleep 0.2
done
[ "$n" -ge 9 ] || { echo "servers did not come up" >&2; cat "$WORK"/*.log >&2; exit 1; }

# t0 = 0.5 s after a 10 s epoch boundary at least 4 s from now: the ~45.5 s schedule
# then spans exactly five 10 s windows.
T0=$("$PY" -c 'import time, math; print(math.ceil((time.time() + 4) / 10) * 10 + 0.5)')
echo "== capturing; traffic starts at $T0 ($(date -u -d "@${T0%.*}" +%FT%TZ))"
ip netns exec "$NS_SRV" tcpdump -i eth0 -n -s 128 -Z root -w "$WORK/demo.pcap" 2>"$WORK/tcpdump.log" &
TCPDUMP=$!
PIDS+=($TCPDUMP)
for i in $(seq 50); do grep -q "listening on" "$WORK/tcpdump.log" && break; sleep 0.1; done

rc=0
ip netns exec "$NS_C1" "$PY" "$HERE/traffic/clients.py" --role client --ip "$C1_IP" --t0 "$T0" &
c1=$!
ip netns exec "$NS_C2" "$PY" "$HERE/traffic/clients.py" --role client2 --ip "$C2_IP" --t0 "$T0" &
c2=$!
wait $c1 || rc=1
wait $c2 || rc=1
sleep 1.5
kill -INT $TCPDUMP
wait $TCPDUMP || true
cat "$WORK/tcpdump.log" >&2
[ $rc = 0 ] || { echo "a client reported errors; capture not kept" >&2; exit 1; }
if grep -E "^[1-9][0-9]* packets dropped by kernel" "$WORK/tcpdump.log"; then
  echo "tcpdump dropped packets; capture not kept" >&2; exit 1
fi

mkdir -p "$(dirname "$OUT")"
cp "$WORK/demo.pcap" "$OUT"
chmod 644 "$OUT"
echo "== wrote $OUT ($(stat -c %s "$OUT") bytes)"
"$PY" "$HERE/tools/pcapcheck.py" "$OUT"
