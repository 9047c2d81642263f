#!/usr/bin/env bash
# Re-creates samples/elephant.pcap: ~55 s of real traffic between two "database servers"
# living in network namespaces that this script creates (and removes again):
#
#   argosy-db1 10.77.0.30 ─┬─ br0 in argosy-dbsw (a plain L2 bridge)
#   argosy-db2 10.77.0.31 ─┘   <- tcpdump -s 96 runs here, on db2's eth0
#
# Background (the whole run): db2 keeps one "postgres" connection to db1:5432 (a status
# query every 0.5 s), db1 scrapes db2's "metrics" on tcp/9100 every 5 s (a new
# connection each time). The elephant: at t0+40 s db1 pushes 40,000,000 bytes to db2 on
# tcp/47811 (a random high port, fixed here) over one connection, paced at ~10 MB/s, so
# it lies inside the 10 s window that starts at t0+39.5 s (the fifth window).
#
# Every conversation is between db1 and db2, so capturing on db2's interface sees each
# packet once. As in make-demo-pcap.sh: IPv6 off, static neighbours (no ARP), no multicast
# snooping on the bridge, checksum/TSO/GSO/GRO offloads off on every veth (real <=1514-byte
# frames). Traffic never leaves these namespaces: 10.77.0.0/24 exists only inside them.
#
# Usage: sudo samples/make-elephant-pcap.sh [output.pcap]   (default: samples/elephant.pcap)
# Needs: root, iproute2, tcpdump, ethtool, python3 (stdlib only).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$(realpath -m "${1:-$HERE/elephant.pcap}")"
SWITCH=argosy-dbsw
# namespace, address, MAC, bridge port
HOSTS=(
  "argosy-db1 10.77.0.30 02:77:00:00:00:30 p-db1"
  "argosy-db2 10.77.0.31 02:77:00:00:00:31 p-db2"
)
CAPTURE_NS=argosy-db2
ELEPHANT_PORT=47811
ELEPHANT_BYTES=40000000

[ "$(id -u)" = 0 ] || { echo "must run as root (network namespaces)" >&2; exit 1; }
for tool in ip tcpdump python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
command -v ethtool >/dev/null || apt-get install -y ethtool >/dev/null
PY="$(python3 -c 'import sys; print(sys.executable)')" # not a pyenv shim: we keep its pids
WORK="$(mktemp -d /tmp/argosy-elephant.XXXXXX)"
BACKGROUND=()

namespaces() {
  echo "$SWITCH"
  for host in "${HOSTS[@]}"; do echo "${host%% *}"; done
}

remove_namespaces() {
  local ns pid
  for ns in $(namespaces); do
    ip netns list | grep -qw "^$ns" || continue
    # a process still inside one of these namespaces is left over from an earlier run
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    sleep 0.2
    ip netns del "$ns" 2>/dev/null || true
  done
}

