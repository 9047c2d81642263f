package org.argosy.sensor.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {

  /**
   * Ethernet, 802.1Q vlan 100, IPv4 10.0.0.1 -> 10.0.0.2, TCP 40000 -> 443 SYN, 4 payload bytes.
   */
  static final byte[] VLAN_TCP =
      HexFormat.of()
          .parseHex(
              "0200000000020200000000018100006408004500002c1234400040060000"
                  + "0a0000010a0000029c4001bb00000001000000005002ffff0000000061626364");

  private final PacketDecoder decoder = new PacketDecoder(LinkType.ETHERNET);
  private final DecodedPacket packet = new DecodedPacket();

  @Test
  void decodesVlanTaggedTcp() {
    assertThat(decoder.decode(VLAN_TCP, VLAN_TCP.length, packet)).isNull();
    assertThat(packet.etherType).isEqualTo(PacketDecoder.ETHERTYPE_IPV4);
    assertThat(packet.vlanCount).isEqualTo(1);
    assertThat(packet.vlanIds[0]).isEqualTo(100);
    assertThat(packet.protocol).isEqualTo(6);
    assertThat(packet.srcPort).isEqualTo(40000);
    assertThat(packet.dstPort).isEqualTo(443);
    assertThat(packet.tcpFlags).isEqualTo(0x02);
    assertThat(packet.payloadLength).isEqualTo(4);
    assertThat(packet.ttl).isEqualTo(64);
    assertThat(packet.srcAddr[15]).isEqualTo((byte) 1);
    assertThat(packet.srcAddr[10]).isEqualTo((byte) 0xff);
  }

  @Test
  void everyTruncationIsASkipReasonNotAnException() {
    for (int length = 0; length < VLAN_TCP.length - 4; length++) {
      SkipReason reason = decoder.decode(VLAN_TCP, length, packet);
      assertThat(reason).as("truncated to %d bytes", length).isNotNull();
    }
  }

  @Test
  void randomFramesNeverThrow() {
    Random random = new Random(42);
    for (LinkType linkType : LinkType.values()) {
      PacketDecoder anyLink = new PacketDecoder(linkType);
      for (int i = 0; i < 50_000; i++) {
        byte[] frame = new byte[random.nextInt(200)];
        random.nextBytes(frame);
        if (frame.length > 13 && random.nextBoolean()) {
          frame[12] = (byte) 0x81; // steer some frames into the VLAN/MPLS paths
          frame[13] = (byte) (random.nextBoolean() ? 0x00 : 0x47);
        }
        anyLink.decode(frame, frame.length, packet);
      }
    }
  }

  @Test
  void unknownEthertypeIsAnL2Flow() {
    byte[] lldp = HexFormat.of().parseHex("0180c200000e02000000000188cc0000");
    assertThat(decoder.decode(lldp, lldp.length, packet)).isNull();
    assertThat(packet.etherType).isEqualTo(0x88cc);
    assertThat(packet.hasAddresses).isFalse();
    assertThat(packet.hasMacs).isTrue();
  }
}
