package org.argosy.sensor.flow;

import java.util.Arrays;
import org.argosy.sensor.decode.DecodedPacket;
import org.argosy.sensor.decode.PacketDecoder;

/**
 * The canonical, direction-free key of a conversation: both directions of a flow build the same
 * key, with the lower endpoint (address, then port) first. Layout of {@link #bytes}: ethertype (2),
 * protocol (1), low address (16), low port (2), high address (16), high port (2). Non-IP flows put
 * their MACs in the address slots; ICMP puts the echo id or type and code in the port slots.
 */
final class FlowKey {

  private static final int ETHERTYPE = 0;
  private static final int PROTOCOL = 2;
  private static final int LOW_ADDRESS = 3;
  private static final int LOW_PORT = 19;
  private static final int HIGH_ADDRESS = 21;
  private static final int HIGH_PORT = 37;
  private static final int LENGTH = 39;

  private final byte[] bytes;
  private final int hash;

  /** Whether the packet this key was built from travels from the low to the high endpoint. */
  private final boolean fromLow;

  private FlowKey(byte[] bytes, boolean fromLow) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
    this.fromLow = fromLow;
  }

  static FlowKey of(DecodedPacket p) {
    byte[] key = new byte[LENGTH];
    put16(key, ETHERTYPE, p.etherType);
    key[PROTOCOL] = (byte) Math.max(0, p.protocol);
    byte[] src = p.srcAddr;
    byte[] dst = p.dstAddr;
    int srcPort = Math.max(0, p.srcPort);
    int dstPort = Math.max(0, p.dstPort);
    if (!p.hasAddresses) {
      src = Arrays.copyOf(p.srcMac, 16);
      dst = Arrays.copyOf(p.dstMac, 16);
    } else if (p.icmpType >= 0) {
      // Echo request and reply share the id; other ICMP messages key by type and code.
      boolean echo = IcmpTypes.isEcho(p.protocol, p.icmpType);
      srcPort = echo ? p.icmpId : p.icmpType;
      dstPort = echo ? p.icmpId : p.icmpCode;
    }
    int order = Arrays.compareUnsigned(src, dst);
    boolean fromLow = order < 0 || (order == 0 && srcPort <= dstPort);
    System.arraycopy(fromLow ? src : dst, 0, key, LOW_ADDRESS, 16);
    put16(key, LOW_PORT, fromLow ? srcPort : dstPort);
    System.arraycopy(fromLow ? dst : src, 0, key, HIGH_ADDRESS, 16);
    put16(key, HIGH_PORT, fromLow ? dstPort : srcPort);
    return new FlowKey(key, fromLow);
  }

  boolean packetFromLow() {
    return fromLow;
  }

  int protocol() {
    return bytes[PROTOCOL] & 0xFF;
  }

  int etherType() {
    return ((bytes[ETHERTYPE] & 0xFF) << 8) | (bytes[ETHERTYPE + 1] & 0xFF);
  }

  /** A stable hash of the conversation, the same for both directions (Kafka record key). */
  long conversationHash() {
    long h = 1125899906842597L;
    for (byte b : bytes) {
      h = 31 * h + b;
    }
    return h;
  }

  private static void put16(byte[] into, int off, int value) {
    into[off] = (byte) (value >> 8);
    into[off + 1] = (byte) value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlowKey other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "FlowKey" + Arrays.toString(bytes);
  }

  static boolean isIpProtocol(FlowKey key, int protocol) {
    int type = key.etherType();
    return (type == PacketDecoder.ETHERTYPE_IPV4 || type == PacketDecoder.ETHERTYPE_IPV6)
        && key.protocol() == protocol;
  }
}
