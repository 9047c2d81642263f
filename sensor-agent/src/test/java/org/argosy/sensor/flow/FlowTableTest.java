package org.argosy.sensor.flow;

import static org.argosy.sensor.TestFrames.IPV4_MORE_FRAGMENTS;
import static org.argosy.sensor.TestFrames.TCP_ACK;
import static org.argosy.sensor.TestFrames.TCP_FIN;
import static org.argosy.sensor.TestFrames.TCP_SYN;
import static org.argosy.sensor.TestFrames.ethernet;
import static org.argosy.sensor.TestFrames.ipv4;
import static org.argosy.sensor.TestFrames.ipv6Fragment;
import static org.argosy.sensor.TestFrames.tcp;
import static org.argosy.sensor.TestFrames.udp;
import static org.argosy.sensor.TestFrames.vxlan;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.MacAddress;
import org.argosy.query.FlowFlag;
import org.argosy.query.IpAddresses;
import org.argosy.sensor.decode.DecodedPacket;
import org.argosy.sensor.decode.LinkType;
import org.argosy.sensor.decode.PacketDecoder;
import org.junit.jupiter.api.Test;

/** Frames through the decoder into the flow table, records checked field by field. */
class FlowTableTest {

  private static final byte[] NONE = new byte[0];
  private static final int UDP = 17;
  private static final int TCP = 6;
  private static final int ICMP = 1;
  private static final int ETHERNET_HEADER = 14;
  private static final long SECOND = 1_000_000L;

  private final List<FlowRecord> records = new ArrayList<>();
  private final FlowTable table =
      new FlowTable(
          FlowTableConfig.withStatusInterval(5),
          new SensorIdentity("t", "t", "test"),
          SequenceNumbers.startingAt(0),
          (record, hash) -> records.add(record));
  private final PacketDecoder decoder = new PacketDecoder(LinkType.ETHERNET);
  private final DecodedPacket packet = new DecodedPacket();
  private long time = 1_000_000_000_000_000L;

  private void add(byte[] frame) {
    addTo(table, frame);
  }

  private void addTo(FlowTable into, byte[] frame) {
    assertThat(decoder.decode(frame, frame.length, packet)).isNull();
    into.add(packet, time += 1000, frame.length);
  }

  /** A TCP segment without payload, Ethernet and IPv4. */
  private void tcpSegment(String src, String dst, int srcPort, int dstPort, int flags) {
    add(ethernet(0x0800, ipv4(TCP, src, dst, 1, 0, tcp(srcPort, dstPort, flags, NONE))));
  }

  /** The frame with its MACs swapped, TOS and TTL set (Ethernet, IPv4). */
  private static byte[] reply(byte[] frame, int tos, int ttl) {
    byte[] copy = frame.clone();
    System.arraycopy(frame, 0, copy, 6, 6);
    System.arraycopy(frame, 6, copy, 0, 6);
    copy[ETHERNET_HEADER + 1] = (byte) tos;
    copy[ETHERNET_HEADER + 8] = (byte) ttl;
    return copy;
  }

  private static byte[] icmpEcho(int type, int id) {
    return ByteBuffer.allocate(8)
        .put((byte) type)
        .put((byte) 0)
        .putShort((short) 0)
        .putShort((short) id)
        .putShort((short) 1)
        .array();
  }

  private static byte[] vlanTagged(int vlan, byte[] ipv4) {
    byte[] tagged =
        ethernet(
            0x8100,
            ByteBuffer.allocate(4 + ipv4.length)
                .putShort((short) vlan)
                .putShort((short) 0x0800)
                .put(ipv4)
                .array());
    return tagged;
  }

  /** The one record emitted after the table is flushed, besides any checked before. */
  private FlowRecord only() {
    int before = records.size();
    table.flushAll();
    assertThat(records).hasSize(before + 1);
    return records.get(before);
  }

