package org.argosy.sensor.decode;

/**
 * Decodes the headers the flow table needs from one captured frame. Every read is checked against
 * the captured length first, so a truncated or malformed packet yields a {@link SkipReason}, never
 * an exception. Header layouts are written as named offsets.
 */
public final class PacketDecoder {

  public static final int MAX_ENCAPSULATIONS = 8;

  public static final int ETHERTYPE_IPV4 = 0x0800;
  public static final int ETHERTYPE_ARP = 0x0806;
  public static final int ETHERTYPE_IPV6 = 0x86DD;
  static final int ETHERTYPE_VLAN = 0x8100;
  static final int ETHERTYPE_QINQ = 0x88A8;
  static final int ETHERTYPE_QINQ_OLD = 0x9100;
  static final int ETHERTYPE_MPLS = 0x8847;
  static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;

  /** Type/length values up to this are 802.3 lengths, not ethertypes. */
  static final int MAX_8023_LENGTH = 1500;

  // Ethernet II / 802.3
  static final int ETH_DST = 0;
  static final int ETH_SRC = 6;
  static final int ETH_TYPE = 12;
  static final int ETH_HEADER = 14;
  static final int LLC_DSAP = 0;
  static final int LLC_SSAP = 1;
  static final int LLC_HEADER = 3;
  static final int SNAP_TYPE = 6;
  static final int SNAP_HEADER = 8;
  static final int SAP_SNAP = 0xAA;
  // 802.1Q tag after the TPID: TCI, then the inner type
  static final int VLAN_TCI = 0;
  static final int VLAN_TYPE = 2;
  static final int VLAN_TAG = 4;
  static final int MPLS_ENTRY = 4;
  // Linux cooked capture v1 and v2
  static final int SLL_PROTOCOL = 14;
  static final int SLL_HEADER = 16;
  static final int SLL2_PROTOCOL = 0;
  static final int SLL2_HEADER = 20;
  // PPP (RFC 1661, with or without the HDLC-like address and control bytes) and Cisco HDLC
  static final int PPP_ADDRESS_ALL_STATIONS = 0xFF;
  static final int PPP_CONTROL_UNNUMBERED = 0x03;
  static final int PPP_PROTOCOL_IPV4 = 0x0021;
  static final int PPP_PROTOCOL_IPV6 = 0x0057;
  static final int PPP_PROTOCOL_MPLS = 0x0281;
  static final int PPP_PROTOCOL_MPLS_MULTICAST = 0x0283;
  static final int HDLC_PROTOCOL = 2;
  static final int HDLC_HEADER = 4;
  // BSD loopback: a 4-byte address family in the capturing host's byte order
  static final int NULL_HEADER = 4;
  static final int AF_INET = 2;
  // IPv4
  static final int IPV4_VERSION_IHL = 0;
  static final int IPV4_TOS = 1;
  static final int IPV4_TOTAL_LENGTH = 2;
  static final int IPV4_ID = 4;
  static final int IPV4_FLAGS_FRAGMENT = 6;
  static final int IPV4_TTL = 8;
  static final int IPV4_PROTOCOL = 9;
  static final int IPV4_SRC = 12;
  static final int IPV4_DST = 16;
  static final int IPV4_MIN_HEADER = 20;
  static final int IPV4_MORE_FRAGMENTS = 0x2000;
  static final int IPV4_FRAGMENT_OFFSET = 0x1FFF;
  // IPv6
  static final int IPV6_PAYLOAD_LENGTH = 4;
  static final int IPV6_NEXT_HEADER = 6;
  static final int IPV6_HOP_LIMIT = 7;
  static final int IPV6_SRC = 8;
  static final int IPV6_DST = 24;
  static final int IPV6_HEADER = 40;
  static final int EXT_HOP_BY_HOP = 0;
  static final int EXT_ROUTING = 43;
  static final int EXT_FRAGMENT = 44;
  static final int EXT_AH = 51;
  static final int EXT_DESTINATION = 60;
  static final int FRAGMENT_HEADER = 8;
  static final int FRAGMENT_OFFSET_FLAGS = 2;
  static final int FRAGMENT_ID = 4;
  static final int IPV6_FRAGMENT_OFFSET = 0xFFF8;
  static final int IPV6_MORE_FRAGMENTS = 0x0001;
  // transports
  static final int PROTO_ICMP = 1;
  static final int PROTO_TCP = 6;
  static final int PROTO_UDP = 17;
  static final int PROTO_GRE = 47;
  static final int PROTO_ICMPV6 = 58;
  static final int PROTO_SCTP = 132;
  static final int PORT_SRC = 0;
  static final int PORT_DST = 2;
  static final int TCP_SEQ = 4;
  static final int TCP_DATA_OFFSET = 12;
  static final int TCP_FLAGS = 13;
  static final int TCP_MIN_HEADER = 20;
  static final int UDP_LENGTH = 4;
  static final int UDP_HEADER = 8;
  static final int ICMP_TYPE = 0;
  static final int ICMP_CODE = 1;
  static final int ICMP_ECHO_ID = 4;
  static final int ICMP_HEADER = 8;
  // tunnels
  static final int GRE_FLAGS = 0;
  static final int GRE_PROTOCOL = 2;
  static final int GRE_HEADER = 4;
  static final int GRE_CHECKSUM_PRESENT = 0x8000;
  static final int GRE_KEY_PRESENT = 0x2000;
  static final int GRE_SEQUENCE_PRESENT = 0x1000;
  static final int GRE_OPTIONAL_FIELD = 4;
  static final int ETHERTYPE_TRANSPARENT_BRIDGING = 0x6558;
  static final int ETHERTYPE_ERSPAN = 0x88BE;
  static final int ERSPAN_II_HEADER = 8;
  static final int UDP_PORT_VXLAN = 4789;
  static final int VXLAN_FLAGS = 0;
  static final int VXLAN_VNI_VALID = 0x08;
  static final int VXLAN_HEADER = 8;
  static final int UDP_PORT_GENEVE = 6081;
  static final int GENEVE_VERSION_OPTIONS = 0;
  static final int GENEVE_PROTOCOL = 2;
  static final int GENEVE_HEADER = 8;
  // ARP
  static final int ARP_HLEN = 4;
  static final int ARP_PLEN = 5;
  static final int ARP_ADDRESSES = 8;

