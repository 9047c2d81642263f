package org.argosy.query;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.argosy.avro.IpAddress;

/**
 * Conversions of the 16-byte {@link IpAddress} representation: IPv6 as is, IPv4 IPv4-mapped ({@code
 * ::ffff:a.b.c.d}). Masks on IPv4 are given as IPv4 prefix lengths and shifted by 96.
 */
public final class IpAddresses {

  static final int MAPPED_PREFIX_BITS = 96;
  private static final int MAPPED_MARKER_OFFSET = 10;
  private static final int IPV4_OFFSET = 12;

  private IpAddresses() {}

  /** The mapped form of 4 bytes starting at {@code offset}. */
  public static IpAddress fromIpv4(byte[] source, int offset) {
    byte[] bytes = new byte[16];
    bytes[MAPPED_MARKER_OFFSET] = (byte) 0xff;
    bytes[MAPPED_MARKER_OFFSET + 1] = (byte) 0xff;
    System.arraycopy(source, offset, bytes, IPV4_OFFSET, 4);
    return new IpAddress(bytes);
  }

  /** 16 bytes starting at {@code offset}. */
  public static IpAddress fromIpv6(byte[] source, int offset) {
    byte[] bytes = new byte[16];
    System.arraycopy(source, offset, bytes, 0, 16);
    return new IpAddress(bytes);
  }

  /** Parses a dotted IPv4 or textual IPv6 literal (no host name look-ups). */
  public static IpAddress parse(String literal) {
    if (!literal.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an IP address: " + literal);
    }
    try {
      byte[] raw = InetAddress.getByName(literal).getAddress();
      return raw.length == 4 ? fromIpv4(raw, 0) : fromIpv6(raw, 0);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal, e);
    }
  }

  public static boolean isIpv4(IpAddress address) {
    byte[] b = address.bytes();
    for (int i = 0; i < MAPPED_MARKER_OFFSET; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[MAPPED_MARKER_OFFSET] == (byte) 0xff && b[MAPPED_MARKER_OFFSET + 1] == (byte) 0xff;
  }

  /**
   * Keeps the first {@code prefixLength} bits: of the IPv4 address when it is IPv4 (0..32), of the
   * 128-bit address otherwise (0..128).
   */
  public static IpAddress mask(IpAddress address, int prefixLength) {
    boolean v4 = isIpv4(address);
    int maxBits = v4 ? 32 : 128;
    if (prefixLength < 0 || prefixLength > maxBits) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " out of range 0.." + maxBits);
    }
    int bits = v4 ? MAPPED_PREFIX_BITS + prefixLength : prefixLength;
    byte[] masked = address.bytes().clone();
    for (int i = 0; i < 16; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      masked[i] &= (byte) (0xff << (8 - keep));
    }
    return new IpAddress(masked);
  }

  /** Dotted quad for IPv4, RFC 5952 compressed text for IPv6. */
  public static String format(IpAddress address) {
    byte[] b = address.bytes();
    if (isIpv4(address)) {
      return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
    }
    try {
      return compress(Inet6Address.getByAddress(null, b, -1).getHostAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
  }

  /** Java prints every group; collapse the longest run of zero groups as RFC 5952 asks. */
  private static String compress(String full) {
    String[] groups = full.split(":");
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < groups.length; ) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    if (bestStart < 0) {
      return full;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail =
        String.join(
            ":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    return head + "::" + tail;
  }
}
