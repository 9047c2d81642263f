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
 * table. Then the heap allocated per packet metered into flows of that table (SYN-ACKs answering
 * ten thousand of them, a hundred rounds), from the thread's allocation counter.
 */
class FlowTableMemoryBenchmark {

  private static final int FLOWS = 1_000_000;
  private static final int ANSWERS = 10_000;
  private static final int ROUNDS = 100;

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

    // packets of flows already in the table: what metering one allocates on the heap
    byte[][] answers = new byte[ANSWERS][];
    for (int i = 0; i < ANSWERS; i++) {
      answers[i] =
          TestFrames.ethernet(
              0x0800,
              TestFrames.ipv4(
                  6,
                  "10.200.0.1",
                  "10.0." + (i >> 8 & 0xff) + "." + (i & 0xff),
                  0,
                  0,
                  TestFrames.tcp(
                      443, 40000, TestFrames.TCP_SYN | TestFrames.TCP_ACK, new byte[0])));
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    for (int round = 0; round < ROUNDS; round++) {
      for (byte[] frame : answers) {
        decoder.decode(frame, frame.length, packet);
        table.add(packet, start + FLOWS, frame.length);
      }
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
    assertThat(table.activeFlows()).isEqualTo(FLOWS);
    System.out.printf(
        Locale.ROOT,
        "%nBENCHMARK flow-table-memory: %d active flows, %.1f MB heap, %d bytes per flow;"
            + " %.3f bytes allocated per packet metered into an existing flow (%d packets)%n",
        FLOWS,
        (after - before) / 1e6,
        (after - before) / FLOWS,
        (double) allocated / (ROUNDS * ANSWERS),
        ROUNDS * ANSWERS);
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