  @Test
  void laterIpv4FragmentsJoinTheFlowOfTheirFirstFragment() {
    // a 3000-byte UDP datagram in fragments of 1480 (UDP header + 1472), 1480 and 48 bytes
    add(
        ethernet(
            0x0800,
            ipv4(
                UDP,
                "10.0.0.1",
                "10.0.0.2",
                7,
                IPV4_MORE_FRAGMENTS,
                udp(5000, 53, 3000, new byte[1472]))));
    add(
        ethernet(
            0x0800,
            ipv4(UDP, "10.0.0.1", "10.0.0.2", 7, IPV4_MORE_FRAGMENTS | 185, new byte[1480])));
    add(ethernet(0x0800, ipv4(UDP, "10.0.0.1", "10.0.0.2", 7, 370, new byte[48])));

    FlowRecord r = only();
    assertThat(r.getSport()).isEqualTo(5000);
    assertThat(r.getDport()).isEqualTo(53);
    assertThat(r.getSpkts()).isEqualTo(3);
    assertThat(r.getSappbytes()).isEqualTo(3000);
    assertThat(r.getFlags() & FlowFlag.FRAGMENTS.bit()).isNotZero();
  }

  @Test
  void laterIpv6FragmentsJoinTheFlowOfTheirFirstFragment() {
    add(
        ethernet(
            0x86DD,
            ipv6Fragment(UDP, "fd00::1", "fd00::2", 77, 1, udp(5000, 53, 2000, new byte[1224]))));
    add(ethernet(0x86DD, ipv6Fragment(UDP, "fd00::1", "fd00::2", 77, 154 << 3, new byte[776])));

    FlowRecord r = only();
    assertThat(IpAddresses.format(r.getSaddr())).isEqualTo("fd00::1");
    assertThat(r.getDport()).isEqualTo(53);
    assertThat(r.getSpkts()).isEqualTo(2);
    assertThat(r.getSappbytes()).isEqualTo(2000);
  }

  @Test
  void aLaterFragmentWithoutItsFirstIsAFlowWithPortsZero() {
    add(ethernet(0x0800, ipv4(UDP, "10.0.0.1", "10.0.0.2", 9, 185, new byte[100])));

    FlowRecord r = only();
    assertThat(r.getSport()).isZero();
    assertThat(r.getDport()).isZero();
    assertThat(r.getSappbytes()).isEqualTo(100);
  }

  @Test
  void vxlanIsMeteredAsItsInnerConversationWithTheTunnelFlag() {
    byte[] inner =
        ethernet(
            0x0800, ipv4(TCP, "192.168.1.1", "192.168.1.2", 1, 0, tcp(40000, 443, TCP_SYN, NONE)));
    add(
        ethernet(
            0x0800,
            ipv4(
                UDP,
                "10.0.0.1",
                "10.0.0.2",
                2,
                0,
                udp(55555, 4789, 8 + inner.length, vxlan(inner)))));

    FlowRecord r = only();
    assertThat(IpAddresses.format(r.getSaddr())).isEqualTo("192.168.1.1");
    assertThat(r.getProto()).isEqualTo(TCP);
    assertThat(r.getDport()).isEqualTo(443);
    assertThat(r.getFlags() & FlowFlag.TUNNEL.bit()).isNotZero();
    assertThat(r.getState()).isEqualTo("REQ");
  }

  @Test
  void aConnectionClosedByBothSidesIsFinWithTheInitiatorsDirection() {
    tcpSegment("10.0.0.1", "10.0.0.2", 40000, 80, TCP_SYN);
    tcpSegment("10.0.0.2", "10.0.0.1", 80, 40000, TCP_SYN | TCP_ACK);
    tcpSegment("10.0.0.1", "10.0.0.2", 40000, 80, TCP_ACK | TCP_FIN);
    tcpSegment("10.0.0.2", "10.0.0.1", 80, 40000, TCP_ACK | TCP_FIN);

    FlowRecord r = only();
    assertThat(r.getState()).isEqualTo("FIN");
    assertThat(r.getDirection()).isEqualTo("->");
    assertThat(r.getSynAckMicros()).isEqualTo(1000);
  }