  private final LinkType linkType;

  /** Inner packets of nested tunnels, one per depth, decoded aside until known to be usable. */
  private final DecodedPacket[] innerPackets = new DecodedPacket[MAX_ENCAPSULATIONS];

  private int tunnelDepth;

  public PacketDecoder(LinkType linkType) {
    this.linkType = linkType;
  }

  /**
   * Decodes {@code frame[0..captured)} into {@code out}.
   *
   * @return null when the packet can be metered, otherwise why not
   */
  public SkipReason decode(byte[] frame, int captured, DecodedPacket out) {
    out.reset();
    int end = Math.min(captured, frame.length);
    return switch (linkType) {
      case ETHERNET -> ethernet(frame, 0, end, out);
      case LINUX_SLL ->
          end < SLL_HEADER
              ? SkipReason.TRUNCATED_LINK_HEADER
              : byEtherType(frame, u16(frame, SLL_PROTOCOL), SLL_HEADER, end, out, 0);
      case LINUX_SLL2 ->
          end < SLL2_HEADER
              ? SkipReason.TRUNCATED_LINK_HEADER
              : byEtherType(frame, u16(frame, SLL2_PROTOCOL), SLL2_HEADER, end, out, 0);
      case RAW_IP -> byIpVersion(frame, 0, end, out);
      case NULL_LOOPBACK -> nullLoopback(frame, end, out);
      case PPP -> ppp(frame, end, out);
      case CISCO_HDLC ->
          end < HDLC_HEADER
              ? SkipReason.TRUNCATED_LINK_HEADER
              : byEtherType(frame, u16(frame, HDLC_PROTOCOL), HDLC_HEADER, end, out, 0);
      case UNSUPPORTED -> SkipReason.UNSUPPORTED_LINK_TYPE;
    };
  }

