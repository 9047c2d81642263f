#!/usr/bin/env bash
# Computes the expected argosy top-10 rankings for samples/demo.pcap independently of
# the Java code (tshark + python3 stdlib), and cross-checks the totals with Argus.
#
# Writes:
#   samples/expected/demo-top10.tsv                 ranked top 10 per 10 s window
#   samples/expected/demo-all-keys.tsv              every (window, proto, dport) key
#   samples/expected/argus-racluster-proto-dport.txt  racluster totals per (proto, dport)
#   samples/expected/argus-racluster-flows.txt      racluster totals per flow (direction check)
# Prints "ARGUS CROSS-CHECK: OK" / "MISMATCH"; exits non-zero on a mismatch.
#
# Usage: samples/make-expected.sh [capture.pcap] [outdir]
# Needs: tshark, argus (argus-server), racluster (argus-client), python3.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PCAP="${1:-$HERE/demo.pcap}"
OUTDIR="${2:-$HERE/expected}"
mkdir -p "$OUTDIR"
for c in tshark argus racluster python3; do command -v "$c" >/dev/null || { echo "missing $c" >&2; exit 1; }; done
TMP="$(mktemp -d /tmp/argosy-expected.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

# 1. packets -> fields (first occurrence of each field: inner headers of ICMP errors are ignored)
tshark -n -r "$PCAP" -T fields -E separator=/t -E occurrence=f \
  -e frame.time_epoch -e frame.len -e ip.src -e ip.dst -e ip.proto \
  -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport -e tcp.flags -e icmp.type \
  >"$TMP/fields.tsv" 2>"$TMP/tshark.err" || { cat "$TMP/tshark.err" >&2; exit 1; }

# 2. Argus, independently: whole capture, no windows.
#    (The paths in the comment lines are the canonical ones; the command is the same for other paths.)
argus -r "$PCAP" -w "$TMP/demo.argus"
{
  echo "# argus -r samples/demo.pcap -w /tmp/demo.argus && racluster -r /tmp/demo.argus -m proto dport -n -c , -s proto dport pkts bytes"
  echo "# argus 3.0.8.2 / ra 3.0.8.2. Note: for ICMP echo argus puts the echo identifier (byte-swapped, hex) in the Dport column;"
  echo "# argosy's ICMP key has no port, so the icmp rows add up to the single (1, '') key."
  racluster -r "$TMP/demo.argus" -m proto dport -n -c , -s proto dport pkts bytes
} >"$OUTDIR/argus-racluster-proto-dport.txt"
{
  echo "# argus -r samples/demo.pcap -w /tmp/demo.argus && racluster -r /tmp/demo.argus -n -c , -s proto saddr sport daddr dport pkts bytes"
  echo "# one row per conversation as argus sees it (source = initiator); ICMP echo: one argus flow per (id, seq)"
  racluster -r "$TMP/demo.argus" -n -c , -s proto saddr sport daddr dport pkts bytes
} >"$OUTDIR/argus-racluster-flows.txt"

# 3. the reference computation + the comparison
set +e
python3 "$HERE/tools/expected.py" --outdir "$OUTDIR" \
  --argus "$OUTDIR/argus-racluster-proto-dport.txt" \
  --argus-flows "$OUTDIR/argus-racluster-flows.txt" <"$TMP/fields.tsv"
rc=$?
set -e
echo "wrote $OUTDIR/demo-top10.tsv ($(($(wc -l <"$OUTDIR/demo-top10.tsv") - 1)) rows), $OUTDIR/demo-all-keys.tsv ($(($(wc -l <"$OUTDIR/demo-all-keys.tsv") - 1)) rows)"
case $rc in
  0) echo "RESULT: OK" ;;
  2) echo "RESULT: MISMATCH with argus" >&2 ;;
  3) echo "RESULT: ties in bytes among a window's top entries (capture unsuitable)" >&2 ;;
  *) echo "RESULT: error ($rc)" >&2 ;;
esac
exit $rc
