package org.argosy.sensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds frames for decoder and flow-table tests, header by header (checksums zero: nothing here
 * verifies them). Addresses are IPv4 literals.
 */
public final class TestFrames {

  public static final int TCP_FIN = 0x01;
  public static final int TCP_SYN = 0x02;
  public static final int TCP_ACK = 0x10;
  public static final int IPV4_MORE_FRAGMENTS = 0x2000;

  private TestFrames() {}

  public static byte[] ethernet(int etherType, byte[] payload) {
    return ByteBuffer.allocate(14 + payload.length)
        .put(new byte[] {2, 0, 0, 0, 0, 2})
        .put(new byte[] {2, 0, 0, 0, 0, 1})
        .putShort((short) etherType)
        .put(payload)
        .array();
  }

  /**
   * @param fragment the flags and fragment offset field: offset in 8-byte units, or'ed with {@link
   *     #IPV4_MORE_FRAGMENTS}
   */
  public static byte[] ipv4(
      int protocol, String src, String dst, int id, int fragment, byte[] payload) {
    return ByteBuffer.allocate(20 + payload.length)
        .put((byte) 0x45)
        .put((byte) 0)
        .putShort((short) (20 + payload.length))
        .putShort((short) id)
        .putShort((short) fragment)
        .put((byte) 64)
        .put((byte) protocol)
        .putShort((short) 0)
        .put(address(src))
        .put(address(dst))
        .put(payload)
        .array();
  }

  /**
   * An IPv6 packet whose payload is a fragment header (next header {@code protocol}) and {@code
   * payload}.
   *
   * @param fragment the fragment header's offset field: offset in 8-byte units shifted left by 3,
   *     or'ed with 1 when more fragments follow
   */
  public static byte[] ipv6Fragment(
      int protocol, String src, String dst, int id, int fragment, byte[] payload) {
    try {
      return ByteBuffer.allocate(40 + 8 + payload.length)
          .putInt(0x60000000)
          .putShort((short) (8 + payload.length))
          .put((byte) 44)
          .put((byte) 64)
          .put(java.net.InetAddress.getByName(src).getAddress())
          .put(java.net.InetAddress.getByName(dst).getAddress())
          .put((byte) protocol)
          .put((byte) 0)
          .putShort((short) fragment)
          .putInt(id)
          .put(payload)
          .array();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv6 literal: " + src + " or " + dst, e);
    }
  }

  /** A UDP header whose length field covers {@code datagramLength} payload bytes. */
  public static byte[] udp(int srcPort, int dstPort, int datagramLength, byte[] payload) {
    return ByteBuffer.allocate(8 + payload.length)
        .putShort((short) srcPort)
        .putShort((short) dstPort)
        .putShort((short) (8 + datagramLength))
        .putShort((short) 0)
        .put(payload)
        .array();
  }

  public static byte[] tcp(int srcPort, int dstPort, int flags, byte[] payload) {
    return tcp(srcPort, dstPort, 1, flags, payload);
  }

  public static byte[] tcp(int srcPort, int dstPort, int seq, int flags, byte[] payload) {
    return ByteBuffer.allocate(20 + payload.length)
        .putShort((short) srcPort)
        .putShort((short) dstPort)
        .putInt(seq)
        .putInt(0)
        .put((byte) 0x50)
        .put((byte) flags)
        .putShort((short) 0xffff)
        .putInt(0)
        .put(payload)
        .array();
  }

  /** A VXLAN header (VNI 42, valid flag set) in front of an Ethernet frame. */
  public static byte[] vxlan(byte[] innerFrame) {
    return ByteBuffer.allocate(8 + innerFrame.length)
        .putInt(0x08000000)
        .putInt(42 << 8)
        .put(innerFrame)
        .array();
  }

  /** The global header of a little-endian, microsecond, Ethernet pcap file. */
  public static byte[] pcapFileHeader(int snaplen) {
    return ByteBuffer.allocate(24)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(0xA1B2C3D4)
        .putShort((short) 2)
        .putShort((short) 4)
        .putInt(0)
        .putInt(0)
        .putInt(snaplen)
        .putInt(1)
        .array();
  }

  /** The header of one record of such a file. */
  public static byte[] pcapRecordHeader(long micros, int captured, int wire) {
    return ByteBuffer.allocate(16)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt((int) (micros / 1_000_000))
        .putInt((int) (micros % 1_000_000))
        .putInt(captured)
        .putInt(wire)
        .array();
  }

  private static byte[] address(String dotted) {
    String[] parts = dotted.split("\\.");
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      bytes[i] = (byte) Integer.parseInt(parts[i]);
    }
    return bytes;
  }
}
