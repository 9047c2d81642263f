package org.argosy.sensor.decode;

import java.util.Arrays;

/**
 * What the flow table needs of one packet. One instance is reused for every packet of a capture
 * (the decoder overwrites it), so nothing here may be kept after the next packet.
 */
public final class DecodedPacket {

  /** Ethertype of the metered layer: 0x0800, 0x86DD, 0x0806, or the L2 type/SAP. */
  public int etherType;

  public boolean hasMacs;
  public final byte[] srcMac = new byte[6];
  public final byte[] dstMac = new byte[6];

  public final int[] vlanIds = new int[PacketDecoder.MAX_ENCAPSULATIONS];
  public int vlanCount;
  public final int[] mplsLabels = new int[PacketDecoder.MAX_ENCAPSULATIONS];
  public int mplsCount;

  /**
   * The packet came out of a tunnel (GRE, ERSPAN, VXLAN, Geneve); what follows is the inner one.
   */
  public boolean tunneled;

  /** True for IPv4, IPv6 and ARP (protocol addresses set). */
  public boolean hasAddresses;

  /** Addresses in the 16-byte IPv4-mapped form of {@link org.argosy.avro.IpAddress}. */
  public final byte[] srcAddr = new byte[16];

  public final byte[] dstAddr = new byte[16];

  /** IP protocol number, or -1 when not IP. */
  public int protocol;

  public int tos;
  public int ttl;
  public boolean fragmented;

  /**
   * A fragment after the first: it carries no transport header, so ports, TCP flags and ICMP fields
   * are unset until the flow table joins it to its first fragment's flow.
   */
  public boolean laterFragment;

  /** IPv4 (16-bit) or IPv6 (32-bit) fragment identification when {@link #fragmented}. */
  public long fragmentId;

  /** More fragments follow this one (the IP MF flag). */
  public boolean moreFragments;

  public boolean ipOptions;

  /** Ports for TCP/UDP/SCTP; -1 otherwise. */
  public int srcPort;

  public int dstPort;

  /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10); 0 otherwise. */
  public int tcpFlags;

  public long tcpSeq;

  /** ICMP/ICMPv6 type, code and echo id; -1 when not ICMP. */
  public int icmpType;

  public int icmpCode;
  public int icmpId;

  /** Transport payload length (application bytes), from the IP/UDP length fields. */
  public int payloadLength;

  void reset() {
    etherType = 0;
    hasMacs = false;
    vlanCount = 0;
    mplsCount = 0;
    tunneled = false;
    hasAddresses = false;
    Arrays.fill(srcAddr, (byte) 0);
    Arrays.fill(dstAddr, (byte) 0);
    protocol = -1;
    tos = -1;
    ttl = -1;
    fragmented = false;
    laterFragment = false;
    fragmentId = 0;
    moreFragments = false;
    ipOptions = false;
    srcPort = -1;
    dstPort = -1;
    tcpFlags = 0;
    tcpSeq = 0;
    icmpType = -1;
    icmpCode = -1;
    icmpId = -1;
    payloadLength = 0;
  }

  /**
   * Takes a tunnel's inner packet as the one to meter: its link (when it had Ethernet), network and
   * transport fields replace ours; the outer VLAN and MPLS tags stay, they are where the tunnel
   * ran.
   */
  void copyInner(DecodedPacket inner) {
    etherType = inner.etherType;
    if (inner.hasMacs) {
      hasMacs = true;
      System.arraycopy(inner.srcMac, 0, srcMac, 0, 6);
      System.arraycopy(inner.dstMac, 0, dstMac, 0, 6);
    }
    hasAddresses = inner.hasAddresses;
    System.arraycopy(inner.srcAddr, 0, srcAddr, 0, 16);
    System.arraycopy(inner.dstAddr, 0, dstAddr, 0, 16);
    protocol = inner.protocol;
    tos = inner.tos;
    ttl = inner.ttl;
    fragmented = inner.fragmented;
    laterFragment = inner.laterFragment;
    fragmentId = inner.fragmentId;
    moreFragments = inner.moreFragments;
    ipOptions = inner.ipOptions;
    srcPort = inner.srcPort;
    dstPort = inner.dstPort;
    tcpFlags = inner.tcpFlags;
    tcpSeq = inner.tcpSeq;
    icmpType = inner.icmpType;
    icmpCode = inner.icmpCode;
    icmpId = inner.icmpId;
    payloadLength = inner.payloadLength;
    tunneled = true;
  }

  public boolean isIp() {
    return etherType == PacketDecoder.ETHERTYPE_IPV4 || etherType == PacketDecoder.ETHERTYPE_IPV6;
  }
}