  @Test
  void aClosedConnectionEndsAfterTheLingerAndItsTupleStartsAFreshFlow() {
    tcpSegment("10.0.0.1", "10.0.0.2", 40000, 80, TCP_SYN);
    tcpSegment("10.0.0.1", "10.0.0.2", 40000, 80, TCP_ACK | TCP_FIN);
    tcpSegment("10.0.0.2", "10.0.0.1", 80, 40000, TCP_ACK | TCP_FIN);
    time += FlowTable.CLOSE_LINGER_MICROS + 5_000_000; // past the linger and a status boundary
    tcpSegment("10.0.0.1", "10.0.0.2", 40000, 80, TCP_SYN);

    assertThat(records).extracting(FlowRecord::getCause).containsExactly(FlowCause.END);
    assertThat(records.get(0).getState()).isEqualTo("FIN");
    assertThat(table.activeFlows()).isEqualTo(1);
    assertThat(only().getState()).isEqualTo("REQ");
  }

  @Test
  void aSegmentSentAgainIsARetransmission() {
    segment(40000, 1000);
    segment(40000, 1100);
    segment(40000, 1100);

    FlowRecord r = only();
    assertThat(r.getFlags() & FlowFlag.RETRANSMISSION.bit()).isNotZero();
    assertThat(r.getFlags() & FlowFlag.OUT_OF_ORDER.bit()).isZero();
  }

  @Test
  void aSegmentAheadOfTheStreamIsOutOfOrder() {
    segment(40001, 1000);
    segment(40001, 1200);

    FlowRecord r = only();
    assertThat(r.getFlags() & FlowFlag.OUT_OF_ORDER.bit()).isNotZero();
    assertThat(r.getFlags() & FlowFlag.RETRANSMISSION.bit()).isZero();
  }

  /** 100 bytes of data from the client port at {@code seq}. */
  private void segment(int port, int seq) {
    add(
        ethernet(
            0x0800,
            ipv4(TCP, "10.0.0.1", "10.0.0.2", 1, 0, tcp(port, 80, seq, TCP_ACK, new byte[100]))));
  }

  @Test
  void aConnectionCaughtMidStreamHasTheReservedPortAsDestination() {
    add(
        ethernet(
            0x0800,
            ipv4(TCP, "10.0.0.2", "10.0.0.1", 1, 0, tcp(22, 50000, TCP_ACK, new byte[10]))));

    FlowRecord r = only();
    assertThat(IpAddresses.format(r.getSaddr())).isEqualTo("10.0.0.1");
    assertThat(r.getDport()).isEqualTo(22);
    assertThat(r.getDirection()).isEqualTo("<?");
    assertThat(r.getState()).isEqualTo("CON");
  }

  @Test
  void tosTtlAndMacsAreKeptPerSideFromTheInitiatorsView() {
    byte[] synAck =
        reply(
            ethernet(
                0x0800,
                ipv4(TCP, "10.0.0.2", "10.0.0.1", 1, 0, tcp(80, 40000, TCP_SYN | TCP_ACK, NONE))),
            0x20,
            50);
    byte[] syn =
        ethernet(0x0800, ipv4(TCP, "10.0.0.1", "10.0.0.2", 1, 0, tcp(40000, 80, TCP_SYN, NONE)));
    add(synAck); // the answer first: the flow is still the client's
    add(syn);

    FlowRecord r = only();
    assertThat(IpAddresses.format(r.getSaddr())).isEqualTo("10.0.0.1");
    assertThat(r.getSport()).isEqualTo(40000);
    assertThat(r.getStos()).isEqualTo(0);
    assertThat(r.getSttl()).isEqualTo(64);
    assertThat(r.getDtos()).isEqualTo(0x20);
    assertThat(r.getDttl()).isEqualTo(50);
    assertThat(r.getSmac()).isEqualTo(new MacAddress(new byte[] {2, 0, 0, 0, 0, 1}));
    assertThat(r.getDmac()).isEqualTo(new MacAddress(new byte[] {2, 0, 0, 0, 0, 2}));
    assertThat(r.getSpkts()).isEqualTo(1);
    assertThat(r.getDpkts()).isEqualTo(1);
    assertThat(r.getFlags() & FlowFlag.ETHERNET.bit()).isNotZero();
  }