  private SkipReason ethernet(byte[] b, int off, int end, DecodedPacket out) {
    if (end - off < ETH_HEADER) {
      return SkipReason.TRUNCATED_LINK_HEADER;
    }
    out.hasMacs = true;
    System.arraycopy(b, off + ETH_DST, out.dstMac, 0, 6);
    System.arraycopy(b, off + ETH_SRC, out.srcMac, 0, 6);
    int typeOrLength = u16(b, off + ETH_TYPE);
    int next = off + ETH_HEADER;
    if (typeOrLength > MAX_8023_LENGTH) {
      return byEtherType(b, typeOrLength, next, end, out, 0);
    }
    // 802.3: LLC, and SNAP carrying a real ethertype
    if (end - next < LLC_HEADER) {
      return SkipReason.TRUNCATED_LINK_HEADER;
    }
    int dsap = u8(b, next + LLC_DSAP);
    if (dsap == SAP_SNAP && u8(b, next + LLC_SSAP) == SAP_SNAP) {
      if (end - next < SNAP_HEADER) {
        return SkipReason.TRUNCATED_LINK_HEADER;
      }
      return byEtherType(b, u16(b, next + SNAP_TYPE), next + SNAP_HEADER, end, out, 0);
    }
    out.etherType = dsap;
    return null;
  }

  private SkipReason byEtherType(
      byte[] b, int etherType, int off, int end, DecodedPacket out, int depth) {
    if (depth >= MAX_ENCAPSULATIONS) {
      return SkipReason.TOO_MANY_ENCAPSULATIONS;
    }
    switch (etherType) {
      case ETHERTYPE_VLAN, ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD -> {
        if (end - off < VLAN_TAG) {
          return SkipReason.TRUNCATED_VLAN_TAG;
        }
        out.vlanIds[out.vlanCount++] = u16(b, off + VLAN_TCI) & 0x0FFF;
        return byEtherType(b, u16(b, off + VLAN_TYPE), off + VLAN_TAG, end, out, depth + 1);
      }
      case ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST -> {
        return mpls(b, off, end, out, depth);
      }
      case ETHERTYPE_IPV4 -> {
        return ipv4(b, off, end, out);
      }
      case ETHERTYPE_IPV6 -> {
        return ipv6(b, off, end, out);
      }
      case ETHERTYPE_ARP -> {
        return arp(b, off, end, out);
      }
      default -> {
        out.etherType = etherType;
        return null;
      }
    }
  }

  private SkipReason mpls(byte[] b, int off, int end, DecodedPacket out, int depth) {
    int entry = off;
    while (true) {
      if (end - entry < MPLS_ENTRY) {
        return SkipReason.TRUNCATED_MPLS_LABEL;
      }
      if (out.mplsCount >= MAX_ENCAPSULATIONS - depth) {
        return SkipReason.TOO_MANY_ENCAPSULATIONS;
      }
      long word = u32(b, entry);
      out.mplsLabels[out.mplsCount++] = (int) (word >>> 12);
      entry += MPLS_ENTRY;
      boolean bottomOfStack = (word & 0x100) != 0;
      if (bottomOfStack) {
        break;
      }
    }
    if (end - entry < 1) {
      out.etherType = ETHERTYPE_MPLS;
      return null;
    }
    // MPLS does not say what it carries; the IP version nibble does.
    return switch (u8(b, entry) >> 4) {
      case 4 -> ipv4(b, entry, end, out);
      case 6 -> ipv6(b, entry, end, out);
      default -> {
        out.etherType = ETHERTYPE_MPLS;
        yield null;
      }
    };
  }

  /** PPP: IP and MPLS are metered; other protocols (LCP, IPCP, ...) become a flow by protocol. */
  private SkipReason ppp(byte[] b, int end, DecodedPacket out) {
    int off =
        end >= 2 && u8(b, 0) == PPP_ADDRESS_ALL_STATIONS && u8(b, 1) == PPP_CONTROL_UNNUMBERED
            ? 2
            : 0;
    if (end - off < 2) {
      return SkipReason.TRUNCATED_LINK_HEADER;
    }
    int protocol = u16(b, off);
    int next = off + 2;
    return switch (protocol) {
      case PPP_PROTOCOL_IPV4 -> ipv4(b, next, end, out);
      case PPP_PROTOCOL_IPV6 -> ipv6(b, next, end, out);
      case PPP_PROTOCOL_MPLS, PPP_PROTOCOL_MPLS_MULTICAST -> mpls(b, next, end, out, 0);
      default -> {
        out.etherType = protocol;
        yield null;
      }
    };
  }

  private SkipReason nullLoopback(byte[] b, int end, DecodedPacket out) {
    if (end < NULL_HEADER) {
      return SkipReason.TRUNCATED_LINK_HEADER;
    }
    long family = u32(b, 0);
    long swapped = Long.reverseBytes(family) >>> 32;
    if (family == AF_INET || swapped == AF_INET) {
      return ipv4(b, NULL_HEADER, end, out);
    }
    return byIpVersion(b, NULL_HEADER, end, out);
  }

