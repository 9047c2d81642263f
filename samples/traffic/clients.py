#!/usr/bin/env python3
"""Client side of the argosy demo traffic (python3 stdlib only).

Runs inside a client network namespace and plays a fixed, seeded schedule of
conversations towards the server (10.77.0.20), starting at absolute epoch time
--t0. Every conversation is opened by this client from its own, never reused,
ephemeral source port (explicitly bound, allocated in increasing order from
--port-base), so each conversation has a distinct 5-tuple. The single exception
by design are the long-lived flows (one ICMP echo flow, one syslog socket, the
persistent TCP connections), which are each one conversation spanning the run.

Roles:
  client   (10.77.0.10): ssh/22, http/80, https/443, postgres/5432, redis/6379,
                         dns/53, ntp/123, syslog/514, icmp echo, tcp/23 (closed -> RST)
  client2  (10.77.0.11): http/8080, mysql/3306, kafka/9092, smtp/25, https/443,
                         dns/53, ntp/123, syslog/514, icmp echo, tcp/23 (closed -> RST)

Use --print to list the schedule without sending anything.
"""
import argparse
import http.client
import math
import random
import socket
import struct
import sys
import threading
import time

SERVER = "10.77.0.20"
CHUNK = 16384
FILLER = bytes((i * 137 + (i >> 8) * 29 + 7) & 0xFF for i in range(1 << 16))
# Global volume knob for the bulk services (keeps the pcap small: snaplen 128).
SCALE = 0.5

DNS_NAMES = [
    "www.example.org", "api.argosy.test", "kafka-1.argosy.test", "kafka-2.argosy.test",
    "db.internal.test", "cdn.example.net", "time.example.com", "mail.example.com",
    "login.example.org", "metrics.argosy.test", "a-very-long-host-name-for-testing.sub.example.net",
]


def window_of(off):
    """Index of the 10 s epoch window holding offset `off` (t0 is 0.5 s past a boundary)."""
    return int(math.floor((off + 0.5) / 10.0))


def sz(rng, lo, hi):
    return int(rng.randint(lo, hi) * SCALE)


class Session:
    def __init__(self, off, kind, **kw):
        self.off = off
        self.kind = kind
        self.kw = kw
        self.sport = None

    def __repr__(self):
        kw = {k: (v if not isinstance(v, list) else f"<{len(v)} items>") for k, v in self.kw.items()}
        return f"{self.off:7.3f} {self.kind:8s} sport={self.sport} {kw}"


def tcp_reqs(rng, start, until, period, up, down_by_window, ms=(0, 0), upms=0):
    """Timed request list for a persistent TCP connection."""
    reqs = []
    t = start
    while t < until:
        lo, hi = down_by_window[min(window_of(t), max(down_by_window))]
        reqs.append((t, rng.randint(*up), sz(rng, lo, hi), rng.randint(*ms), upms))
        t += period if not isinstance(period, tuple) else rng.uniform(*period)
    return reqs


