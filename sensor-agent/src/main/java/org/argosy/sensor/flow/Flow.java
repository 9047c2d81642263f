package org.argosy.sensor.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.IpAddress;
import org.argosy.avro.MacAddress;
import org.argosy.query.FlowFlag;
import org.argosy.sensor.decode.DecodedPacket;
import org.argosy.sensor.decode.PacketDecoder;

/**
 * One conversation in the flow table: its identity as first seen (oriented from the initiator), the
 * counters since its last record, and the lifetime facts that give Argus's state and direction.
 */
final class Flow {

  private static final int TCP_FIN = 0x01;
  private static final int TCP_SYN = 0x02;
  private static final int TCP_RST = 0x04;
  private static final int TCP_ACK = 0x10;
  private static final int ECHO_REPLY_V4 = 0;
  private static final int ECHO_REPLY_V6 = 129;
  private static final int RESERVED_PORTS = 1024;

  final FlowKey key;

  /** Packets from this end of the key come from the initiator (the Argus source). */
  private final boolean initiatorIsLow;

  private final int etherType;
  private final Integer protocol;
  private final IpAddress saddr;
  private final IpAddress daddr;
  private final MacAddress smac;
  private final MacAddress dmac;
  private final Integer sport;
  private final Integer dport;
  private final Integer icmpType;
  private final Integer icmpCode;
  private final Integer icmpId;
  private final List<Integer> vlanIds;
  private final List<Integer> mplsLabels;

  // since the last record
  private long spkts;
  private long dpkts;
  private long sbytes;
  private long dbytes;
  private long sappbytes;
  private long dappbytes;
  private long pendingStime;
  private long pendingLtime;

  // over the flow's life
  long lastSeen;
  int recordsEmitted;
  private boolean initiatorSent;
  private boolean responderSent;

  /** The initiator sent something other than a bare SYN: the connection is past REQ. */
  private boolean initiatorSentBeyondSyn;

  private int initiatorTcpFlags;
  private int responderTcpFlags;
  private int flags;
  private Integer stos;
  private Integer dtos;
  private Integer sttl;
  private Integer dttl;

  /** Per side, the TCP sequence number after the highest byte seen so far; -1 before any. */
  private long initiatorNextSeq = -1;

  private long responderNextSeq = -1;
  private long synTime = -1;
  private long synAckTime = -1;
  private long ackTime = -1;

  Flow(FlowKey key, DecodedPacket first) {
    this.key = key;
    boolean firstFromInitiator = !startsWithAnswer(first);
    this.initiatorIsLow = key.packetFromLow() == firstFromInitiator;
    byte[] src = firstFromInitiator ? first.srcAddr : first.dstAddr;
    byte[] dst = firstFromInitiator ? first.dstAddr : first.srcAddr;
    byte[] srcMac = firstFromInitiator ? first.srcMac : first.dstMac;
    byte[] dstMac = firstFromInitiator ? first.dstMac : first.srcMac;
    int srcPort = firstFromInitiator ? first.srcPort : first.dstPort;
    int dstPort = firstFromInitiator ? first.dstPort : first.srcPort;

    this.etherType = first.etherType;
    this.protocol = first.protocol >= 0 ? first.protocol : null;
    this.saddr = first.hasAddresses ? new IpAddress(src.clone()) : null;
    this.daddr = first.hasAddresses ? new IpAddress(dst.clone()) : null;
    this.smac = first.hasMacs ? new MacAddress(srcMac.clone()) : null;
    this.dmac = first.hasMacs ? new MacAddress(dstMac.clone()) : null;
    this.sport = srcPort >= 0 ? srcPort : null;
    this.dport = dstPort >= 0 ? dstPort : null;
    this.icmpType = first.icmpType >= 0 ? first.icmpType : null;
    this.icmpCode = first.icmpCode >= 0 ? first.icmpCode : null;
    this.icmpId =
        first.icmpType >= 0 && IcmpTypes.isEcho(first.protocol, first.icmpType)
            ? first.icmpId
            : null;
    this.vlanIds = toList(first.vlanIds, first.vlanCount);
    this.mplsLabels = toList(first.mplsLabels, first.mplsCount);
  }

