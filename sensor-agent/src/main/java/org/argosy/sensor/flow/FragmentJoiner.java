package org.argosy.sensor.flow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.argosy.sensor.decode.DecodedPacket;

/**
 * Joins IP fragments after the first to the flow of their first fragment, as Argus does: the first
 * fragment carries the transport header, later ones only (source, destination, protocol,
 * identification). The first fragment's ports and ICMP fields are remembered under that
 * identification and copied into each later fragment, which then keys to the same flow. A later
 * fragment whose first was not seen (lost, or out of order) keeps ports 0, the flow Argus reports
 * for it. Entries leave on the last fragment, after {@link #TIMEOUT_MICROS}, or oldest first when
 * the table of {@link #MAX_PENDING} entries is full (a fragment flood must not grow the heap).
 *
 * <p>No allocation per packet: entries live in primitive arrays used as a ring in arrival order
 * (what expiry and eviction walk), found through hash buckets chained through the entries; the
 * arrays grow by doubling up to {@link #MAX_PENDING} entries.
 */
final class FragmentJoiner {

  /** Linux's default ipfrag_time: a datagram not complete by then never will be. */
  static final long TIMEOUT_MICROS = 30_000_000L;

  static final int MAX_PENDING = 65_536;

  // longs of an entry: the datagram's identity, then when its first fragment came
  private static final int SOURCE_HIGH = 0;
  private static final int SOURCE_LOW = 1;
  private static final int DESTINATION_HIGH = 2;
  private static final int DESTINATION_LOW = 3;
  private static final int PROTOCOL_ID = 4;
  private static final int FIRST_SEEN = 5;
  private static final int LONGS = 6;
  // ints of an entry: what the first fragment's transport header said, and the bucket chain
  private static final int SOURCE_PORT = 0;
  private static final int DESTINATION_PORT = 1;
  private static final int ICMP_TYPE = 2;
  private static final int ICMP_CODE = 3;
  private static final int ICMP_ID = 4;
  private static final int NEXT_IN_BUCKET = 5;
  private static final int INTS = 6;

  private static final int NONE = -1;

  /** The {@link #NEXT_IN_BUCKET} of an entry that was removed but not yet passed by the ring. */
  private static final int DEAD = -2;

  private static final int INITIAL_ENTRIES = 64;
  private static final int PROTOCOL_SHIFT = 32;
  private static final int PROTO_TCP = 6;
  private static final int PROTO_UDP = 17;
  private static final int PROTO_SCTP = 132;

  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final int maxEntries;
  private long[] longs;
  private int[] ints;

  /** The first entry of each bucket, or {@link #NONE}; twice as many buckets as entries. */
  private int[] buckets;

  /** The oldest entry of the ring, and how many entries (removed ones included) follow from it. */
  private int head;

  private int used;
  private int live;

  FragmentJoiner() {
    this(MAX_PENDING);
  }

  /** A joiner that keeps at most {@code maxEntries} datagrams (a power of two). */
  FragmentJoiner(int maxEntries) {
    if (Integer.bitCount(maxEntries) != 1) {
      throw new IllegalArgumentException("maxEntries must be a power of two: " + maxEntries);
    }
    this.maxEntries = maxEntries;
    allocate(Math.min(INITIAL_ENTRIES, maxEntries));
  }

  private void allocate(int entries) {
    long[] oldLongs = longs;
    int[] oldInts = ints;
    int oldCapacity = oldInts == null ? 0 : oldInts.length / INTS;
    longs = new long[entries * LONGS];
    ints = new int[entries * INTS];
    buckets = new int[entries * 2];
    Arrays.fill(buckets, NONE);
    // the ring's entries move to 0..used-1 in arrival order; removed ones stay removed
    for (int k = 0; k < used; k++) {
      int from = (head + k) & (oldCapacity - 1);
      System.arraycopy(oldLongs, from * LONGS, longs, k * LONGS, LONGS);
      System.arraycopy(oldInts, from * INTS, ints, k * INTS, INTS);
      if (ints[k * INTS + NEXT_IN_BUCKET] != DEAD) {
        link(k);
      }
    }
    head = 0;
  }

  private int capacity() {
    return ints.length / INTS;
  }

  /**
   * Remembers a first fragment, or completes a later one from its first; packets that are not
   * fragments pass untouched.
   */
  void join(DecodedPacket p, long timeMicros) {
    if (!p.fragmented) {
      return;
    }
    int entry = find(p);
    if (!p.laterFragment) {
      if (p.moreFragments) {
        if (entry == NONE) {
          entry = add(p);
        }
        remember(entry, p, timeMicros);
      }
      return;
    }
    if (entry == NONE) {
      boolean hasPorts =
          p.protocol == PROTO_TCP || p.protocol == PROTO_UDP || p.protocol == PROTO_SCTP;
      p.srcPort = hasPorts ? 0 : -1;
      p.dstPort = hasPorts ? 0 : -1;
      return;
    }
    int at = entry * INTS;
    p.srcPort = ints[at + SOURCE_PORT];
    p.dstPort = ints[at + DESTINATION_PORT];
    p.icmpType = ints[at + ICMP_TYPE];
    p.icmpCode = ints[at + ICMP_CODE];
    p.icmpId = ints[at + ICMP_ID];
    if (!p.moreFragments) {
      remove(entry);
    }
  }