finish() {
  set +e
  [ ${#BACKGROUND[@]} -eq 0 ] || kill "${BACKGROUND[@]}" 2>/dev/null
  wait 2>/dev/null
  remove_namespaces
  rm -rf "$WORK"
}
trap finish EXIT

echo "== namespaces"
remove_namespaces
for ns in $(namespaces); do
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$SWITCH" link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
ip -n "$SWITCH" link set br0 up
for host in "${HOSTS[@]}"; do
  read -r ns addr mac port <<<"$host"
  ip link add eth0 netns "$ns" address "$mac" type veth peer name "$port" netns "$SWITCH"
  ip -n "$SWITCH" link set "$port" master br0 up
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip netns exec "$ns" ethtool -K eth0 rx off tx off sg off tso off gso off gro off >/dev/null 2>&1 || true
  ip netns exec "$SWITCH" ethtool -K "$port" rx off tx off sg off tso off gso off gro off >/dev/null 2>&1 || true
done
# static neighbours: every host knows every other host's MAC, so no ARP is ever sent
for host in "${HOSTS[@]}"; do
  read -r ns _ _ _ <<<"$host"
  for other in "${HOSTS[@]}"; do
    read -r other_ns other_addr other_mac _ <<<"$other"
    [ "$ns" = "$other_ns" ] || ip -n "$ns" neigh replace "$other_addr" lladdr "$other_mac" dev eth0 nud permanent
  done
done

cat >"$WORK/databases.py" <<'EOF'
"""One database server's side of the elephant capture (python3 stdlib only).

db1: serves tcp/5432 (status queries), scrapes db2:9100 every 5 s, and at t0+40 s pushes
the elephant to db2:47811. db2: serves tcp/9100 (metrics) and receives on tcp/47811, and
queries db1:5432 every 0.5 s. Both stop their schedules at t0+54 s.
"""
import random
import socket
import sys
import threading
import time

DB1, DB2 = "10.77.0.30", "10.77.0.31"
role, t0, elephant_port, elephant_bytes = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
END = 54.0
rng = random.Random(role)
FILLER = bytes(rng.randrange(256) for _ in range(1 << 16))
failures = []


def at(offset):
    time.sleep(max(0.0, t0 + offset - time.time()))


def read_exactly(conn, n):
    got = 0
    while got < n:
        chunk = conn.recv(min(65536, n - got))
        if not chunk:
            raise IOError(f"connection closed after {got} of {n} bytes")
        got += len(chunk)


def serve(port, handle):
    listener = socket.create_server((DB1 if role == "db1" else DB2, port), backlog=16)

    def loop():
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=guarded, args=(handle, conn), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()


def guarded(function, *args):
    try:
        function(*args)
    except Exception as e:  # reported at the end: the capture is then not kept
        failures.append(f"{function.__name__}: {e!r}")


def status_queries(conn):  # db1:5432, one persistent connection
    with conn:
        while True:
            header = conn.recv(4)
            if len(header) < 4:
                return
            read_exactly(conn, int.from_bytes(header, "big"))
            conn.sendall(FILLER[: rng.randint(200, 2000)])


def metrics(conn):  # db2:9100, one scrape per connection
    with conn:
        conn.recv(1024)
        size = rng.randint(6000, 9000)
        conn.sendall(size.to_bytes(4, "big") + FILLER[:size])


def receive(conn):  # db2:47811, until the sender closes
    with conn:
        while conn.recv(1 << 16):
            pass


def query_db1():
    offset = 0.3
    at(offset)
    with socket.create_connection((DB1, 5432)) as conn:
        while offset < END:
            at(offset)
            size = rng.randint(60, 200)
            conn.sendall(size.to_bytes(4, "big") + FILLER[:size])
            conn.recv(4096)
            offset += 0.5


def scrape_db2():
    offset = 1.2
    while offset < END:
        at(offset)
        with socket.create_connection((DB2, 9100)) as conn:
            conn.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
            header = conn.recv(4, socket.MSG_WAITALL)
            read_exactly(conn, int.from_bytes(header, "big"))
        offset += 5.0


def elephant():
    at(40.0)
    chunk, pace = 100_000, 0.01  # 100 kB every 10 ms: ~10 MB/s
    with socket.create_connection((DB2, elephant_port)) as conn:
        start, sent = time.time(), 0
        while sent < elephant_bytes:
            n = min(chunk, elephant_bytes - sent)
            conn.sendall((FILLER * 2)[:n])
            sent += n
            time.sleep(max(0.0, start + pace * sent / chunk - time.time()))
        conn.shutdown(socket.SHUT_WR)
        conn.recv(1)


if role == "db1":
    serve(5432, status_queries)
    schedule = [scrape_db2, elephant]
else:
    serve(9100, metrics)
    serve(elephant_port, receive)
    schedule = [query_db1]
print("listening", flush=True)
workers = [threading.Thread(target=guarded, args=(job,)) for job in schedule]
for w in workers:
    w.start()
for w in workers:
    w.join()
at(END + 0.5)
if failures:
    sys.exit("failed: " + "; ".join(failures))
EOF

# t0 = 0.5 s after a 10 s epoch boundary at least 4 s from now; the elephant then starts
# 0.5 s into the fifth window and the run ends 5 s into the sixth.
T0=$("$PY" -c 'import math, time; print(math.ceil((time.time() + 4) / 10) * 10 + 0.5)')
echo "== capturing in $CAPTURE_NS; traffic starts at $T0 ($(date -u -d "@${T0%.*}" +%FT%TZ))"
ip netns exec "$CAPTURE_NS" tcpdump -i eth0 -n -s 96 -B 32768 -Z root -w "$WORK/elephant.pcap" 2>"$WORK/tcpdump.log" &
TCPDUMP=$!
BACKGROUND+=("$TCPDUMP")
for _ in $(seq 50); do grep -q "listening on" "$WORK/tcpdump.log" && break; sleep 0.1; done

ROLES=()
for role in db2 db1; do # db2 first: it receives the elephant
  : >"$WORK/$role.log"
  ip netns exec "argosy-$role" "$PY" "$WORK/databases.py" "$role" "$T0" "$ELEPHANT_PORT" "$ELEPHANT_BYTES" \
    >"$WORK/$role.log" 2>&1 &
  ROLES+=($!)
  for _ in $(seq 50); do grep -q listening "$WORK/$role.log" && break; sleep 0.1; done
done
BACKGROUND+=("${ROLES[@]}")
rc=0
for pid in "${ROLES[@]}"; do wait "$pid" || rc=1; done
sleep 2 # tcpdump hands packets over in blocks, at the latest after a second
kill -INT "$TCPDUMP"
wait "$TCPDUMP" || true
cat "$WORK/tcpdump.log" "$WORK"/db?.log >&2
[ $rc = 0 ] || { echo "a database server reported errors; capture not kept" >&2; exit 1; }
if grep -E "^[1-9][0-9]* packets dropped by kernel" "$WORK/tcpdump.log"; then
  echo "tcpdump dropped packets; capture not kept" >&2
  exit 1
fi
# tcpdump exits on SIGINT without reading what the kernel still holds for it: those packets are
# counted as received by the filter but never written
captured=$(sed -n 's/^\([0-9]*\) packets captured$/\1/p' "$WORK/tcpdump.log")
received=$(sed -n 's/^\([0-9]*\) packets received by filter$/\1/p' "$WORK/tcpdump.log")
[ -n "$captured" ] && [ "$captured" = "$received" ] || {
  echo "tcpdump wrote $captured of $received packets; capture not kept" >&2
  exit 1
}

mkdir -p "$(dirname "$OUT")"
cp "$WORK/elephant.pcap" "$OUT"
chmod 644 "$OUT"
echo "== wrote $OUT ($(stat -c %s "$OUT") bytes)"
"$PY" "$HERE/tools/pcapcheck.py" "$OUT"
