package org.argosy.sensor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.argosy.sensor.TestFrames;
import org.argosy.sensor.decode.DecodedPacket;
import org.argosy.sensor.decode.LinkType;
import org.argosy.sensor.decode.PacketDecoder;
import org.junit.jupiter.api.Test;

/** Both directions of a conversation pack into one key, and its Kafka key does not move. */
class FlowKeyTest {

  private final PacketDecoder decoder = new PacketDecoder(LinkType.ETHERNET);

  private FlowKey keyOf(String src, String dst, int sport, int dport) {
    byte[] frame =
        TestFrames.ethernet(
            0x0800,
            TestFrames.ipv4(6, src, dst, 1, 0, TestFrames.tcp(sport, dport, 0, new byte[0])));
    DecodedPacket p = new DecodedPacket();
    assertThat(decoder.decode(frame, frame.length, p)).isNull();
    FlowKey key = new FlowKey();
    key.fill(p);
    return key;
  }

  @Test
  void bothDirectionsBuildTheSameKeyWithTheLowEndpointFirst() {
    FlowKey forward = keyOf("10.0.0.9", "10.0.0.1", 40000, 80);
    FlowKey backward = keyOf("10.0.0.1", "10.0.0.9", 80, 40000);

    assertThat(forward.words).containsExactly(backward.words);
    assertThat(forward.packetFromLow()).isFalse();
    assertThat(backward.packetFromLow()).isTrue();
    assertThat(forward.hash()).isEqualTo(backward.hash());
    long typePorts = forward.words[FlowKey.TYPE_PORTS];
    assertThat(FlowKey.etherType(typePorts)).isEqualTo(0x0800);
    assertThat(FlowKey.protocol(typePorts)).isEqualTo(6);
    assertThat(FlowKey.lowPort(typePorts)).isEqualTo(80);
    assertThat(FlowKey.highPort(typePorts)).isEqualTo(40000);
  }

  @Test
  void theConversationHashIsThe31HashOfTheKeysBytesAsBeforeThePackedLayout() {
    FlowKey key = keyOf("10.0.0.9", "192.168.200.1", 40000, 443);
    // the 39-byte key of earlier sensors: ethertype, protocol, low address, low port, high
    // address, high port
    ByteBuffer bytes =
        ByteBuffer.allocate(39)
            .putShort((short) 0x0800)
            .put((byte) 6)
            .put(new byte[10])
            .putShort((short) 0xffff)
            .put(new byte[] {10, 0, 0, 9})
            .putShort((short) 40000)
            .put(new byte[10])
            .putShort((short) 0xffff)
            .put(new byte[] {(byte) 192, (byte) 168, (byte) 200, 1})
            .putShort((short) 443);
    long expected = 1125899906842597L;
    for (byte b : bytes.array()) {
      expected = 31 * expected + b;
    }

    assertThat(FlowKey.conversationHash(key.words, 0)).isEqualTo(expected);
  }
}
