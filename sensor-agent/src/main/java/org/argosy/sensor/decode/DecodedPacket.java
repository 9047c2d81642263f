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
    hasAddresses = false;
    Arrays.fill(srcAddr, (byte) 0);
    Arrays.fill(dstAddr, (byte) 0);
    protocol = -1;
    tos = -1;
    ttl = -1;
    fragmented = false;
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

  public boolean isIp() {
    return etherType == PacketDecoder.ETHERTYPE_IPV4 || etherType == PacketDecoder.ETHERTYPE_IPV6;
  }
}
