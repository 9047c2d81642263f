package org.argosy.sensor.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.IpAddress;
import org.argosy.avro.MacAddress;
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

  static final int FLAG_ETHERNET = 1;
  static final int FLAG_VLAN = 2;
  static final int FLAG_MPLS = 4;
  static final int FLAG_FRAGMENTS = 64;
  static final int FLAG_IP_OPTIONS = 128;

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
  private boolean responderSent;
  private int initiatorTcpFlags;
  private int responderTcpFlags;
  private int flags;
  private Integer stos;
  private Integer dtos;
  private Integer sttl;
  private Integer dttl;
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

  /** A flow first seen by its answer (SYN-ACK, echo reply) was started by the other side. */
  private static boolean startsWithAnswer(DecodedPacket p) {
    if (p.protocol == 6) {
      return (p.tcpFlags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK);
    }
    return p.icmpType >= 0
        && ((p.protocol == IcmpTypes.PROTO_ICMP && p.icmpType == ECHO_REPLY_V4)
            || (p.protocol == IcmpTypes.PROTO_ICMPV6 && p.icmpType == ECHO_REPLY_V6));
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
    if (p.protocol == 6) {
      trackTcpSetup(p.tcpFlags, fromInitiator, timeMicros);
    }
  }

  private static int encapsulationFlags(DecodedPacket p) {
    int f = p.hasMacs ? FLAG_ETHERNET : 0;
    f |= p.vlanCount > 0 ? FLAG_VLAN : 0;
    f |= p.mplsCount > 0 ? FLAG_MPLS : 0;
    f |= p.fragmented ? FLAG_FRAGMENTS : 0;
    f |= p.ipOptions ? FLAG_IP_OPTIONS : 0;
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

  /** Argus's state, by its precedence for TCP. */
  String state() {
    if (isTcp()) {
      int both = initiatorTcpFlags | responderTcpFlags;
      if ((both & TCP_RST) != 0) {
        return "RST";
      }
      if ((initiatorTcpFlags & TCP_FIN) != 0 && (responderTcpFlags & TCP_FIN) != 0) {
        return "CLO";
      }
      if ((both & TCP_FIN) != 0) {
        return "FIN";
      }
      if (synAckTime >= 0 && ackTime < 0) {
        return "ACC";
      }
      if (synTime >= 0 && synAckTime < 0 && !responderSent) {
        return "REQ";
      }
      return "CON";
    }
    if (icmpType != null && isIp()) {
      return IcmpTypes.argusState(protocol, icmpType);
    }
    return responderSent ? "CON" : "INT";
  }

  /** Argus's direction indicator. */
  String direction() {
    if (etherType == PacketDecoder.ETHERTYPE_ARP) {
      return "who";
    }
    if (isTcp() && synTime < 0 && synAckTime < 0) {
      return responderSent ? "<?>" : "?>";
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
