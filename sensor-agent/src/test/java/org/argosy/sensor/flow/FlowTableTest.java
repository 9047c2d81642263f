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

import java.util.ArrayList;
import java.util.List;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
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
    assertThat(decoder.decode(frame, frame.length, packet)).isNull();
    table.add(packet, time += 1000, frame.length);
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
    add(ethernet(0x0800, ipv4(TCP, "10.0.0.1", "10.0.0.2", 1, 0, tcp(40000, 80, TCP_SYN, NONE))));
    add(
        ethernet(
            0x0800,
            ipv4(TCP, "10.0.0.2", "10.0.0.1", 1, 0, tcp(80, 40000, TCP_SYN | TCP_ACK, NONE))));
    add(
        ethernet(
            0x0800,
            ipv4(TCP, "10.0.0.1", "10.0.0.2", 2, 0, tcp(40000, 80, TCP_ACK | TCP_FIN, NONE))));
    add(
        ethernet(
            0x0800,
            ipv4(TCP, "10.0.0.2", "10.0.0.1", 2, 0, tcp(80, 40000, TCP_ACK | TCP_FIN, NONE))));

    FlowRecord r = only();
    assertThat(r.getState()).isEqualTo("FIN");
    assertThat(r.getDirection()).isEqualTo("->");
    assertThat(r.getSynAckMicros()).isEqualTo(1000);
  }

  @Test
  void aClosedConnectionEndsAfterTheLingerAndItsTupleStartsAFreshFlow() {
    add(ethernet(0x0800, ipv4(TCP, "10.0.0.1", "10.0.0.2", 1, 0, tcp(40000, 80, TCP_SYN, NONE))));
    add(
        ethernet(
            0x0800,
            ipv4(TCP, "10.0.0.1", "10.0.0.2", 2, 0, tcp(40000, 80, TCP_ACK | TCP_FIN, NONE))));
    add(
        ethernet(
            0x0800,
            ipv4(TCP, "10.0.0.2", "10.0.0.1", 1, 0, tcp(80, 40000, TCP_ACK | TCP_FIN, NONE))));
    time += FlowTable.CLOSE_LINGER_MICROS + 5_000_000; // past the linger and a status boundary
    add(ethernet(0x0800, ipv4(TCP, "10.0.0.1", "10.0.0.2", 3, 0, tcp(40000, 80, TCP_SYN, NONE))));

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
}
