package org.argosy.sensor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import org.argosy.sensor.TestFrames;
import org.argosy.sensor.decode.DecodedPacket;
import org.argosy.sensor.decode.LinkType;
import org.argosy.sensor.decode.PacketDecoder;
import org.argosy.sensor.flow.FlowTable;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.argosy.sensor.flow.SequenceNumbers;
import org.junit.jupiter.api.Test;

/**
 * Heap per active flow: one million concurrent TCP flows (one SYN each, all within one status
 * interval, so none is emitted or retired), heap used after a full GC compared with the empty
 * table.
 */
class FlowTableMemoryBenchmark {

  private static final int FLOWS = 1_000_000;

  @Test
  void heapPerActiveFlowWithAMillionFlows() {
    FlowTable table =
        new FlowTable(
            FlowTableConfig.withStatusInterval(60),
            new SensorIdentity("b", "b", "b"),
            SequenceNumbers.startingAt(0),
            (record, hash) -> {
              throw new AssertionError("no record expected within one status interval");
            });
    PacketDecoder decoder = new PacketDecoder(LinkType.ETHERNET);
    DecodedPacket packet = new DecodedPacket();
    long before = usedHeapAfterGc();
    long start = 1_795_977_840_000_000L;
    for (int i = 0; i < FLOWS; i++) {
      byte[] frame =
          TestFrames.ethernet(
              0x0800,
              TestFrames.ipv4(
                  6,
                  "10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff),
                  "10.200.0.1",
                  0,
                  0,
                  TestFrames.tcp(40000, 443, TestFrames.TCP_SYN, new byte[0])));
      assertThat(decoder.decode(frame, frame.length, packet)).isNull();
      table.add(packet, start + i, frame.length);
    }
    long after = usedHeapAfterGc();
    assertThat(table.activeFlows()).isEqualTo(FLOWS);
    System.out.printf(
        Locale.ROOT,
        "%nBENCHMARK flow-table-memory: %d active flows, %.1f MB heap, %d bytes per flow%n",
        FLOWS,
        (after - before) / 1e6,
        (after - before) / FLOWS);
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