  /**
   * A flow first seen by its answer (SYN-ACK, echo reply) was started by the other side. So was a
   * TCP conversation caught mid-stream whose first packet comes from a server port, as Argus 3.0.8
   * orients it (measured on the shared corpus): a reserved port (below 1024) facing an unreserved
   * one, or the lower of two reserved ports, is the server's.
   */
  private static boolean startsWithAnswer(DecodedPacket p) {
    if (p.protocol == 6) {
      if ((p.tcpFlags & TCP_SYN) != 0) {
        return (p.tcpFlags & TCP_ACK) != 0;
      }
      return isServerPort(p.srcPort, p.dstPort);
    }
    return p.icmpType >= 0
        && ((p.protocol == IcmpTypes.PROTO_ICMP && p.icmpType == ECHO_REPLY_V4)
            || (p.protocol == IcmpTypes.PROTO_ICMPV6 && p.icmpType == ECHO_REPLY_V6));
  }

  private static boolean isServerPort(int port, int otherPort) {
    return port < RESERVED_PORTS && (otherPort >= RESERVED_PORTS || port < otherPort);
  }

  void add(DecodedPacket p, boolean packetFromLow, long timeMicros, long wireLength) {
    boolean fromInitiator = packetFromLow == initiatorIsLow;
    if (!hasPending()) {
      pendingStime = timeMicros;
      pendingLtime = timeMicros;
    }
    pendingStime = Math.min(pendingStime, timeMicros);
    pendingLtime = Math.max(pendingLtime, timeMicros);
    lastSeen = Math.max(lastSeen, timeMicros);
    if (fromInitiator) {
      initiatorSent = true;
      initiatorSentBeyondSyn |= p.protocol != 6 || (p.tcpFlags & (TCP_SYN | TCP_ACK)) != TCP_SYN;
      spkts++;
      sbytes += wireLength;
      sappbytes += p.payloadLength;
      initiatorTcpFlags |= p.tcpFlags;
      if (p.tos >= 0) {
        stos = p.tos;
        sttl = p.ttl;
      }
    } else {
      dpkts++;
      dbytes += wireLength;
      dappbytes += p.payloadLength;
      responderSent = true;
      responderTcpFlags |= p.tcpFlags;
      if (p.tos >= 0) {
        dtos = p.tos;
        dttl = p.ttl;
      }
    }
    flags |= encapsulationFlags(p);
    if (p.protocol == 6 && !p.laterFragment) {
      trackTcpSetup(p.tcpFlags, fromInitiator, timeMicros);
      trackSequence(p, fromInitiator);
    }
  }

  /**
   * Flags a segment that starts below what its side already sent as a retransmission, and one that
   * starts beyond it (a gap: lost before the sensor, or reordered) as out of order. Only segments
   * that consume sequence space count (data, SYN, FIN); comparisons are modulo 2^32.
   */
  private void trackSequence(DecodedPacket p, boolean fromInitiator) {
    int seqFlags = p.tcpFlags & (TCP_SYN | TCP_FIN);
    if (p.payloadLength == 0 && seqFlags == 0) {
      return;
    }
    long end = (p.tcpSeq + p.payloadLength + (seqFlags != 0 ? 1 : 0)) & 0xFFFF_FFFFL;
    long next = fromInitiator ? initiatorNextSeq : responderNextSeq;
    if (next >= 0) {
      int offset = (int) (p.tcpSeq - next);
      flags |=
          offset < 0 ? FlowFlag.RETRANSMISSION.bit() : offset > 0 ? FlowFlag.OUT_OF_ORDER.bit() : 0;
    }
    if (next < 0 || (int) (end - next) > 0) {
      if (fromInitiator) {
        initiatorNextSeq = end;
      } else {
        responderNextSeq = end;
      }
    }
  }

  private static int encapsulationFlags(DecodedPacket p) {
    int f = p.hasMacs ? FlowFlag.ETHERNET.bit() : 0;
    f |= p.vlanCount > 0 ? FlowFlag.VLAN.bit() : 0;
    f |= p.mplsCount > 0 ? FlowFlag.MPLS.bit() : 0;
    f |= p.tunneled ? FlowFlag.TUNNEL.bit() : 0;
    f |= p.fragmented ? FlowFlag.FRAGMENTS.bit() : 0;
    f |= p.ipOptions ? FlowFlag.IP_OPTIONS.bit() : 0;
    return f;
  }

  private void trackTcpSetup(int tcpFlags, boolean fromInitiator, long time) {
    boolean syn = (tcpFlags & TCP_SYN) != 0;
    boolean ack = (tcpFlags & TCP_ACK) != 0;
    if (fromInitiator && syn && !ack && synTime < 0) {
      synTime = time;
    } else if (!fromInitiator && syn && ack && synAckTime < 0) {
      synAckTime = time;
    } else if (fromInitiator && ack && !syn && synAckTime >= 0 && ackTime < 0) {
      ackTime = time;
    }
  }

