package org.argosy.sensor.flow;

import static org.argosy.sensor.flow.FlowSlab.ACK_TIME;
import static org.argosy.sensor.flow.FlowSlab.BITS;
import static org.argosy.sensor.flow.FlowSlab.DAPPBYTES;
import static org.argosy.sensor.flow.FlowSlab.DBYTES;
import static org.argosy.sensor.flow.FlowSlab.DPKTS;
import static org.argosy.sensor.flow.FlowSlab.FLOW_FLAGS;
import static org.argosy.sensor.flow.FlowSlab.ICMP;
import static org.argosy.sensor.flow.FlowSlab.INITIATOR_NEXT_SEQ;
import static org.argosy.sensor.flow.FlowSlab.INTS;
import static org.argosy.sensor.flow.FlowSlab.KEY;
import static org.argosy.sensor.flow.FlowSlab.LAST_SEEN;
import static org.argosy.sensor.flow.FlowSlab.LONGS;
import static org.argosy.sensor.flow.FlowSlab.MACS;
import static org.argosy.sensor.flow.FlowSlab.PENDING_LTIME;
import static org.argosy.sensor.flow.FlowSlab.PENDING_STIME;
import static org.argosy.sensor.flow.FlowSlab.RESPONDER_NEXT_SEQ;
import static org.argosy.sensor.flow.FlowSlab.SAPPBYTES;
import static org.argosy.sensor.flow.FlowSlab.SBYTES;
import static org.argosy.sensor.flow.FlowSlab.SPKTS;
import static org.argosy.sensor.flow.FlowSlab.SYN_ACK_TIME;
import static org.argosy.sensor.flow.FlowSlab.SYN_TIME;
import static org.argosy.sensor.flow.FlowSlab.TCP_FLAGS;
import static org.argosy.sensor.flow.FlowSlab.TOS_TTL;

import java.util.ArrayList;
import java.util.List;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.IpAddress;
import org.argosy.avro.MacAddress;
import org.argosy.query.FlowFlag;
import org.argosy.sensor.decode.DecodedPacket;
import org.argosy.sensor.decode.PacketDecoder;

/**
 * The metering rules of one conversation, applied to its slot in the {@link FlowSlab}: its identity
 * as first seen (oriented from the initiator), the counters since its last record, and the lifetime
 * facts that give Argus's state and direction. Nothing is allocated per packet; a record's objects
 * are built only when it is drained.
 */
final class FlowMeter {

  private static final int TCP_FIN = 0x01;
  private static final int TCP_SYN = 0x02;
  private static final int TCP_RST = 0x04;
  private static final int TCP_ACK = 0x10;
  private static final int ECHO_REPLY_V4 = 0;
  private static final int ECHO_REPLY_V6 = 129;
  private static final int RESERVED_PORTS = 1024;
  private static final int PROTO_TCP = 6;

  // BITS: facts of the flow's identity and life
  /** Packets from the low end of the key come from the initiator (the Argus source). */
  static final int INITIATOR_IS_LOW = 1;

  static final int HAS_ADDRESSES = 1 << 1;
  static final int HAS_MACS = 1 << 2;
  static final int HAS_PORTS = 1 << 3;
  static final int HAS_PROTOCOL = 1 << 4;
  static final int HAS_ICMP = 1 << 5;
  static final int HAS_ICMP_ID = 1 << 6;
  static final int INITIATOR_SENT = 1 << 7;
  static final int RESPONDER_SENT = 1 << 8;

  /** The initiator sent something other than a bare SYN: the connection is past REQ. */
  static final int INITIATOR_BEYOND_SYN = 1 << 9;

  static final int EMITTED = 1 << 10;
  static final int HAS_SOURCE_TOS = 1 << 11;
  static final int HAS_DESTINATION_TOS = 1 << 12;
  static final int HAS_INITIATOR_SEQ = 1 << 13;
  static final int HAS_RESPONDER_SEQ = 1 << 14;

  // TCP_FLAGS: the flags each side ever sent
  private static final int INITIATOR_TCP_SHIFT = 8;
  // TOS_TTL: source TOS, source TTL, destination TOS, destination TTL, a byte each
  private static final int SOURCE_TOS_TTL_SHIFT = 16;
  // ICMP: type, code, echo id
  private static final int ICMP_TYPE_SHIFT = 24;
  private static final int ICMP_CODE_SHIFT = 16;
  // labels: the VLAN count, the VLAN ids, then the MPLS labels
  private static final int VLAN_COUNT = 0;