  /** Forgets datagrams whose first fragment is older than the timeout. */
  void expire(long nowMicros) {
    while (used > 0) {
      boolean removed = ints[head * INTS + NEXT_IN_BUCKET] == DEAD;
      if (!removed && nowMicros - longs[head * LONGS + FIRST_SEEN] < TIMEOUT_MICROS) {
        break; // arrival order: the rest are younger
      }
      popOldest();
    }
  }

  /** Datagrams waiting for their later fragments. */
  int pending() {
    return live;
  }

  private int find(DecodedPacket p) {
    long sourceHigh = (long) BIG_ENDIAN_LONG.get(p.srcAddr, 0);
    long sourceLow = (long) BIG_ENDIAN_LONG.get(p.srcAddr, 8);
    long destinationHigh = (long) BIG_ENDIAN_LONG.get(p.dstAddr, 0);
    long destinationLow = (long) BIG_ENDIAN_LONG.get(p.dstAddr, 8);
    long protocolId = protocolId(p);
    int bucket = bucket(sourceHigh, sourceLow, destinationHigh, destinationLow, protocolId);
    for (int e = buckets[bucket]; e != NONE; e = ints[e * INTS + NEXT_IN_BUCKET]) {
      int at = e * LONGS;
      if (longs[at + PROTOCOL_ID] == protocolId
          && longs[at + SOURCE_LOW] == sourceLow
          && longs[at + DESTINATION_LOW] == destinationLow
          && longs[at + SOURCE_HIGH] == sourceHigh
          && longs[at + DESTINATION_HIGH] == destinationHigh) {
        return e;
      }
    }
    return NONE;
  }

  private static long protocolId(DecodedPacket p) {
    return (long) (p.protocol & 0xFF) << PROTOCOL_SHIFT | (p.fragmentId & 0xFFFF_FFFFL);
  }

  private int bucket(
      long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, long protocolId) {
    long h = protocolId * 0x9E3779B97F4A7C15L;
    h = (h ^ sourceHigh) * 0xC2B2AE3D27D4EB4FL;
    h = (h ^ sourceLow) * 0x9E3779B97F4A7C15L;
    h = (h ^ destinationHigh) * 0xC2B2AE3D27D4EB4FL;
    h = (h ^ destinationLow) * 0x9E3779B97F4A7C15L;
    return (int) (h ^ h >>> 32) & (buckets.length - 1);
  }

  private int bucketOf(int entry) {
    int at = entry * LONGS;
    return bucket(
        longs[at + SOURCE_HIGH],
        longs[at + SOURCE_LOW],
        longs[at + DESTINATION_HIGH],
        longs[at + DESTINATION_LOW],
        longs[at + PROTOCOL_ID]);
  }

  /** A new entry for {@code p}'s datagram, newest in the ring. */
  private int add(DecodedPacket p) {
    if (used == capacity()) {
      if (capacity() < maxEntries) {
        allocate(capacity() * 2);
      } else {
        popOldest();
      }
    }
    int entry = (head + used) & (capacity() - 1);
    used++;
    live++;
    int at = entry * LONGS;
    longs[at + SOURCE_HIGH] = (long) BIG_ENDIAN_LONG.get(p.srcAddr, 0);
    longs[at + SOURCE_LOW] = (long) BIG_ENDIAN_LONG.get(p.srcAddr, 8);
    longs[at + DESTINATION_HIGH] = (long) BIG_ENDIAN_LONG.get(p.dstAddr, 0);
    longs[at + DESTINATION_LOW] = (long) BIG_ENDIAN_LONG.get(p.dstAddr, 8);
    longs[at + PROTOCOL_ID] = protocolId(p);
    link(entry);
    return entry;
  }

  /** Stores what the first fragment said; a repeated first fragment overwrites, in place. */
  private void remember(int entry, DecodedPacket p, long timeMicros) {
    int at = entry * INTS;
    ints[at + SOURCE_PORT] = p.srcPort;
    ints[at + DESTINATION_PORT] = p.dstPort;
    ints[at + ICMP_TYPE] = p.icmpType;
    ints[at + ICMP_CODE] = p.icmpCode;
    ints[at + ICMP_ID] = p.icmpId;
    longs[entry * LONGS + FIRST_SEEN] = timeMicros;
  }

  private void link(int entry) {
    int bucket = bucketOf(entry);
    ints[entry * INTS + NEXT_IN_BUCKET] = buckets[bucket];
    buckets[bucket] = entry;
  }

  /** Takes a live entry out of its bucket; its ring place stays until the ring passes it. */
  private void remove(int entry) {
    int bucket = bucketOf(entry);
    int next = ints[entry * INTS + NEXT_IN_BUCKET];
    if (buckets[bucket] == entry) {
      buckets[bucket] = next;
    } else {
      int e = buckets[bucket];
      while (ints[e * INTS + NEXT_IN_BUCKET] != entry) {
        e = ints[e * INTS + NEXT_IN_BUCKET];
      }
      ints[e * INTS + NEXT_IN_BUCKET] = next;
    }
    ints[entry * INTS + NEXT_IN_BUCKET] = DEAD;
    live--;
  }

  private void popOldest() {
    if (ints[head * INTS + NEXT_IN_BUCKET] != DEAD) {
      remove(head);
    }
    head = (head + 1) & (capacity() - 1);
    used--;
  }
}
