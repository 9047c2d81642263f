#!/usr/bin/env python3
"""Sanity facts about a classic pcap file, read with the stdlib only (no tshark).

Prints link type, snaplen, packet count, first/last timestamps, duration, the
10 s epoch windows spanned, the largest frame length, exact duplicate frames,
non-IPv4 frames and a per-protocol breakdown. Exit code 1 if something would make
the demo capture unsuitable: not Ethernet, duplicate frames, frames > 1514 bytes
(TSO/GSO super-packets captured on the sending side of a veth), or frames that are
not IPv4 TCP/UDP/ICMP.
"""
import collections
import datetime
import hashlib
import struct
import sys


def read_pcap(path):
    with open(path, "rb") as f:
        gh = f.read(24)
        magic = gh[:4]
        if magic == b"\xd4\xc3\xb2\xa1":
            end, nano = "<", False
        elif magic == b"\xa1\xb2\xc3\xd4":
            end, nano = ">", False
        elif magic == b"\x4d\x3c\xb2\xa1":
            end, nano = "<", True
        elif magic == b"\xa1\xb2\x3c\x4d":
            end, nano = ">", True
        else:
            raise SystemExit(f"{path}: not a classic pcap file (magic {magic.hex()})")
        vmaj, vmin, _, _, snaplen, linktype = struct.unpack(end + "HHiIII", gh[4:])
        pkts = []
        while True:
            rh = f.read(16)
            if len(rh) < 16:
                break
            sec, frac, incl, orig = struct.unpack(end + "IIII", rh)
            data = f.read(incl)
            us = sec * 1_000_000 + (frac // 1000 if nano else frac)
            pkts.append((us, orig, data))
    return dict(version=f"{vmaj}.{vmin}", snaplen=snaplen, linktype=linktype, nano=nano), pkts


def iso(us):
    return datetime.datetime.fromtimestamp(us / 1e6, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def main():
    path = sys.argv[1]
    hdr, pkts = read_pcap(path)
    bad = []
    print(f"file: {path}")
    print(f"format: classic pcap v{hdr['version']}, {'nanosecond' if hdr['nano'] else 'microsecond'} timestamps, "
          f"snaplen {hdr['snaplen']}, linktype {hdr['linktype']}{' (Ethernet)' if hdr['linktype'] == 1 else ''}")
    if hdr["linktype"] != 1:
        bad.append("link type is not Ethernet")
    if not pkts:
        raise SystemExit("no packets")
    first, last = pkts[0][0], pkts[-1][0]
    print(f"packets: {len(pkts)}")
    print(f"first: {iso(first)} ({first / 1e6:.6f})")
    print(f"last:  {iso(last)} ({last / 1e6:.6f})")
    print(f"duration: {(last - first) / 1e6:.3f} s")
    print(f"wire bytes (sum orig_len): {sum(p[1] for p in pkts)}")
    if any(pkts[i][0] < pkts[i - 1][0] for i in range(1, len(pkts))):
        print("note: timestamps are not monotonic")
    wins = collections.Counter(p[0] // 10_000_000 for p in pkts)
    print(f"10 s epoch windows: {len(wins)}")
    for w in sorted(wins):
        print(f"  {iso(w * 10_000_000)[:19]}Z  {wins[w]} packets")
    maxlen = max(p[1] for p in pkts)
    print(f"largest frame (orig_len): {maxlen}")
    if maxlen > 1514:
        bad.append(f"frames larger than 1514 bytes (offload super-packets): {sum(1 for p in pkts if p[1] > 1514)}")
    trunc = sum(1 for p in pkts if len(p[2]) < p[1])
    print(f"frames truncated by snaplen: {trunc}")
    seen = collections.Counter(hashlib.sha1(p[2]).digest() for p in pkts)
    dups = sum(c - 1 for c in seen.values() if c > 1)
    print(f"exact duplicate frames: {dups}")
    if dups:
        bad.append(f"{dups} duplicate frames")
    protos = collections.Counter()
    for _, _, d in pkts:
        et = struct.unpack("!H", d[12:14])[0]
        if et != 0x0800:
            protos[f"ethertype 0x{et:04x}"] += 1
        else:
            protos[{1: "ipv4/icmp", 6: "ipv4/tcp", 17: "ipv4/udp"}.get(d[23], f"ipv4/proto {d[23]}")] += 1
    print("protocols: " + ", ".join(f"{k} {v}" for k, v in sorted(protos.items())))
    other = sum(v for k, v in protos.items() if k not in ("ipv4/icmp", "ipv4/tcp", "ipv4/udp"))
    if other:
        bad.append(f"{other} frames that are not IPv4 TCP/UDP/ICMP")
    for b in bad:
        print("PROBLEM:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
