#!/usr/bin/env python3
"""Reference computation of argosy's windowed top-N, independent of the Java code.

Reads tshark field output (tab separated, first occurrence of each field) on stdin:

  frame.time_epoch frame.len ip.src ip.dst ip.proto tcp.srcport tcp.dstport
  udp.srcport udp.dstport tcp.flags icmp.type

and writes, into --outdir:
  demo-top10.tsv     window_start_utc_iso rank proto dport pkts bytes trans load
  demo-all-keys.tsv  window_start_utc_iso proto dport pkts bytes trans load stime_us ltime_us

Definition (see samples/README.md):
  * flows are bidirectional conversations keyed by the canonical 5-tuple; the
    initiator is the sender of the first packet seen (for TCP: the sender of the
    first SYN without ACK; failing that, the receiver of the first SYN+ACK).
    ICMP flows have no ports: the conversation is (1, initiator addr, responder addr).
    Only IPv4 TCP/UDP/ICMP is counted.
  * a record is one flow's packets within one 5 s epoch-aligned slot;
  * per 10 s epoch-aligned window and key (proto, dport of the initiator's
    destination port): pkts, bytes (frame length on the wire), trans = number of
    distinct (flow, 5 s slot), stime/ltime = first/last packet time,
    dur = ltime - stime, load = bytes*8/dur (0 when dur is 0);
  * ranking: bytes desc, load desc, proto asc, dport asc; top 10.

With --argus FILE it also compares the per-(proto, dport) totals over all windows
with racluster's `-m proto dport -s proto dport pkts bytes` output (argus sums its
ICMP echo flows under the echo identifier as "dport"; those rows are added up into
the single port-less ICMP key) and prints OK or MISMATCH (exit status 0 / 2).
"""
import argparse
import collections
import datetime
import sys
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction

WINDOW_US = 10_000_000
SLOT_US = 5_000_000
TOP_N = 10
PROTO_NUM = {"tcp": 6, "udp": 17, "icmp": 1}


def parse_epoch_us(s):
    """'1795977700.123456789' -> integer microseconds (exact, no float)."""
    sec, _, frac = s.partition(".")
    frac = (frac + "000000")[:6]
    return int(sec) * 1_000_000 + int(frac)


def read_packets(stream):
    pkts = []
    skipped = collections.Counter()
    for line in stream:
        f = line.rstrip("\n").split("\t")
        f += [""] * (11 - len(f))
        t, flen, src, dst, proto, tsp, tdp, usp, udp_, flags, icmptype = f[:11]
        if not proto or proto not in ("1", "6", "17"):
            skipped[proto or "non-ip"] += 1
            continue
        proto = int(proto)
        if proto == 6:
            sp, dp = int(tsp), int(tdp)
        elif proto == 17:
            sp, dp = int(usp), int(udp_)
        else:
            sp = dp = None
        pkts.append(dict(t=parse_epoch_us(t), len=int(flen), src=src, dst=dst, proto=proto,
                         sp=sp, dp=dp, flags=int(flags, 16) if flags else 0))
    return pkts, skipped


def conv_key(p):
    a, b = (p["src"], p["sp"] or 0), (p["dst"], p["dp"] or 0)
    return (p["proto"],) + ((a, b) if a <= b else (b, a))


def assign_flows(pkts):
    """Map every packet to its flow 5-tuple as seen from the initiator."""
    convs = collections.OrderedDict()
    for p in pkts:
        convs.setdefault(conv_key(p), []).append(p)
    flows = {}
    for ck, ps in convs.items():
        init = None
        if ck[0] == 6:
            syn = next((p for p in ps if p["flags"] & 0x12 == 0x02), None)
            if syn is not None:
                init = (syn["src"], syn["sp"])
            else:
                synack = next((p for p in ps if p["flags"] & 0x12 == 0x12), None)
                if synack is not None:
                    init = (synack["dst"], synack["dp"])
        if init is None:
            init = (ps[0]["src"], ps[0]["sp"])
        first = ps[0]
        if (first["src"], first["sp"]) == init:
            resp = (first["dst"], first["dp"])
        else:
            resp = (first["src"], first["sp"])
        flows[ck] = (ck[0], init[0], init[1], resp[0], resp[1])
    return flows