  @Test
  void vlanIdsTravelWithTheRecord() {
    add(vlanTagged(100, ipv4(UDP, "10.0.0.1", "10.0.0.2", 1, 0, udp(5000, 53, 4, new byte[4]))));

    FlowRecord r = only();
    assertThat(r.getVlanIds()).containsExactly(100);
    assertThat(r.getMplsLabels()).isEmpty();
    assertThat(r.getFlags() & FlowFlag.VLAN.bit()).isNotZero();
    assertThat(r.getSappbytes()).isEqualTo(4);
  }

  @Test
  void anEchoExchangeIsOneIcmpFlowWithTypeAndId() {
    add(ethernet(0x0800, ipv4(ICMP, "10.0.0.1", "10.0.0.2", 1, 0, icmpEcho(8, 77))));
    add(ethernet(0x0800, ipv4(ICMP, "10.0.0.2", "10.0.0.1", 1, 0, icmpEcho(0, 77))));

    FlowRecord r = only();
    assertThat(r.getIcmpType()).isEqualTo(8);
    assertThat(r.getIcmpCode()).isEqualTo(0);
    assertThat(r.getIcmpId()).isEqualTo(77);
    assertThat(r.getSport()).isNull();
    assertThat(r.getState()).isEqualTo("ECO");
    assertThat(r.getDirection()).isEqualTo("<->");
    assertThat(r.getSpkts() + r.getDpkts()).isEqualTo(2);
  }

  @Test
  void statusRecordsAreCutAtEpochAlignedBoundariesWithDeltasAndSequenceNumbers() {
    time = 1_000_000_000L * SECOND + 4 * SECOND; // one second before a 5 s boundary
    byte[] datagram =
        ethernet(0x0800, ipv4(UDP, "10.0.0.1", "10.0.0.2", 1, 0, udp(5000, 53, 0, NONE)));
    add(datagram);
    add(datagram);
    time += SECOND; // into the next slot
    add(datagram);
    time += 5 * SECOND;
    add(datagram);

    assertThat(records).hasSize(2);
    FlowRecord first = records.get(0);
    assertThat(first.getCause()).isEqualTo(FlowCause.START);
    assertThat(first.getSpkts()).isEqualTo(2);
    assertThat(first.getStime()).isEqualTo(1_000_000_004_001_000L);
    assertThat(first.getLtime()).isEqualTo(1_000_000_004_002_000L);
    FlowRecord second = records.get(1);
    assertThat(second.getCause()).isEqualTo(FlowCause.STATUS);
    assertThat(second.getSpkts()).isEqualTo(1);
    assertThat(second.getSeq()).isEqualTo(first.getSeq() + 1);
    assertThat(only().getSpkts()).isEqualTo(1);
  }

  @Test
  void aFlowIdleBeyondItsProtocolsTimeoutLeavesTheTable() {
    add(ethernet(0x0800, ipv4(UDP, "10.0.0.1", "10.0.0.2", 1, 0, udp(5000, 53, 0, NONE))));
    time += 10 * SECOND;
    add(ethernet(0x0800, ipv4(UDP, "10.0.0.3", "10.0.0.4", 1, 0, udp(5000, 53, 0, NONE))));
    assertThat(table.activeFlows()).isEqualTo(2);

    time += 21 * SECOND; // the first flow is quiet for 31 s, past UDP's 30 s; the second 21 s
    add(ethernet(0x0800, ipv4(UDP, "10.0.0.5", "10.0.0.6", 1, 0, udp(5000, 53, 0, NONE))));

    assertThat(table.activeFlows()).isEqualTo(2);
    assertThat(records)
        .extracting(FlowRecord::getCause)
        .containsExactly(FlowCause.START, FlowCause.START);
  }