def build_schedule(role):
    rng = random.Random(f"argosy-demo-{role}")
    S = []

    def add(off, kind, **kw):
        S.append(Session(off, kind, **kw))

    if role == "client":
        # ssh/22: one interactive session over the whole run (keystrokes echoed), with an
        # scp-like download burst in window 1 and an upload burst in window 3.
        bursts = [(12.2, (40, int(1_300_000 * SCALE), 3000, 0), 3.4),
                  (31.4, (int(760_000 * SCALE), 30, 0, 2000), 2.4)]
        reqs = []
        t = 0.35
        while t < 44.0:
            if bursts and t >= bursts[0][0]:
                bt, (up, down, ms, upms), dur = bursts.pop(0)
                reqs.append((bt, up, down, ms, upms))
                t = bt + dur
                continue
            reqs.append((round(t, 3), rng.randint(1, 6) * 36, rng.randint(36, 220), 0, 0))
            t += rng.uniform(0.15, 0.45)
        add(0.35, "tcp", port=22, reqs=reqs)

        # http/80: page assets on a cadence, one large video download in window 2.
        t = 0.8
        while t < 43.0:
            add(t, "http", port=80, path="/" + rng.choice(["index.html", "style.css", "logo.png", "app.js"]))
            t += rng.uniform(1.8, 3.2)
        add(23.7, "http", port=80, path="/video.mp4")

        # https/443: one connection per "page", response size depends on the window.
        resp = {0: (60_000, 220_000), 1: (10_000, 60_000), 2: (20_000, 90_000),
                3: (10_000, 50_000), 4: (80_000, 260_000)}
        t = 1.5
        while t < 43.5:
            add(t, "tcp", port=443, reqs=[(t, rng.randint(380, 620), sz(rng, *resp[window_of(t)]),
                                           rng.randint(300, 1200), 0)])
            t += rng.uniform(1.5, 2.6)

        # postgres/5432: one persistent connection, a query every 0.4 s, heavy reports in window 2.
        add(0.6, "tcp", port=5432, reqs=tcp_reqs(
            rng, 0.6, 44.2, 0.4, (90, 400),
            {0: (2_000, 12_000), 1: (2_000, 12_000), 2: (20_000, 45_000), 3: (1_000, 6_000), 4: (5_000, 15_000)}))

        # redis/6379: one persistent connection, many tiny commands (many packets, few bytes).
        add(0.9, "tcp", port=6379, reqs=tcp_reqs(
            rng, 0.9, 44.3, 0.1, (30, 70), {0: (10, 120)}))

        # dns/53: a query every ~0.65 s, each from a fresh socket (fresh source port).
        t = 0.2
        while t < 44.0:
            add(t, "dns", name=rng.choice(DNS_NAMES), qid=rng.randint(1, 65535))
            t += rng.uniform(0.4, 0.9)

        for t in (1.1, 9.1, 17.1, 25.1, 33.1, 41.1):
            add(t, "ntp")
        add(0.45, "syslog", until=44.4, msgs=[(rng.uniform(0.15, 0.4), rng.randint(90, 320)) for _ in range(400)])
        add(0.25, "icmp", until=44.6, period=0.5, payload=56, ident=0x4110)
        for t in (4.1, 4.35, 21.7, 38.2):
            add(t, "closed", port=23)

    elif role == "client2":
        # http/8080: downloads of mid-size files, one large backup in window 3.
        t = 1.3
        while t < 42.5:
            add(t, "http", port=8080, path="/" + rng.choice(["report.csv", "data.json", "thumbs.zip"]))
            t += rng.uniform(2.8, 4.2)
        add(35.2, "http", port=8080, path="/backup.tar")

        # mysql/3306: short connections, 1-3 queries each.
        t = 0.7
        while t < 43.5:
            n = rng.randint(1, 3)
            add(t, "tcp", port=3306, reqs=[(t, rng.randint(150, 400), sz(rng, 2_000, 60_000), 0, 0) for _ in range(n)])
            t += rng.uniform(1.0, 1.6)

        # kafka/9092: one persistent producer connection, a batch every 0.5 s, ramping up to window 3.
        batches = {0: (8_000, 14_000), 1: (20_000, 30_000), 2: (35_000, 50_000), 3: (60_000, 80_000), 4: (25_000, 35_000)}
        reqs = []
        t = 0.55
        while t < 44.0:
            lo, hi = batches[window_of(t)]
            reqs.append((t, sz(rng, lo, hi), rng.randint(40, 60), 0, 120))
            t += 0.5
        add(0.55, "tcp", port=9092, reqs=reqs)

        # smtp/25: three mail submissions (small dialogue, then the message upload).
        for t, size in ((6.0, 210_000), (27.5, 560_000), (40.2, 95_000)):
            reqs = [(t, 0, 42, 0, 0), (t + 0.05, 22, 130, 0, 0), (t + 0.1, 38, 20, 0, 0),
                    (t + 0.15, 28, 20, 0, 0), (t + 0.2, 6, 37, 0, 0),
                    (t + 0.25, int(size * SCALE), 30, 0, 1500), (t + 1.9, 6, 15, 0, 0)]
            add(t, "tcp", port=25, reqs=reqs)

        # https/443: occasional API calls.
        t = 2.4
        while t < 43.0:
            add(t, "tcp", port=443, reqs=[(t, rng.randint(300, 900), sz(rng, 5_000, 40_000), rng.randint(100, 500), 0)])
            t += rng.uniform(4.0, 6.0)

        t = 0.4
        while t < 44.0:
            add(t, "dns", name=rng.choice(DNS_NAMES), qid=rng.randint(1, 65535))
            t += rng.uniform(0.8, 1.4)
        for t in (5.3, 21.3, 37.3):
            add(t, "ntp")
        add(0.65, "syslog", until=44.3, msgs=[(rng.uniform(0.5, 0.9), rng.randint(120, 480)) for _ in range(200)])
        add(0.75, "icmp", until=44.5, period=1.0, payload=120, ident=0x4111)
        add(14.6, "closed", port=23)
    else:
        raise SystemExit(f"unknown role {role}")

    S.sort(key=lambda s: s.off)
    # Allocate a distinct, increasing ephemeral source port to every conversation.
    prng = random.Random(f"argosy-ports-{role}")
    port = 40000 if role == "client" else 52000
    for s in S:
        if s.kind != "icmp":
            port += prng.randint(1, 9)
            s.sport = port
    return S


# --------------------------------------------------------------------------- runners

def sleep_until(t):
    d = t - time.time()
    if d > 0:
        time.sleep(d)