  private SkipReason byIpVersion(byte[] b, int off, int end, DecodedPacket out) {
    if (end - off < 1) {
      return SkipReason.TRUNCATED_IPV4_HEADER;
    }
    return switch (u8(b, off) >> 4) {
      case 4 -> ipv4(b, off, end, out);
      case 6 -> ipv6(b, off, end, out);
      default -> SkipReason.BAD_IP_VERSION;
    };
  }

  private SkipReason ipv4(byte[] b, int off, int end, DecodedPacket out) {
    if (end - off < IPV4_MIN_HEADER) {
      return SkipReason.TRUNCATED_IPV4_HEADER;
    }
    int versionIhl = u8(b, off + IPV4_VERSION_IHL);
    int headerLength = (versionIhl & 0x0F) * 4;
    int totalLength = u16(b, off + IPV4_TOTAL_LENGTH);
    if (versionIhl >> 4 != 4 || headerLength < IPV4_MIN_HEADER || totalLength < headerLength) {
      return SkipReason.BAD_IPV4_HEADER;
    }
    out.etherType = ETHERTYPE_IPV4;
    out.hasAddresses = true;
    mapIpv4(b, off + IPV4_SRC, out.srcAddr);
    mapIpv4(b, off + IPV4_DST, out.dstAddr);
    out.tos = u8(b, off + IPV4_TOS);
    out.ttl = u8(b, off + IPV4_TTL);
    out.protocol = u8(b, off + IPV4_PROTOCOL);
    out.ipOptions = headerLength > IPV4_MIN_HEADER;
    int fragment = u16(b, off + IPV4_FLAGS_FRAGMENT);
    out.fragmented = (fragment & (IPV4_MORE_FRAGMENTS | IPV4_FRAGMENT_OFFSET)) != 0;
    if (out.fragmented) {
      out.fragmentId = u16(b, off + IPV4_ID);
      out.moreFragments = (fragment & IPV4_MORE_FRAGMENTS) != 0;
      if ((fragment & IPV4_FRAGMENT_OFFSET) != 0) {
        out.laterFragment = true;
        out.payloadLength = totalLength - headerLength;
        return null;
      }
    }
    return transport(b, off + headerLength, end, totalLength - headerLength, out);
  }

  private SkipReason ipv6(byte[] b, int off, int end, DecodedPacket out) {
    if (end - off < IPV6_HEADER) {
      return SkipReason.TRUNCATED_IPV6_HEADER;
    }
    out.etherType = ETHERTYPE_IPV6;
    out.hasAddresses = true;
    System.arraycopy(b, off + IPV6_SRC, out.srcAddr, 0, 16);
    System.arraycopy(b, off + IPV6_DST, out.dstAddr, 0, 16);
    out.tos = (u16(b, off) >> 4) & 0xFF;
    out.ttl = u8(b, off + IPV6_HOP_LIMIT);
    int remaining = u16(b, off + IPV6_PAYLOAD_LENGTH);
    int next = u8(b, off + IPV6_NEXT_HEADER);
    int header = off + IPV6_HEADER;
    for (int hops = 0; isExtensionHeader(next); hops++) {
      if (hops >= MAX_ENCAPSULATIONS || end - header < 2) {
        return SkipReason.BAD_IPV6_EXTENSION_HEADER;
      }
      int length =
          switch (next) {
            case EXT_FRAGMENT -> FRAGMENT_HEADER;
            case EXT_AH -> (u8(b, header + 1) + 2) * 4;
            default -> (u8(b, header + 1) + 1) * 8;
          };
      if (next == EXT_FRAGMENT) {
        if (end - header < FRAGMENT_HEADER) {
          return SkipReason.BAD_IPV6_EXTENSION_HEADER;
        }
        int offsetFlags = u16(b, header + FRAGMENT_OFFSET_FLAGS);
        out.fragmented = true;
        out.fragmentId = u32(b, header + FRAGMENT_ID);
        out.moreFragments = (offsetFlags & IPV6_MORE_FRAGMENTS) != 0;
        if ((offsetFlags & IPV6_FRAGMENT_OFFSET) != 0) {
          out.laterFragment = true;
          out.protocol = u8(b, header);
          out.payloadLength = Math.max(0, remaining - FRAGMENT_HEADER);
          return null;
        }
      }
      next = u8(b, header);
      header += length;
      remaining -= length;
    }
    out.protocol = next;
    return transport(b, header, end, Math.max(0, remaining), out);
  }