  private final FlowSlab slab;

  FlowMeter(FlowSlab slab) {
    this.slab = slab;
  }

  /** Sets up the fresh {@code slot} of {@code key} from the flow's first packet. */
  void start(int slot, FlowKey key, DecodedPacket first) {
    long[] longs = slab.longs;
    int[] ints = slab.ints;
    int l = slot * LONGS;
    int i = slot * INTS;
    boolean firstFromInitiator = !startsWithAnswer(first);
    boolean initiatorIsLow = key.packetFromLow() == firstFromInitiator;
    int bits = initiatorIsLow ? INITIATOR_IS_LOW : 0;
    bits |= first.hasAddresses ? HAS_ADDRESSES : 0;
    bits |= first.srcPort >= 0 ? HAS_PORTS : 0;
    bits |= first.protocol >= 0 ? HAS_PROTOCOL : 0;
    if (first.hasMacs) {
      bits |= HAS_MACS;
      longs[l + MACS] = mac(firstFromInitiator ? first.srcMac : first.dstMac);
      longs[l + MACS + 1] = mac(firstFromInitiator ? first.dstMac : first.srcMac);
    }
    if (first.icmpType >= 0) {
      boolean echo = IcmpTypes.isEcho(first.protocol, first.icmpType);
      bits |= HAS_ICMP | (echo ? HAS_ICMP_ID : 0);
      ints[i + ICMP] =
          first.icmpType << ICMP_TYPE_SHIFT
              | (first.icmpCode & 0xFF) << ICMP_CODE_SHIFT
              | (first.icmpId & 0xFFFF);
    }
    ints[i + BITS] = bits;
    longs[l + SYN_TIME] = -1;
    longs[l + SYN_ACK_TIME] = -1;
    longs[l + ACK_TIME] = -1;
    if (first.vlanCount > 0 || first.mplsCount > 0) {
      int[] labels = new int[1 + first.vlanCount + first.mplsCount];
      labels[VLAN_COUNT] = first.vlanCount;
      System.arraycopy(first.vlanIds, 0, labels, 1, first.vlanCount);
      System.arraycopy(first.mplsLabels, 0, labels, 1 + first.vlanCount, first.mplsCount);
      slab.labels[slot] = labels;
    }
  }

  private static long mac(byte[] mac) {
    long value = 0;
    for (int k = 0; k < 6; k++) {
      value = value << 8 | (mac[k] & 0xFF);
    }
    return value;
  }