  @Test
  void aFullTableEvictsItsLeastRecentlyUsedFlow() {
    FlowTable small =
        new FlowTable(
            new FlowTableConfig(5 * SECOND, 60 * SECOND, 30 * SECOND, 5 * SECOND, 5 * SECOND, 2),
            new SensorIdentity("t", "t", "test"),
            SequenceNumbers.startingAt(0),
            (record, hash) -> records.add(record));
    byte[] a = ethernet(0x0800, ipv4(UDP, "10.0.0.1", "10.0.0.2", 1, 0, udp(1, 53, 0, NONE)));
    byte[] b = ethernet(0x0800, ipv4(UDP, "10.0.0.1", "10.0.0.2", 1, 0, udp(2, 53, 0, NONE)));
    byte[] c = ethernet(0x0800, ipv4(UDP, "10.0.0.1", "10.0.0.2", 1, 0, udp(3, 53, 0, NONE)));
    addTo(small, a);
    addTo(small, b);
    addTo(small, a); // b is now the least recently used
    addTo(small, c);

    assertThat(records).hasSize(1);
    assertThat(records.get(0).getCause()).isEqualTo(FlowCause.EVICTED);
    assertThat(records.get(0).getSport()).isEqualTo(2);
    assertThat(small.activeFlows()).isEqualTo(2);
    assertThat(small.evictedFlows()).isEqualTo(1);
  }

  /**
   * A connection that goes quiet without FIN or RST, its packets not yet reported when the idle
   * timeout cuts it (a capture or an interface that falls silent for longer than the timeout, or a
   * timeout shorter than the status interval), reports TIM, as argus-semantics.md ranks it: below
   * RST and FIN, above CON, ACC and REQ. Argus 3.0.8 itself prints CON for it (measured with argus
   * -r on such a capture, also with -S longer than the gap): see the sensor README.
   */
  @Test
  void aConnectionCutByTheIdleTimeoutWithoutFinOrRstIsTim() {
    tcpSegment("10.0.0.1", "10.0.0.2", 40000, 80, TCP_SYN);
    tcpSegment("10.0.0.2", "10.0.0.1", 80, 40000, TCP_SYN | TCP_ACK);
    add(
        ethernet(
            0x0800,
            ipv4(TCP, "10.0.0.1", "10.0.0.2", 2, 0, tcp(40000, 80, 2, TCP_ACK, new byte[10]))));
    tcpSegment("10.0.0.3", "10.0.0.4", 40001, 80, TCP_SYN);
    tcpSegment("10.0.0.3", "10.0.0.4", 40001, 80, TCP_ACK | TCP_FIN);
    time += 61 * SECOND; // silence past TCP's 60 s
    add(ethernet(0x0800, ipv4(UDP, "10.0.0.5", "10.0.0.6", 1, 0, udp(5000, 53, 0, NONE))));

    assertThat(records).hasSize(2);
    FlowRecord quiet = records.get(0);
    assertThat(quiet.getCause()).isEqualTo(FlowCause.TIMEOUT);
    assertThat(quiet.getState()).isEqualTo("TIM");
    assertThat(quiet.getSpkts()).isEqualTo(2);
    assertThat(quiet.getDpkts()).isEqualTo(1);
    FlowRecord halfClosed = records.get(1);
    assertThat(halfClosed.getCause()).isEqualTo(FlowCause.TIMEOUT);
    assertThat(halfClosed.getState()).isEqualTo("FIN");
    assertThat(table.activeFlows()).isEqualTo(1);
    assertThat(only().getState()).isEqualTo("INT");
  }

  @Test
  void aConnectionWhoseRecordsWereAllCutBeforeItsTimeoutIsNotTim() {
    tcpSegment("10.0.0.1", "10.0.0.2", 40000, 80, TCP_SYN);
    time += 6 * SECOND; // a status boundary reports the SYN
    add(ethernet(0x0800, ipv4(UDP, "10.0.0.5", "10.0.0.6", 1, 0, udp(5000, 53, 0, NONE))));
    time += 61 * SECOND; // the connection times out with nothing left to report
    add(ethernet(0x0800, ipv4(UDP, "10.0.0.5", "10.0.0.6", 1, 0, udp(5000, 53, 0, NONE))));

    assertThat(records).extracting(FlowRecord::getState).containsExactly("REQ", "INT");
    assertThat(table.activeFlows()).isEqualTo(1);
  }
}