def iso(us):
    return datetime.datetime.fromtimestamp(us // 1_000_000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_of(bytes_, stime, ltime):
    if ltime == stime:
        return Fraction(0)
    return Fraction(bytes_ * 8 * 1_000_000, ltime - stime)


def fmt3(fr):
    d = Decimal(fr.numerator) / Decimal(fr.denominator)
    return str(d.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def dport_str(d):
    return "" if d is None else str(d)


def compute(pkts):
    flows = assign_flows(pkts)
    agg = {}
    for p in pkts:
        flow = flows[conv_key(p)]
        key = (p["t"] // WINDOW_US, flow[0], flow[4])
        a = agg.get(key)
        if a is None:
            a = agg[key] = dict(pkts=0, bytes=0, recs=set(), stime=p["t"], ltime=p["t"])
        a["pkts"] += 1
        a["bytes"] += p["len"]
        a["recs"].add((flow, p["t"] // SLOT_US))
        a["stime"] = min(a["stime"], p["t"])
        a["ltime"] = max(a["ltime"], p["t"])
    for a in agg.values():
        a["trans"] = len(a.pop("recs"))
        a["load"] = load_of(a["bytes"], a["stime"], a["ltime"])
    return flows, agg


def ranked(agg):
    by_win = collections.defaultdict(list)
    for (w, proto, dport), a in agg.items():
        by_win[w].append((proto, dport, a))
    out = {}
    for w, rows in by_win.items():
        rows.sort(key=lambda r: (-r[2]["bytes"], -r[2]["load"], r[0], -1 if r[1] is None else r[1]))
        out[w] = rows
    return out


def write_outputs(agg, outdir):
    ranks = ranked(agg)
    with open(f"{outdir}/demo-top10.tsv", "w") as f:
        f.write("window_start_utc_iso\trank\tproto\tdport\tpkts\tbytes\ttrans\tload\n")
        for w in sorted(ranks):
            for i, (proto, dport, a) in enumerate(ranks[w][:TOP_N], 1):
                f.write(f"{iso(w * WINDOW_US)}\t{i}\t{proto}\t{dport_str(dport)}\t{a['pkts']}\t{a['bytes']}\t"
                        f"{a['trans']}\t{fmt3(a['load'])}\n")
    with open(f"{outdir}/demo-all-keys.tsv", "w") as f:
        f.write("window_start_utc_iso\tproto\tdport\tpkts\tbytes\ttrans\tload\tstime_us\tltime_us\n")
        for (w, proto, dport) in sorted(agg, key=lambda k: (k[0], k[1], -1 if k[2] is None else k[2])):
            a = agg[(w, proto, dport)]
            f.write(f"{iso(w * WINDOW_US)}\t{proto}\t{dport_str(dport)}\t{a['pkts']}\t{a['bytes']}\t{a['trans']}\t"
                    f"{fmt3(a['load'])}\t{a['stime']}\t{a['ltime']}\n")
    return ranks


def report(pkts, flows, agg, ranks, skipped):
    print(f"packets counted: {len(pkts)}" + (f" (skipped: {dict(skipped)})" if skipped else ""))
    print(f"conversations (flows): {len(flows)}")
    inits = collections.Counter((f[0], f[4]) for f in flows.values())
    bad_init = [f for f in flows.values() if f[0] != 1 and f[2] < 32768]
    print(f"flows per (proto, dport): " + ", ".join(f"{p}/{dport_str(d) or '-'}:{n}" for (p, d), n in
                                                      sorted(inits.items(), key=lambda x: (x[0][0], x[0][1] or 0))))
    if bad_init:
        print(f"WARNING: {len(bad_init)} flows whose initiator does not use an ephemeral port: {bad_init[:5]}")
    problems = 0
    wide = 0
    for w in sorted(ranks):
        rows = ranks[w]
        n = len(rows)
        wide += n > TOP_N
        top = rows[:TOP_N + 1] if n > TOP_N else rows
        byts = [r[2]["bytes"] for r in top]
        ties = len(byts) != len(set(byts))
        print(f"window {iso(w * WINDOW_US)}: {n} keys{' (top-10 truncates)' if n > TOP_N else ''}"
              f"{'  BYTES TIE in top 10/11!' if ties else ''}")
        problems += ties
    print(f"windows with more than {TOP_N} keys: {wide}")
    return problems


def read_argus(path):
    """racluster -s proto dport pkts bytes, '-c ,' output (comment lines start with #)."""
    tot = collections.Counter()
    other = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or line.lower().startswith("proto"):
                continue
            proto, dport, pk, by = [x.strip() for x in line.split(",")]
            pnum = PROTO_NUM.get(proto)
            if pnum is None:
                other[(proto, dport)] = (int(pk), int(by))
                continue
            d = None if pnum == 1 else int(dport)
            tot[(pnum, d, "pkts")] += int(pk)
            tot[(pnum, d, "bytes")] += int(by)
    return tot, other


def compare_with_argus(agg, path):
    ours = collections.Counter()
    for (w, proto, dport), a in agg.items():
        ours[(proto, dport, "pkts")] += a["pkts"]
        ours[(proto, dport, "bytes")] += a["bytes"]
    theirs, other = read_argus(path)
    keys = sorted({k[:2] for k in ours} | {k[:2] for k in theirs}, key=lambda k: (k[0], k[1] or -1))
    ok = True
    print("proto dport      pkts(tshark) pkts(argus)    bytes(tshark) bytes(argus)")
    for k in keys:
        a = (ours[k + ("pkts",)], ours[k + ("bytes",)])
        b = (theirs[k + ("pkts",)], theirs[k + ("bytes",)])
        flag = "" if a == b else "   <-- MISMATCH"
        ok &= a == b
        print(f"{k[0]:5d} {dport_str(k[1]) or '-':6s} {a[0]:14d} {b[0]:11d} {a[1]:16d} {b[1]:12d}{flag}")
    for (p, d), (pk, by) in other.items():
        print(f"(argus row not part of the ranking: {p} {d} pkts {pk} bytes {by})")
    print("ARGUS CROSS-CHECK: " + ("OK (per-(proto,dport) pkts and bytes agree)" if ok else "MISMATCH"))
    return ok


def compare_flows_with_argus(pkts, flows, path):
    """Per-conversation check of the initiator: racluster's default aggregation (the flow
    key) gives one row per TCP/UDP conversation with argus's own idea of the direction."""
    ours = collections.Counter()
    for p in pkts:
        f = flows[conv_key(p)]
        if f[0] == 1:
            continue  # argus splits ICMP echo per (id, seq): not comparable per flow
        ours[f + ("pkts",)] += 1
        ours[f + ("bytes",)] += p["len"]
    theirs = collections.Counter()
    with open(path) as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#") or line.lower().startswith("proto"):
                continue
            proto, sa, sp, da, dp, pk, by = [x.strip() for x in line.split(",")]
            if proto not in ("tcp", "udp"):
                continue
            k = (PROTO_NUM[proto], sa, int(sp), da, int(dp))
            theirs[k + ("pkts",)] += int(pk)
            theirs[k + ("bytes",)] += int(by)
    diff = [k for k in set(ours) | set(theirs) if ours[k] != theirs[k]]
    nflows = len({k[:5] for k in ours})
    if diff:
        print(f"ARGUS FLOW CHECK: MISMATCH in {len({k[:5] for k in diff})} of {nflows} TCP/UDP flows, e.g. "
              + "; ".join(f"{k}: tshark {ours[k]} argus {theirs[k]}" for k in sorted(diff)[:6]))
        return False
    print(f"ARGUS FLOW CHECK: OK ({nflows} TCP/UDP flows, same initiator, pkts and bytes)")
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--outdir")
    ap.add_argument("--argus", help="racluster -m proto dport output to cross-check against")
    ap.add_argument("--argus-flows", help="racluster per-flow output (-s proto saddr sport daddr dport pkts bytes)")
    args = ap.parse_args()
    pkts, skipped = read_packets(sys.stdin)
    pkts.sort(key=lambda p: p["t"])  # stable: capture order kept for equal timestamps
    flows, agg = compute(pkts)
    ranks = ranked(agg)
    if args.outdir:
        write_outputs(agg, args.outdir)
    problems = report(pkts, flows, agg, ranks, skipped)
    rc = 0
    if problems:
        print(f"WARNING: {problems} windows have equal byte counts among their top entries")
        rc = 3
    if args.argus and not compare_with_argus(agg, args.argus):
        rc = 2
    if args.argus_flows and not compare_flows_with_argus(pkts, flows, args.argus_flows):
        rc = 2
    return rc


if __name__ == "__main__":
    sys.exit(main())