  /**
   * A flow first seen by its answer (SYN-ACK, echo reply) was started by the other side. So was a
   * TCP conversation caught mid-stream whose first packet comes from a server port, as Argus 3.0.8
   * orients it (measured on the shared corpus): a reserved port (below 1024) facing an unreserved
   * one, or the lower of two reserved ports, is the server's.
   */
  private static boolean startsWithAnswer(DecodedPacket p) {
    if (p.protocol == PROTO_TCP) {
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

  /** Meters one packet of the flow in {@code slot}. */
  void add(int slot, DecodedPacket p, boolean packetFromLow, long timeMicros, long wireLength) {
    long[] longs = slab.longs;
    int[] ints = slab.ints;
    int l = slot * LONGS;
    int i = slot * INTS;
    int bits = ints[i + BITS];
    boolean fromInitiator = packetFromLow == ((bits & INITIATOR_IS_LOW) != 0);
    if (!hasPending(slot)) {
      longs[l + PENDING_STIME] = timeMicros;
      longs[l + PENDING_LTIME] = timeMicros;
    }
    longs[l + PENDING_STIME] = Math.min(longs[l + PENDING_STIME], timeMicros);
    longs[l + PENDING_LTIME] = Math.max(longs[l + PENDING_LTIME], timeMicros);
    longs[l + LAST_SEEN] = Math.max(longs[l + LAST_SEEN], timeMicros);
    int side = fromInitiator ? 0 : 1;
    longs[l + SPKTS + side]++;
    longs[l + SBYTES + side] += wireLength;
    longs[l + SAPPBYTES + side] += p.payloadLength;
    int tcpShift = fromInitiator ? INITIATOR_TCP_SHIFT : 0;
    ints[i + TCP_FLAGS] |= (p.tcpFlags & 0xFF) << tcpShift;
    if (fromInitiator) {
      bits |= INITIATOR_SENT;
      if (p.protocol != PROTO_TCP || (p.tcpFlags & (TCP_SYN | TCP_ACK)) != TCP_SYN) {
        bits |= INITIATOR_BEYOND_SYN;
      }
    } else {
      bits |= RESPONDER_SENT;
    }
    if (p.tos >= 0) {
      int shift = fromInitiator ? SOURCE_TOS_TTL_SHIFT : 0;
      int tosTtl = (p.tos & 0xFF) << 8 | (p.ttl & 0xFF);
      ints[i + TOS_TTL] = ints[i + TOS_TTL] & ~(0xFFFF << shift) | tosTtl << shift;
      bits |= fromInitiator ? HAS_SOURCE_TOS : HAS_DESTINATION_TOS;
    }
    ints[i + BITS] = bits;
    ints[i + FLOW_FLAGS] |= encapsulationFlags(p);
    if (p.protocol == PROTO_TCP && !p.laterFragment) {
      trackTcpSetup(l, p.tcpFlags, fromInitiator, timeMicros);
      trackSequence(i, p, fromInitiator);
    }
  }

  /**
   * Flags a segment that starts below what its side already sent as a retransmission, and one that
   * starts beyond it (a gap: lost before the sensor, or reordered) as out of order. Only segments
   * that consume sequence space count (data, SYN, FIN); comparisons are modulo 2^32.
   */
  private void trackSequence(int i, DecodedPacket p, boolean fromInitiator) {
    int seqFlags = p.tcpFlags & (TCP_SYN | TCP_FIN);
    if (p.payloadLength == 0 && seqFlags == 0) {
      return;
    }
    int[] ints = slab.ints;
    int end = (int) (p.tcpSeq + p.payloadLength + (seqFlags != 0 ? 1 : 0));
    int field = i + (fromInitiator ? INITIATOR_NEXT_SEQ : RESPONDER_NEXT_SEQ);
    int seen = fromInitiator ? HAS_INITIATOR_SEQ : HAS_RESPONDER_SEQ;
    boolean known = (ints[i + BITS] & seen) != 0;
    int next = ints[field];
    if (known) {
      int offset = (int) p.tcpSeq - next;
      ints[i + FLOW_FLAGS] |=
          offset < 0 ? FlowFlag.RETRANSMISSION.bit() : offset > 0 ? FlowFlag.OUT_OF_ORDER.bit() : 0;
    }
    if (!known || end - next > 0) {
      ints[field] = end;
      ints[i + BITS] |= seen;
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

  private void trackTcpSetup(int l, int tcpFlags, boolean fromInitiator, long time) {
    long[] longs = slab.longs;
    boolean syn = (tcpFlags & TCP_SYN) != 0;
    boolean ack = (tcpFlags & TCP_ACK) != 0;
    if (fromInitiator && syn && !ack && longs[l + SYN_TIME] < 0) {
      longs[l + SYN_TIME] = time;
    } else if (!fromInitiator && syn && ack && longs[l + SYN_ACK_TIME] < 0) {
      longs[l + SYN_ACK_TIME] = time;
    } else if (fromInitiator
        && ack
        && !syn
        && longs[l + SYN_ACK_TIME] >= 0
        && longs[l + ACK_TIME] < 0) {
      longs[l + ACK_TIME] = time;
    }
  }

  boolean hasPending(int slot) {
    int l = slot * LONGS;
    return slab.longs[l + SPKTS] + slab.longs[l + DPKTS] > 0;
  }

  long lastSeen(int slot) {
    return slab.longs[slot * LONGS + LAST_SEEN];
  }

  /** Whether a record of this flow was emitted before. */
  boolean hasEmitted(int slot) {
    return (slab.ints[slot * INTS + BITS] & EMITTED) != 0;
  }

  int etherType(int slot) {
    return FlowKey.etherType(slab.longs[slot * LONGS + KEY + FlowKey.TYPE_PORTS]);
  }

  int protocol(int slot) {
    return FlowKey.protocol(slab.longs[slot * LONGS + KEY + FlowKey.TYPE_PORTS]);
  }

  long conversationHash(int slot) {
    return FlowKey.conversationHash(slab.longs, slot * LONGS + KEY);
  }

  private boolean isTcp(int slot) {
    return FlowKey.isIp(etherType(slot)) && protocol(slot) == PROTO_TCP;
  }

  private int tcpFlagsOfBothSides(int slot) {
    int flags = slab.ints[slot * INTS + TCP_FLAGS];
    return (flags | flags >>> INITIATOR_TCP_SHIFT) & 0xFF;
  }

  /** A TCP connection that is over: reset, or closed by both sides. */
  boolean isClosed(int slot) {
    if (!isTcp(slot)) {
      return false;
    }
    int flags = slab.ints[slot * INTS + TCP_FLAGS];
    boolean initiatorFin = (flags >>> INITIATOR_TCP_SHIFT & TCP_FIN) != 0;
    boolean responderFin = (flags & TCP_FIN) != 0;
    return (tcpFlagsOfBothSides(slot) & TCP_RST) != 0 || (initiatorFin && responderFin);
  }

  /** The record of everything since the last one; resets the deltas. */
  FlowRecord drain(int slot, FlowCause cause, SensorIdentity identity, long seq) {
    long[] longs = slab.longs;
    int[] ints = slab.ints;
    int l = slot * LONGS;
    int i = slot * INTS;
    int bits = ints[i + BITS];
    boolean initiatorIsLow = (bits & INITIATOR_IS_LOW) != 0;
    long typePorts = longs[l + KEY + FlowKey.TYPE_PORTS];
    int sourceAddress = initiatorIsLow ? FlowKey.LOW_ADDRESS_HIGH : FlowKey.HIGH_ADDRESS_HIGH;
    int destinationAddress = initiatorIsLow ? FlowKey.HIGH_ADDRESS_HIGH : FlowKey.LOW_ADDRESS_HIGH;
    boolean ports = (bits & HAS_PORTS) != 0 && (bits & HAS_ICMP) == 0;
    boolean icmp = (bits & HAS_ICMP) != 0;
    int icmpFields = ints[i + ICMP];
    int tosTtl = ints[i + TOS_TTL];
    boolean sourceTos = (bits & HAS_SOURCE_TOS) != 0;
    boolean destinationTos = (bits & HAS_DESTINATION_TOS) != 0;
    long synTime = longs[l + SYN_TIME];
    long synAckTime = longs[l + SYN_ACK_TIME];
    long ackTime = longs[l + ACK_TIME];
    int[] labels = slab.labels[slot];
    int vlanCount = labels == null ? 0 : labels[VLAN_COUNT];

    FlowRecord record = new FlowRecord();
    record.setSite(identity.site());
    record.setSensorId(identity.sensorId());
    record.setIface(identity.iface());
    record.setSeq(seq);
    record.setStime(longs[l + PENDING_STIME]);
    record.setLtime(longs[l + PENDING_LTIME]);
    record.setCause(cause);
    record.setEtherType(FlowKey.etherType(typePorts));
    record.setProto((bits & HAS_PROTOCOL) != 0 ? FlowKey.protocol(typePorts) : null);
    record.setSaddr((bits & HAS_ADDRESSES) != 0 ? address(l + KEY + sourceAddress) : null);
    record.setDaddr((bits & HAS_ADDRESSES) != 0 ? address(l + KEY + destinationAddress) : null);
    int lowPort = FlowKey.lowPort(typePorts);
    int highPort = FlowKey.highPort(typePorts);
    record.setSport(ports ? (initiatorIsLow ? lowPort : highPort) : null);
    record.setDport(ports ? (initiatorIsLow ? highPort : lowPort) : null);
    record.setIcmpType(icmp ? icmpFields >>> ICMP_TYPE_SHIFT : null);
    record.setIcmpCode(icmp ? icmpFields >>> ICMP_CODE_SHIFT & 0xFF : null);
    record.setIcmpId((bits & HAS_ICMP_ID) != 0 ? icmpFields & 0xFFFF : null);
    record.setSmac((bits & HAS_MACS) != 0 ? macAddress(longs[l + MACS]) : null);
    record.setDmac((bits & HAS_MACS) != 0 ? macAddress(longs[l + MACS + 1]) : null);
    record.setVlanIds(toList(labels, 1, vlanCount));
    record.setMplsLabels(
        toList(labels, 1 + vlanCount, labels == null ? 0 : labels.length - 1 - vlanCount));
    record.setStos(sourceTos ? tosTtl >>> 24 : null);
    record.setSttl(sourceTos ? tosTtl >>> 16 & 0xFF : null);
    record.setDtos(destinationTos ? tosTtl >>> 8 & 0xFF : null);
    record.setDttl(destinationTos ? tosTtl & 0xFF : null);
    record.setSpkts(longs[l + SPKTS]);
    record.setDpkts(longs[l + DPKTS]);
    record.setSbytes(longs[l + SBYTES]);
    record.setDbytes(longs[l + DBYTES]);
    record.setSappbytes(longs[l + SAPPBYTES]);
    record.setDappbytes(longs[l + DAPPBYTES]);
    record.setState(state(slot, cause));
    record.setDirection(direction(slot));
    record.setFlags(ints[i + FLOW_FLAGS]);
    record.setSynAckMicros(synTime >= 0 && synAckTime >= 0 ? synAckTime - synTime : null);
    record.setAckDatMicros(synAckTime >= 0 && ackTime >= 0 ? ackTime - synAckTime : null);

    for (int k = SPKTS; k <= DAPPBYTES; k++) {
      longs[l + k] = 0;
    }
    ints[i + BITS] = bits | EMITTED;
    return record;
  }

  private IpAddress address(int at) {
    return new IpAddress(FlowKey.address(slab.longs[at], slab.longs[at + 1]));
  }

  private static MacAddress macAddress(long mac) {
    byte[] bytes = new byte[6];
    for (int k = 0; k < 6; k++) {
      bytes[k] = (byte) (mac >>> (8 * (5 - k)));
    }
    return new MacAddress(bytes);
  }

  private static List<Integer> toList(int[] values, int from, int count) {
    if (count == 0) {
      return List.of();
    }
    List<Integer> list = new ArrayList<>(count);
    for (int k = from; k < from + count; k++) {
      list.add(values[k]);
    }
    return list;
  }

  /**
   * Argus's state, by its precedence for TCP, as Argus 3.0.8 prints it after racluster: a FIN from
   * either side gives FIN (also when both sides closed); TIM for the record that the idle timeout
   * cuts (a connection that went quiet without FIN or RST, with packets since its last record:
   * records are only cut with packets); REQ only while the initiator has sent nothing but SYNs and
   * no answer came, ACC after SYN and SYN-ACK without the final ACK.
   */
  String state(int slot, FlowCause cause) {
    int bits = slab.ints[slot * INTS + BITS];
    if (isTcp(slot)) {
      int l = slot * LONGS;
      long synTime = slab.longs[l + SYN_TIME];
      long synAckTime = slab.longs[l + SYN_ACK_TIME];
      int both = tcpFlagsOfBothSides(slot);
      boolean beyondSyn = (bits & INITIATOR_BEYOND_SYN) != 0;
      if ((both & TCP_RST) != 0) {
        return "RST";
      }
      if ((both & TCP_FIN) != 0) {
        return "FIN";
      }
      if (cause == FlowCause.TIMEOUT) {
        return "TIM";
      }
      if (synTime >= 0 && synAckTime >= 0 && slab.longs[l + ACK_TIME] < 0 && !beyondSyn) {
        return "ACC";
      }
      if (synTime >= 0 && (bits & RESPONDER_SENT) == 0 && !beyondSyn) {
        return "REQ";
      }
      return "CON";
    }
    int etherType = etherType(slot);
    if ((bits & HAS_ICMP) != 0 && FlowKey.isIp(etherType)) {
      int icmp = slab.ints[slot * INTS + ICMP];
      return IcmpTypes.argusState(
          protocol(slot), icmp >>> ICMP_TYPE_SHIFT, icmp >>> ICMP_CODE_SHIFT & 0xFF);
    }
    return (bits & RESPONDER_SENT) != 0 ? "CON" : "INT";
  }

  /**
   * Argus's direction indicator. TCP: {@code ->} once the initiator's SYN was seen, whether or not
   * the other side answered; without the SYN, {@code ?>} (only the source sent), {@code <?} (only
   * the destination sent) or {@code <?>} (both). Other protocols: {@code <->} when both sent.
   */
  String direction(int slot) {
    int bits = slab.ints[slot * INTS + BITS];
    boolean responderSent = (bits & RESPONDER_SENT) != 0;
    if (etherType(slot) == PacketDecoder.ETHERTYPE_ARP) {
      return "who";
    }
    if (isTcp(slot)) {
      if (slab.longs[slot * LONGS + SYN_TIME] >= 0) {
        return "->";
      }
      if ((bits & INITIATOR_SENT) != 0 && responderSent) {
        return "<?>";
      }
      return responderSent ? "<?" : "?>";
    }
    return responderSent ? "<->" : "->";
  }
}
