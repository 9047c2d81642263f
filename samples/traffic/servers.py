#!/usr/bin/env python3
"""Server side of the argosy demo traffic (python3 stdlib only).

Runs inside the "argosy-server" network namespace (10.77.0.20) and serves:

  TCP 22, 25, 443, 3306, 5432, 6379, 9092   generic request/response "bulk" service
  UDP 53                                   DNS responder (real DNS wire format, answers every A query)
  UDP 123                                  NTP responder (48-byte mode 4 replies)
  UDP 514                                  syslog sink (receives, never answers)

HTTP on TCP 80 and 8080 is served separately by `python3 -m http.server`
(see make-demo-pcap.sh). TCP 23 is deliberately left closed (clients get RST).

Bulk protocol (one TCP connection may carry several requests):
  client -> server:  b"REQ up=<n> down=<m> ms=<t>\n" followed by <n> bytes of upload
  server -> client:  <m> bytes, sent in chunks of at most 16 KiB spread evenly over <t> ms
The server closes its side when the client closes (the client always sends the first FIN).
"""
import argparse
import socket
import socketserver
import struct
import sys
import threading
import time

BULK_PORTS = (22, 25, 443, 3306, 5432, 6379, 9092)
CHUNK = 16384
# A fixed, non-compressible-looking filler (deterministic, so the capture is reproducible in shape).
FILLER = bytes((i * 131 + (i >> 7) * 17 + 91) & 0xFF for i in range(1 << 16))


def paced_send(sock, nbytes, ms):
    """Send nbytes in <=16 KiB chunks spread evenly over ms milliseconds."""
    if nbytes <= 0:
        return
    nchunks = max(1, -(-nbytes // CHUNK))
    gap = (ms / 1000.0) / nchunks if ms > 0 else 0.0
    sent = 0
    t0 = time.monotonic()
    for i in range(nchunks):
        n = min(CHUNK, nbytes - sent)
        off = (sent * 7) % (len(FILLER) - CHUNK)
        sock.sendall(FILLER[off:off + n])
        sent += n
        if gap:
            target = t0 + gap * (i + 1)
            delay = target - time.monotonic()
            if delay > 0:
                time.sleep(delay)


class BulkHandler(socketserver.StreamRequestHandler):
    def handle(self):
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            line = self.rfile.readline(256)
            if not line:
                break  # client closed: we close too (after it)
            try:
                fields = dict(kv.split(b"=", 1) for kv in line.split()[1:])
                up = int(fields[b"up"])
                down = int(fields[b"down"])
                ms = int(fields[b"ms"])
            except Exception:
                break
            remaining = up
            while remaining > 0:
                data = self.rfile.read(min(remaining, 65536))
                if not data:
                    return
                remaining -= len(data)
            paced_send(sock, down, ms)


class TCPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 64


def dns_server(ip):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ip, 53))
    while True:
        data, peer = s.recvfrom(2048)
        if len(data) < 12:
            continue
        qid, flags, qd = struct.unpack("!HHH", data[:6])
        # question section ends at the zero label + 4 bytes (qtype, qclass)
        end = 12
        while end < len(data) and data[end] != 0:
            end += data[end] + 1
        question = data[12:end + 5]
        name_sum = sum(question) & 0xFF
        nans = 1 + (name_sum % 3)  # 1..3 answers: response size depends on the name
        hdr = struct.pack("!HHHHHH", qid, 0x8180, 1, nans, 0, 0)
        answers = b""
        for k in range(nans):
            answers += struct.pack("!HHHIH4s", 0xC00C, 1, 1, 300, 4,
                                   bytes([10, 77, 1 + k, (name_sum + k) & 0xFF]))
        s.sendto(hdr + question + answers, peer)


def ntp_server(ip):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ip, 123))
    while True:
        data, peer = s.recvfrom(2048)
        if len(data) < 48:
            continue
        now = time.time() + 2208988800
        sec = int(now)
        frac = int((now - sec) * (1 << 32))
        xmt_client = data[40:48]
        reply = struct.pack("!BBbb", 0x24, 2, 6, -20)  # LI=0 VN=4 mode=4, stratum 2
        reply += struct.pack("!II", 0, 0) + b"LOCL"
        reply += struct.pack("!II", sec - 60, 0)       # reference
        reply += xmt_client                             # originate
        reply += struct.pack("!II", sec, frac)          # receive
        reply += struct.pack("!II", sec, frac)          # transmit
        s.sendto(reply, peer)


def syslog_sink(ip):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ip, 514))
    while True:
        s.recvfrom(65536)  # one-way: never answers


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ip", default="10.77.0.20")
    args = ap.parse_args()
    servers = []
    for port in BULK_PORTS:
        srv = TCPServer((args.ip, port), BulkHandler)
        servers.append(srv)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    for fn in (dns_server, ntp_server, syslog_sink):
        threading.Thread(target=fn, args=(args.ip,), daemon=True).start()
    print("servers ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