def paced_send(sock, data_len, ms, prefix=b""):
    if prefix:
        sock.sendall(prefix)
    if data_len <= 0:
        return
    nchunks = max(1, -(-data_len // CHUNK))
    gap = (ms / 1000.0) / nchunks if ms > 0 else 0.0
    sent = 0
    t0 = time.monotonic()
    for i in range(nchunks):
        n = min(CHUNK, data_len - sent)
        off = (sent * 5) % (len(FILLER) - CHUNK)
        sock.sendall(FILLER[off:off + n])
        sent += n
        if gap:
            delay = t0 + gap * (i + 1) - time.monotonic()
            if delay > 0:
                time.sleep(delay)


def recv_exact(sock, n):
    got = 0
    while got < n:
        b = sock.recv(min(65536, n - got))
        if not b:
            raise ConnectionError("server closed early")
        got += len(b)


def run_tcp(ctx, s):
    sock = socket.create_connection((SERVER, s.kw["port"]), timeout=10, source_address=(ctx.ip, s.sport))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        for (at, up, down, ms, upms) in s.kw["reqs"]:
            sleep_until(ctx.t0 + at)
            line = b"REQ up=%d down=%d ms=%d\n" % (up, down, ms)
            paced_send(sock, up, upms, prefix=line)
            recv_exact(sock, down)
        time.sleep(0.05)
    finally:
        sock.close()


def run_http(ctx, s):
    conn = http.client.HTTPConnection(SERVER, s.kw["port"], timeout=10, source_address=(ctx.ip, s.sport))
    try:
        conn.request("GET", s.kw["path"], headers={"User-Agent": "argosy-demo/1.0"})
        r = conn.getresponse()
        r.read()
    finally:
        conn.close()


def dns_query(name, qid):
    q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\x00" + struct.pack("!HH", 1, 1)


def run_dns(ctx, s):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((ctx.ip, s.sport))
    u.settimeout(2)
    try:
        u.sendto(dns_query(s.kw["name"], s.kw["qid"]), (SERVER, 53))
        u.recvfrom(2048)
    finally:
        u.close()


def run_ntp(ctx, s):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((ctx.ip, s.sport))
    u.settimeout(2)
    try:
        now = time.time() + 2208988800
        pkt = struct.pack("!BBbb", 0x23, 0, 6, -20) + b"\x00" * 36 + struct.pack("!II", int(now), int((now % 1) * (1 << 32)))
        u.sendto(pkt, (SERVER, 123))
        u.recvfrom(2048)
    finally:
        u.close()


def run_syslog(ctx, s):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((ctx.ip, s.sport))
    t = ctx.t0 + s.off
    n = 0
    try:
        for gap, size in s.kw["msgs"]:
            if t - ctx.t0 >= s.kw["until"]:
                break
            sleep_until(t)
            head = b"<134>1 argosy-demo %s app - - - msg %d " % (ctx.name.encode(), n)
            u.sendto((head + b"x" * max(0, size - len(head)))[:size], (SERVER, 514))
            n += 1
            t += gap
    finally:
        u.close()


def icmp_checksum(b):
    if len(b) % 2:
        b += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def run_icmp(ctx, s):
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    r.setblocking(False)
    seq = 0
    t = ctx.t0 + s.off
    try:
        while t - ctx.t0 < s.kw["until"]:
            sleep_until(t)
            seq += 1
            payload = struct.pack("!d", time.time()) + bytes(range(s.kw["payload"] - 8))
            hdr = struct.pack("!BBHHH", 8, 0, 0, s.kw["ident"], seq)
            csum = icmp_checksum(hdr + payload)
            r.sendto(struct.pack("!BBHHH", 8, 0, csum, s.kw["ident"], seq) + payload, (SERVER, 0))
            try:  # drain replies (the kernel of the server answers)
                while True:
                    r.recv(4096)
            except BlockingIOError:
                pass
            t += s.kw["period"]
    finally:
        r.close()


def run_closed(ctx, s):
    try:
        c = socket.create_connection((SERVER, s.kw["port"]), timeout=3, source_address=(ctx.ip, s.sport))
        c.close()
        print(f"WARNING: port {s.kw['port']} unexpectedly open", file=sys.stderr)
    except ConnectionRefusedError:
        pass


RUNNERS = {"tcp": run_tcp, "http": run_http, "dns": run_dns, "ntp": run_ntp,
           "syslog": run_syslog, "icmp": run_icmp, "closed": run_closed}


class Ctx:
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--role", required=True, choices=["client", "client2"])
    ap.add_argument("--ip")
    ap.add_argument("--t0", type=float, help="absolute epoch start time")
    ap.add_argument("--print", action="store_true", help="print the schedule and exit")
    args = ap.parse_args()
    sched = build_schedule(args.role)
    if args.print:
        for s in sched:
            print(s)
        return 0
    ctx = Ctx()
    ctx.name, ctx.ip, ctx.t0 = args.role, args.ip, args.t0
    errors = []

    def wrap(s):
        try:
            RUNNERS[s.kind](ctx, s)
        except Exception as e:  # report, keep going
            errors.append(f"{s!r}: {e!r}")

    threads = []
    for s in sched:
        sleep_until(ctx.t0 + s.off)
        th = threading.Thread(target=wrap, args=(s,), daemon=True)
        th.start()
        threads.append(th)
    for th in threads:
        th.join(timeout=30)
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    print(f"{args.role}: {len(sched)} conversations, {len(errors)} errors, finished at +{time.time() - ctx.t0:.2f}s", flush=True)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