  private static boolean isExtensionHeader(int next) {
    return next == EXT_HOP_BY_HOP
        || next == EXT_ROUTING
        || next == EXT_FRAGMENT
        || next == EXT_AH
        || next == EXT_DESTINATION;
  }

  /** {@code ipPayload} is the transport length the IP header claims, captured or not. */
  private SkipReason transport(byte[] b, int off, int end, int ipPayload, DecodedPacket out) {
    switch (out.protocol) {
      case PROTO_TCP -> {
        if (end - off < TCP_MIN_HEADER) {
          return SkipReason.TRUNCATED_TRANSPORT_HEADER;
        }
        out.srcPort = u16(b, off + PORT_SRC);
        out.dstPort = u16(b, off + PORT_DST);
        out.tcpSeq = u32(b, off + TCP_SEQ);
        out.tcpFlags = u8(b, off + TCP_FLAGS);
        int dataOffset = (u8(b, off + TCP_DATA_OFFSET) >> 4) * 4;
        out.payloadLength = Math.max(0, ipPayload - dataOffset);
      }
      case PROTO_UDP, PROTO_SCTP -> {
        if (end - off < UDP_HEADER) {
          return SkipReason.TRUNCATED_TRANSPORT_HEADER;
        }
        out.srcPort = u16(b, off + PORT_SRC);
        out.dstPort = u16(b, off + PORT_DST);
        // a first fragment's UDP length covers the whole datagram; count only what this
        // packet carries, the later fragments add the rest
        out.payloadLength =
            out.protocol == PROTO_UDP
                ? Math.max(0, Math.min(u16(b, off + UDP_LENGTH), ipPayload) - UDP_HEADER)
                : Math.max(0, ipPayload - UDP_HEADER);
        if (out.protocol == PROTO_UDP && !out.fragmented) {
          if (out.dstPort == UDP_PORT_VXLAN) {
            return vxlan(b, off + UDP_HEADER, end, out);
          }
          if (out.dstPort == UDP_PORT_GENEVE) {
            return geneve(b, off + UDP_HEADER, end, out);
          }
        }
      }
      case PROTO_GRE -> {
        if (!out.fragmented) {
          return gre(b, off, end, ipPayload, out);
        }
        out.payloadLength = ipPayload;
      }
      case PROTO_ICMP, PROTO_ICMPV6 -> {
        if (end - off < ICMP_HEADER) {
          return SkipReason.TRUNCATED_TRANSPORT_HEADER;
        }
        out.icmpType = u8(b, off + ICMP_TYPE);
        out.icmpCode = u8(b, off + ICMP_CODE);
        out.icmpId = u16(b, off + ICMP_ECHO_ID);
        out.payloadLength = Math.max(0, ipPayload - ICMP_HEADER);
      }
      default -> out.payloadLength = ipPayload;
    }
    return null;
  }

  /**
   * GRE carrying IP, Ethernet (transparent bridging) or ERSPAN type II (GRE with a sequence number
   * and an 8-byte ERSPAN header before the mirrored frame): the inner packet is metered. Other
   * payloads (ERSPAN I and III, PPP, ...) stay a GRE flow between the tunnel endpoints, as in
   * Argus.
   */
  private SkipReason gre(byte[] b, int off, int end, int ipPayload, DecodedPacket out) {
    out.payloadLength = ipPayload;
    if (end - off < GRE_HEADER) {
      return null;
    }
    int flags = u16(b, off + GRE_FLAGS);
    int protocol = u16(b, off + GRE_PROTOCOL);
    int inner = off + GRE_HEADER;
    inner += (flags & GRE_CHECKSUM_PRESENT) != 0 ? GRE_OPTIONAL_FIELD : 0;
    inner += (flags & GRE_KEY_PRESENT) != 0 ? GRE_OPTIONAL_FIELD : 0;
    boolean sequenced = (flags & GRE_SEQUENCE_PRESENT) != 0;
    inner += sequenced ? GRE_OPTIONAL_FIELD : 0;
    return switch (protocol) {
      case ETHERTYPE_IPV4, ETHERTYPE_IPV6 -> decapsulate(b, protocol, inner, end, out, false);
      case ETHERTYPE_TRANSPARENT_BRIDGING -> decapsulate(b, protocol, inner, end, out, true);
      case ETHERTYPE_ERSPAN ->
          sequenced ? decapsulate(b, protocol, inner + ERSPAN_II_HEADER, end, out, true) : null;
      default -> null;
    };
  }