  boolean hasPending() {
    return spkts + dpkts > 0;
  }

  /** The record of everything since the last one; resets the deltas. */
  FlowRecord drain(FlowCause cause, SensorIdentity identity, long seq) {
    FlowRecord record =
        FlowRecord.newBuilder()
            .setSite(identity.site())
            .setSensorId(identity.sensorId())
            .setIface(identity.iface())
            .setSeq(seq)
            .setStime(pendingStime)
            .setLtime(pendingLtime)
            .setCause(cause)
            .setEtherType(etherType)
            .setProto(protocol)
            .setSaddr(saddr)
            .setDaddr(daddr)
            .setSport(icmpType == null ? sport : null)
            .setDport(icmpType == null ? dport : null)
            .setIcmpType(icmpType)
            .setIcmpCode(icmpCode)
            .setIcmpId(icmpId)
            .setSmac(smac)
            .setDmac(dmac)
            .setVlanIds(vlanIds)
            .setMplsLabels(mplsLabels)
            .setStos(stos)
            .setDtos(dtos)
            .setSttl(sttl)
            .setDttl(dttl)
            .setSpkts(spkts)
            .setDpkts(dpkts)
            .setSbytes(sbytes)
            .setDbytes(dbytes)
            .setSappbytes(sappbytes)
            .setDappbytes(dappbytes)
            .setState(state())
            .setDirection(direction())
            .setFlags(flags)
            .setSynAckMicros(synTime >= 0 && synAckTime >= 0 ? synAckTime - synTime : null)
            .setAckDatMicros(synAckTime >= 0 && ackTime >= 0 ? ackTime - synAckTime : null)
            .build();
    spkts = dpkts = sbytes = dbytes = sappbytes = dappbytes = 0;
    recordsEmitted++;
    return record;
  }

  private boolean isTcp() {
    return protocol != null && protocol == 6 && isIp();
  }

  private boolean isIp() {
    return etherType == PacketDecoder.ETHERTYPE_IPV4 || etherType == PacketDecoder.ETHERTYPE_IPV6;
  }

  /** A TCP connection that is over: reset, or closed by both sides. */
  boolean isClosed() {
    return isTcp()
        && (((initiatorTcpFlags | responderTcpFlags) & TCP_RST) != 0
            || ((initiatorTcpFlags & TCP_FIN) != 0 && (responderTcpFlags & TCP_FIN) != 0));
  }

  /**
   * Argus's state, by its precedence for TCP, as Argus 3.0.8 prints it after racluster: a FIN from
   * either side gives FIN (also when both sides closed), REQ only while the initiator has sent
   * nothing but SYNs and no answer came, ACC after SYN and SYN-ACK without the final ACK.
   */
  String state() {
    if (isTcp()) {
      int both = initiatorTcpFlags | responderTcpFlags;
      if ((both & TCP_RST) != 0) {
        return "RST";
      }
      if ((both & TCP_FIN) != 0) {
        return "FIN";
      }
      if (synTime >= 0 && synAckTime >= 0 && ackTime < 0 && !initiatorSentBeyondSyn) {
        return "ACC";
      }
      if (synTime >= 0 && !responderSent && !initiatorSentBeyondSyn) {
        return "REQ";
      }
      return "CON";
    }
    if (icmpType != null && isIp()) {
      return IcmpTypes.argusState(protocol, icmpType, icmpCode);
    }
    return responderSent ? "CON" : "INT";
  }

  /**
   * Argus's direction indicator. TCP: {@code ->} once the initiator's SYN was seen, whether or not
   * the other side answered; without the SYN, {@code ?>} (only the source sent), {@code <?} (only
   * the destination sent) or {@code <?>} (both). Other protocols: {@code <->} when both sent.
   */
  String direction() {
    if (etherType == PacketDecoder.ETHERTYPE_ARP) {
      return "who";
    }
    if (isTcp()) {
      if (synTime >= 0) {
        return "->";
      }
      if (initiatorSent && responderSent) {
        return "<?>";
      }
      return responderSent ? "<?" : "?>";
    }
    return responderSent ? "<->" : "->";
  }

  private static List<Integer> toList(int[] values, int count) {
    if (count == 0) {
      return List.of();
    }
    List<Integer> list = new ArrayList<>(count);
    Arrays.stream(values, 0, count).forEach(list::add);
    return list;
  }
}
