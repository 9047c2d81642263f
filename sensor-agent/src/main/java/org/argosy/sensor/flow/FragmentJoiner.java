package org.argosy.sensor.flow;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.argosy.sensor.decode.DecodedPacket;

/**
 * Joins IP fragments after the first to the flow of their first fragment, as Argus does: the first
 * fragment carries the transport header, later ones only (source, destination, protocol,
 * identification). The first fragment's ports and ICMP fields are remembered under that
 * identification and copied into each later fragment, which then keys to the same flow. A later
 * fragment whose first was not seen (lost, or out of order) keeps ports 0, the flow Argus reports
 * for it. Entries leave on the last fragment, after {@link #TIMEOUT_MICROS}, or oldest first when
 * {@link #MAX_PENDING} datagrams are in reassembly (a fragment flood must not grow the heap).
 */
final class FragmentJoiner {

  /** Linux's default ipfrag_time: a datagram not complete by then never will be. */
  static final long TIMEOUT_MICROS = 30_000_000L;

  static final int MAX_PENDING = 65_536;

  /** Identifies one fragmented datagram: addresses, protocol and IP identification. */
  private record DatagramId(byte[] addresses, int protocol, long id) {
    static DatagramId of(DecodedPacket p) {
      byte[] addresses = Arrays.copyOf(p.srcAddr, 32);
      System.arraycopy(p.dstAddr, 0, addresses, 16, 16);
      return new DatagramId(addresses, p.protocol, p.fragmentId);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof DatagramId other
          && protocol == other.protocol
          && id == other.id
          && Arrays.equals(addresses, other.addresses);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * Arrays.hashCode(addresses) + protocol) + Long.hashCode(id);
    }
  }

  /** What a first fragment's transport header said. */
  private record Head(
      int srcPort, int dstPort, int icmpType, int icmpCode, int icmpId, long firstSeen) {}

  private final LinkedHashMap<DatagramId, Head> pending =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<DatagramId, Head> eldest) {
          return size() > MAX_PENDING;
        }
      };

  /**
   * Remembers a first fragment, or completes a later one from its first; packets that are not
   * fragments pass untouched.
   */
  void join(DecodedPacket p, long timeMicros) {
    if (!p.fragmented) {
      return;
    }
    if (!p.laterFragment) {
      if (p.moreFragments) {
        pending.put(
            DatagramId.of(p),
            new Head(p.srcPort, p.dstPort, p.icmpType, p.icmpCode, p.icmpId, timeMicros));
      }
      return;
    }
    DatagramId id = DatagramId.of(p);
    Head head = p.moreFragments ? pending.get(id) : pending.remove(id);
    if (head == null) {
      boolean hasPorts = p.protocol == 6 || p.protocol == 17 || p.protocol == 132;
      p.srcPort = hasPorts ? 0 : -1;
      p.dstPort = hasPorts ? 0 : -1;
      return;
    }
    p.srcPort = head.srcPort();
    p.dstPort = head.dstPort();
    p.icmpType = head.icmpType();
    p.icmpCode = head.icmpCode();
    p.icmpId = head.icmpId();
  }

  /** Forgets datagrams whose first fragment is older than the timeout. */
  void expire(long nowMicros) {
    Iterator<Head> heads = pending.values().iterator();
    while (heads.hasNext()) {
      if (nowMicros - heads.next().firstSeen() < TIMEOUT_MICROS) {
        break; // insertion order: the rest are younger
      }
      heads.remove();
    }
  }

  int pending() {
    return pending.size();
  }
}