  /** VXLAN (RFC 7348): an 8-byte header with the VNI-valid flag, then an Ethernet frame. */
  private SkipReason vxlan(byte[] b, int off, int end, DecodedPacket out) {
    if (end - off < VXLAN_HEADER || (u8(b, off + VXLAN_FLAGS) & VXLAN_VNI_VALID) == 0) {
      return null;
    }
    return decapsulate(b, ETHERTYPE_TRANSPARENT_BRIDGING, off + VXLAN_HEADER, end, out, true);
  }

  /** Geneve (RFC 8926): 8 bytes plus options, then what its protocol type names. */
  private SkipReason geneve(byte[] b, int off, int end, DecodedPacket out) {
    if (end - off < GENEVE_HEADER) {
      return null;
    }
    int versionOptions = u8(b, off + GENEVE_VERSION_OPTIONS);
    if (versionOptions >> 6 != 0) {
      return null;
    }
    int protocol = u16(b, off + GENEVE_PROTOCOL);
    int inner = off + GENEVE_HEADER + (versionOptions & 0x3F) * 4;
    return switch (protocol) {
      case ETHERTYPE_IPV4, ETHERTYPE_IPV6 -> decapsulate(b, protocol, inner, end, out, false);
      case ETHERTYPE_TRANSPARENT_BRIDGING -> decapsulate(b, protocol, inner, end, out, true);
      default -> null;
    };
  }

  /**
   * Meters the tunnel's inner packet instead of the outer one; a tunnel whose inner headers are not
   * all captured stays the outer flow (the outer headers already decoded are kept).
   */
  private SkipReason decapsulate(
      byte[] b, int innerType, int inner, int end, DecodedPacket out, boolean ethernet) {
    if (tunnelDepth >= MAX_ENCAPSULATIONS || end - inner < (ethernet ? ETH_HEADER : 1)) {
      return null;
    }
    tunnelDepth++;
    try {
      if (innerPackets[tunnelDepth - 1] == null) {
        innerPackets[tunnelDepth - 1] = new DecodedPacket();
      }
      DecodedPacket innerPacket = innerPackets[tunnelDepth - 1];
      innerPacket.reset();
      SkipReason innerSkip =
          ethernet
              ? ethernet(b, inner, end, innerPacket)
              : byEtherType(b, innerType, inner, end, innerPacket, 0);
      if (innerSkip != null || (!innerPacket.hasAddresses && !ethernet)) {
        return null;
      }
      out.copyInner(innerPacket);
      return null;
    } finally {
      tunnelDepth--;
    }
  }

  private SkipReason arp(byte[] b, int off, int end, DecodedPacket out) {
    if (end - off < ARP_ADDRESSES) {
      return SkipReason.TRUNCATED_ARP;
    }
    int hardwareLength = u8(b, off + ARP_HLEN);
    int protocolLength = u8(b, off + ARP_PLEN);
    int senderProtocol = off + ARP_ADDRESSES + hardwareLength;
    int targetProtocol = senderProtocol + protocolLength + hardwareLength;
    out.etherType = ETHERTYPE_ARP;
    if (protocolLength != 4) {
      return null; // not IPv4 ARP: metered as an L2 flow
    }
    if (end - targetProtocol < 4) {
      return SkipReason.TRUNCATED_ARP;
    }
    out.hasAddresses = true;
    mapIpv4(b, senderProtocol, out.srcAddr);
    mapIpv4(b, targetProtocol, out.dstAddr);
    return null;
  }

  private static void mapIpv4(byte[] b, int off, byte[] into) {
    java.util.Arrays.fill(into, 0, 10, (byte) 0);
    into[10] = (byte) 0xff;
    into[11] = (byte) 0xff;
    System.arraycopy(b, off, into, 12, 4);
  }

  // Callers check bounds before these reads.
  private static int u8(byte[] b, int off) {
    return b[off] & 0xFF;
  }

  private static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  private static long u32(byte[] b, int off) {
    return ((long) u16(b, off) << 16) | u16(b, off + 2);
  }
}
