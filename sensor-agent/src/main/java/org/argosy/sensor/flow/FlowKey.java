package org.argosy.sensor.flow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.argosy.sensor.decode.DecodedPacket;
import org.argosy.sensor.decode.PacketDecoder;

/**
 * The canonical, direction-free key of a conversation, packed into {@value #LONGS} longs: both
 * directions of a flow build the same key, with the lower endpoint (address, then port) first. One
 * instance is refilled for every packet (no allocation); the flow table copies the longs into its
 * slab. Layout: {@link #LOW_ADDRESS_HIGH} and {@link #LOW_ADDRESS_LOW} hold the low endpoint's
 * 16-byte address as two big-endian longs, {@link #HIGH_ADDRESS_HIGH} and {@link #HIGH_ADDRESS_LOW}
 * the high one's, and {@link #TYPE_PORTS} the ethertype (bits 40 to 55), the protocol (bits 32 to
 * 39), the low port (bits 16 to 31) and the high port (bits 0 to 15). Non-IP flows put their MACs
 * in the address slots; ICMP puts the echo id or type and code in the port slots.
 */
final class FlowKey {

  static final int LOW_ADDRESS_HIGH = 0;
  static final int LOW_ADDRESS_LOW = 1;
  static final int HIGH_ADDRESS_HIGH = 2;
  static final int HIGH_ADDRESS_LOW = 3;
  static final int TYPE_PORTS = 4;
  static final int LONGS = 5;

  private static final int ETHERTYPE_SHIFT = 40;
  private static final int PROTOCOL_SHIFT = 32;
  private static final int LOW_PORT_SHIFT = 16;
  private static final int ADDRESS_BYTES = 16;
  private static final int MAC_BYTES = 6;

  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  final long[] words = new long[LONGS];

  /** Whether the packet this key was built from travels from the low to the high endpoint. */
  private boolean fromLow;

  /** Refills this key from {@code p}. */
  void fill(DecodedPacket p) {
    long srcHigh;
    long srcLow;
    long dstHigh;
    long dstLow;
    if (p.hasAddresses) {
      srcHigh = (long) BIG_ENDIAN_LONG.get(p.srcAddr, 0);
      srcLow = (long) BIG_ENDIAN_LONG.get(p.srcAddr, 8);
      dstHigh = (long) BIG_ENDIAN_LONG.get(p.dstAddr, 0);
      dstLow = (long) BIG_ENDIAN_LONG.get(p.dstAddr, 8);
    } else {
      // the MAC in the first six bytes of the address slot, zeros after it
      srcHigh = mac(p.srcMac) << 16;
      srcLow = 0;
      dstHigh = mac(p.dstMac) << 16;
      dstLow = 0;
    }
    int srcPort = Math.max(0, p.srcPort);
    int dstPort = Math.max(0, p.dstPort);
    if (p.hasAddresses && p.icmpType >= 0) {
      // Echo request and reply share the id; other ICMP messages key by type and code.
      boolean echo = IcmpTypes.isEcho(p.protocol, p.icmpType);
      srcPort = echo ? p.icmpId : p.icmpType;
      dstPort = echo ? p.icmpId : p.icmpCode;
    }
    int order = Long.compareUnsigned(srcHigh, dstHigh);
    if (order == 0) {
      order = Long.compareUnsigned(srcLow, dstLow);
    }
    fromLow = order < 0 || (order == 0 && srcPort <= dstPort);
    words[LOW_ADDRESS_HIGH] = fromLow ? srcHigh : dstHigh;
    words[LOW_ADDRESS_LOW] = fromLow ? srcLow : dstLow;
    words[HIGH_ADDRESS_HIGH] = fromLow ? dstHigh : srcHigh;
    words[HIGH_ADDRESS_LOW] = fromLow ? dstLow : srcLow;
    words[TYPE_PORTS] =
        ((long) (p.etherType & 0xFFFF) << ETHERTYPE_SHIFT)
            | ((long) (Math.max(0, p.protocol) & 0xFF) << PROTOCOL_SHIFT)
            | ((long) ((fromLow ? srcPort : dstPort) & 0xFFFF) << LOW_PORT_SHIFT)
            | ((fromLow ? dstPort : srcPort) & 0xFFFF);
  }

  private static long mac(byte[] mac) {
    long value = 0;
    for (int i = 0; i < MAC_BYTES; i++) {
      value = value << 8 | (mac[i] & 0xFF);
    }
    return value;
  }

  boolean packetFromLow() {
    return fromLow;
  }

  /** A well-mixed hash of the packed key, for the table's index. */
  int hash() {
    return hash(words, 0);
  }

  /** The index hash of the key stored at {@code words[from..from + LONGS)}. */
  static int hash(long[] words, int from) {
    long h = words[from + TYPE_PORTS] * 0x9E3779B97F4A7C15L;
    for (int i = 0; i < TYPE_PORTS; i++) {
      h = Long.rotateLeft(h ^ words[from + i] * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return (int) h;
  }

  static int etherType(long typePorts) {
    return (int) (typePorts >>> ETHERTYPE_SHIFT) & 0xFFFF;
  }

  static int protocol(long typePorts) {
    return (int) (typePorts >>> PROTOCOL_SHIFT) & 0xFF;
  }

  static int lowPort(long typePorts) {
    return (int) (typePorts >>> LOW_PORT_SHIFT) & 0xFFFF;
  }

  static int highPort(long typePorts) {
    return (int) typePorts & 0xFFFF;
  }

  /** The 16-byte address held as two big-endian longs. */
  static byte[] address(long high, long low) {
    byte[] address = new byte[ADDRESS_BYTES];
    BIG_ENDIAN_LONG.set(address, 0, high);
    BIG_ENDIAN_LONG.set(address, 8, low);
    return address;
  }

  /**
   * A stable hash of the conversation, the same for both directions (the Kafka record key): 31 * h
   * + b over the key's bytes in the order ethertype (2), protocol (1), low address (16), low port
   * (2), high address (16), high port (2), as sensors before the packed layout computed it, so that
   * a conversation keeps its partition across an upgrade.
   */
  static long conversationHash(long[] words, int from) {
    long typePorts = words[from + TYPE_PORTS];
    long h = 1125899906842597L;
    h = hashBytes(h, etherType(typePorts), 2);
    h = hashBytes(h, protocol(typePorts), 1);
    h = hashBytes(h, words[from + LOW_ADDRESS_HIGH], 8);
    h = hashBytes(h, words[from + LOW_ADDRESS_LOW], 8);
    h = hashBytes(h, lowPort(typePorts), 2);
    h = hashBytes(h, words[from + HIGH_ADDRESS_HIGH], 8);
    h = hashBytes(h, words[from + HIGH_ADDRESS_LOW], 8);
    return hashBytes(h, highPort(typePorts), 2);
  }

  /**
   * Folds the {@code count} low bytes of {@code value}, most significant first, as signed bytes.
   */
  private static long hashBytes(long h, long value, int count) {
    for (int i = count - 1; i >= 0; i--) {
      h = 31 * h + (byte) (value >>> (8 * i));
    }
    return h;
  }

  static boolean isIp(int etherType) {
    return etherType == PacketDecoder.ETHERTYPE_IPV4 || etherType == PacketDecoder.ETHERTYPE_IPV6;
  }
}
